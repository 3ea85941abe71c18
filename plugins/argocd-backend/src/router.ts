import { HttpAuthService } from '@backstage/backend-plugin-api';
import {
  ARGOCD_APP_NAME_ANNOTATION,
  ARGOCD_APP_SELECTOR_ANNOTATION,
} from '@internal/plugin-argocd-common';
import express from 'express';
import Router from 'express-promise-router';
import { AccessResolver, refused } from './access';

/** The one plugin that may read entity status with its own credentials. */
const STATUS_READING_PLUGIN = 'plugin:gitops';
import { ArgoCdService } from './ArgoCdService';
import { notConfigured } from './errors';
import * as valid from './validation';

/**
 * The plugin's routes, all GET: the five Roadie's Argo CD card calls when
 * `argocd.appLocatorMethods` is set, answered in Argo CD's shapes, and the
 * per-entity status. Anything else is not served.
 */
export function createRouter(options: {
  httpAuth: HttpAuthService;
  access: AccessResolver;
  /** Undefined where Argo CD is not configured. */
  argocd: ArgoCdService | undefined;
}): express.Router {
  const { httpAuth, access } = options;
  const router = Router();

  /** Only signed-in users; the caller's identity decides what they see. */
  async function caller(req: express.Request) {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    if (!options.argocd) {
      throw notConfigured();
    }
    return { credentials, argocd: options.argocd };
  }

  async function byName(req: express.Request) {
    const app = valid.appName(req.params.app);
    const { credentials, argocd } = await caller(req);
    const what = `application "${app}"`;
    const granted = await access.forAnnotation(
      credentials,
      ARGOCD_APP_NAME_ANNOTATION,
      app,
      what,
    );
    return { app, granted, argocd };
  }

  async function bySelector(req: express.Request) {
    const selector = valid.selector(req.params.selector);
    const { credentials, argocd } = await caller(req);
    const granted = await access.forAnnotation(
      credentials,
      ARGOCD_APP_SELECTOR_ANNOTATION,
      selector,
      `applications selected by "${selector}"`,
    );
    return { selector, granted, argocd };
  }

  router.get('/find/name/:app', async (req, res) => {
    const { app, granted, argocd } = await byName(req);
    res.json(await argocd.findByName(granted, app));
  });

  router.get('/find/selector/:selector', async (req, res) => {
    const { selector, granted, argocd } = await bySelector(req);
    res.json(await argocd.findBySelector(granted, selector));
  });

  router.get(
    '/argoInstance/:instance/applications/name/:app',
    async (req, res) => {
      const instance = valid.instanceName(req.params.instance);
      const { app, granted, argocd } = await byName(req);
      res.json(await argocd.getApplication(granted, instance, app));
    },
  );

  router.get(
    '/argoInstance/:instance/applications/selector/:selector',
    async (req, res) => {
      const instance = valid.instanceName(req.params.instance);
      const { selector, granted, argocd } = await bySelector(req);
      res.json(await argocd.listBySelector(granted, instance, selector));
    },
  );

  router.get(
    '/argoInstance/:instance/applications/name/:app/revisions/:revision/metadata',
    async (req, res) => {
      const instance = valid.instanceName(req.params.instance);
      const revision = valid.revision(req.params.revision);
      const { app, granted, argocd } = await byName(req);
      res.json(
        await argocd.getRevisionMetadata(granted, instance, app, revision),
      );
    },
  );

  router.get('/entity-status', async (req, res) => {
    const entityRef = valid.entityRef(req.query.entityRef);
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    if (!options.argocd) {
      throw notConfigured();
    }
    // The GitOps backend follows merged change requests into Argo CD to
    // tell their requesters; no other plugin reads status as itself.
    if (
      credentials.principal.type === 'service' &&
      credentials.principal.subject !== STATUS_READING_PLUGIN
    ) {
      throw refused(`entity ${entityRef}`);
    }
    const { access: granted, entity } = await access.forEntity(
      credentials,
      entityRef,
    );
    res.json(await options.argocd.entityStatus(granted, entity));
  });

  return router;
}
