import {
  coreServices,
  createServiceFactory,
  HttpAuthService,
  HttpRouterService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { metricsServiceRef } from '@backstage/backend-plugin-api/alpha';
import { DefaultSchedulerService } from '@backstage/backend-defaults/scheduler';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import express from 'express';
import Router from 'express-promise-router';
import { portalSchedulerManagePermission } from './schedulerPermission';

/** Where Backstage's scheduler serves its task API on every plugin's router. */
const SCHEDULER_API = '/.backstage/scheduler';

/**
 * Puts the scheduler's task API behind `portal.scheduler.manage`: Backstage
 * serves it to any signed-in caller, who could then trigger or cancel any
 * plugin's scheduled work (a Keycloak sync, a reindex) at will.
 */
export function guardSchedulerApi(
  handler: express.Handler,
  deps: { httpAuth: HttpAuthService; permissions: PermissionsService },
): express.Handler {
  const router = Router();
  router.use(SCHEDULER_API, async (req, _res, next) => {
    const credentials = await deps.httpAuth.credentials(req, {
      allow: ['user'],
    });
    const [decision] = await deps.permissions.authorize(
      [{ permission: portalSchedulerManagePermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `The scheduler API needs ${portalSchedulerManagePermission.name}`,
      );
    }
    next();
  });
  router.use(handler);
  return router;
}

/**
 * Backstage's scheduler, whose task API only platform admins may use.
 *
 * @public
 */
export const guardedSchedulerServiceFactory = createServiceFactory({
  service: coreServices.scheduler,
  deps: {
    database: coreServices.database,
    logger: coreServices.logger,
    rootLifecycle: coreServices.rootLifecycle,
    httpRouter: coreServices.httpRouter,
    pluginMetadata: coreServices.pluginMetadata,
    metrics: metricsServiceRef,
    httpAuth: coreServices.httpAuth,
    permissions: coreServices.permissions,
  },
  factory(deps) {
    const httpRouter: HttpRouterService = {
      use: handler => deps.httpRouter.use(guardSchedulerApi(handler, deps)),
      addAuthPolicy: policy => deps.httpRouter.addAuthPolicy(policy),
    };
    return DefaultSchedulerService.create({ ...deps, httpRouter });
  },
});
