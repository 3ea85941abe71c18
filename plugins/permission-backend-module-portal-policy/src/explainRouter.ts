import {
  AuditorService,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  RELATION_MEMBER_OF,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import express from 'express';
import Router from 'express-promise-router';
import { portalPolicyExplainPermission } from './permissions';
import { PortalPolicy } from './portalPolicy';

/** Options of {@link createExplainRouter}. */
export interface ExplainRouterOptions {
  policy: PortalPolicy;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
  auditor: AuditorService;
}

/**
 * `GET /portal-policy/explain?user=<user ref>&permission=<name>` answers what
 * the policy would decide for that user and which binding decides it. The
 * user's groups come from the catalog's memberOf relations, which is what
 * the sign-in resolvers put in a token.
 */
export function createExplainRouter(
  options: ExplainRouterOptions,
): express.Router {
  const { policy, httpAuth, permissions, catalog, auditor } = options;
  const router = Router();

  router.get('/portal-policy/explain', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const [gate] = await permissions.authorize(
      [{ permission: portalPolicyExplainPermission }],
      { credentials },
    );
    if (gate.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `${credentials.principal.userEntityRef} may not ask for policy explanations, that needs ${portalPolicyExplainPermission.name}`,
      );
    }
    const user = userRefOf(req.query.user);
    const permission = requiredString(req.query.permission, 'permission');

    const event = await auditor.createEvent({
      eventId: 'policy-explain',
      request: req,
      meta: { user, permission },
    });
    try {
      const entity = await catalog.getEntityByRef(user, { credentials });
      if (!entity) {
        throw new NotFoundError(`There is no ${user} in the catalog`);
      }
      const groups = (entity.relations ?? [])
        .filter(relation => relation.type === RELATION_MEMBER_OF)
        .map(relation => relation.targetRef);
      const { decision, decidedBy, reason } = policy.evaluate(permission, {
        userEntityRef: user,
        ownershipEntityRefs: [user, ...groups],
      });
      await event.success({ meta: { result: decision.result } });
      res.json({
        user,
        groups,
        permission,
        result: decision.result,
        decidedBy,
        reason,
        ...(decision.result === AuthorizeResult.CONDITIONAL && {
          conditions: decision.conditions,
        }),
      });
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  });

  return router;
}

function requiredString(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InputError(`Query parameter "${name}" is required, once`);
  }
  return value.trim();
}

function userRefOf(value: unknown): string {
  const raw = requiredString(value, 'user');
  let ref;
  try {
    ref = parseEntityRef(raw, { defaultKind: 'user' });
  } catch (error) {
    throw new InputError(`"${raw}" is not an entity ref`, error);
  }
  if (ref.kind.toLocaleLowerCase('en-US') !== 'user') {
    throw new InputError(`"${raw}" is not a user, expected user:<ns>/<name>`);
  }
  return stringifyEntityRef(ref);
}
