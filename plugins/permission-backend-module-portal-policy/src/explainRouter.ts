import {
  AuditorService,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  KeycloakOwnership,
  KeycloakOwnershipClient,
} from '@internal/auth-backend-module-keycloak-provider';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import express from 'express';
import Router from 'express-promise-router';
import { requirePolicyAdmin } from './adminGate';
import { PortalPolicy } from './portalPolicy';

/** Options of {@link createExplainRouter}. */
export interface ExplainRouterOptions {
  policy: PortalPolicy;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  /** The user's ownership refs as sign-in issued them, from the auth plugin. */
  ownership: Pick<KeycloakOwnershipClient, 'get'>;
  auditor: AuditorService;
}

/** Where the groups of an explanation come from, in words. */
function groupsNote(ownership: KeycloakOwnership): string {
  return ownership.source === 'sign-in'
    ? `the groups ${ownership.userEntityRef} was issued at their last Keycloak sign-in, ${ownership.signedInAt}`
    : `${ownership.userEntityRef} has never signed in with Keycloak: the groups are the catalog's memberOf only, without the groups of a Keycloak token`;
}

/**
 * `GET /portal-policy/explain?user=<user ref>&permission=<name>` answers what
 * the policy would decide for that user and which binding decides it. The
 * user's groups are the ones the policy itself sees: what their last
 * Keycloak sign-in issued (catalog memberOf plus the token's groups), asked
 * of the auth plugin, or for a user who never signed in, the catalog's
 * memberOf alone.
 */
export function createExplainRouter(
  options: ExplainRouterOptions,
): express.Router {
  const { policy, httpAuth, permissions, ownership, auditor } = options;
  const router = Router();

  router.get('/portal-policy/explain', async (req, res) => {
    await requirePolicyAdmin(
      req,
      { httpAuth, permissions },
      'ask for policy explanations',
    );
    const user = userRefOf(req.query.user);
    const permission = requiredString(req.query.permission, 'permission');

    const event = await auditor.createEvent({
      eventId: 'policy-explain',
      request: req,
      meta: { user, permission },
    });
    try {
      const owned = await ownership.get(user);
      const { decision, decidedBy, reason } = policy.evaluate(permission, {
        userEntityRef: user,
        ownershipEntityRefs: owned.ownershipEntityRefs,
      });
      await event.success({
        meta: { result: decision.result, groupsFrom: owned.source },
      });
      res.json({
        user,
        groups: owned.ownershipEntityRefs.filter(
          ref =>
            ref.toLocaleLowerCase('en-US') !== user.toLocaleLowerCase('en-US'),
        ),
        groupsFrom: owned.source,
        ...(owned.source === 'sign-in' && { signedInAt: owned.signedInAt }),
        groupsNote: groupsNote(owned),
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
