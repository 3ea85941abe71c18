import { AuthService, HttpAuthService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import express from 'express';
import Router from 'express-promise-router';
import { KEYCLOAK_PROVIDER_ID } from './keycloakProvider';
import { keycloakOwnershipRefs } from './ownership';
import { SignInRecords } from './signInRecords';

/**
 * `GET /api/auth/keycloak/ownership?user=<user ref>` on the auth plugin. The
 * permission plugin's explain endpoint
 * (plugins/permission-backend-module-portal-policy/src/explainRouter.ts)
 * is its only caller.
 */
export const OWNERSHIP_PATH = `/${KEYCLOAK_PROVIDER_ID}/ownership`;

/** The only plugin allowed to read the ownership of other users. */
const ALLOWED_CALLER = 'plugin:permission';

/** The answer of the ownership route. */
export type KeycloakOwnership = {
  userEntityRef: string;
  ownershipEntityRefs: string[];
} & ({ source: 'sign-in'; signedInAt: string } | { source: 'catalog' });

/** Options of {@link createOwnershipRouter}. */
export interface OwnershipRouterOptions {
  httpAuth: HttpAuthService;
  auth: AuthService;
  catalog: CatalogService;
  records: Pick<SignInRecords, 'get'>;
}

function userRefOf(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InputError('Query parameter "user" is required, once');
  }
  let ref;
  try {
    ref = parseEntityRef(value.trim(), { defaultKind: 'user' });
  } catch (error) {
    throw new InputError(`"${value}" is not an entity ref`, error);
  }
  if (ref.kind.toLocaleLowerCase('en-US') !== 'user') {
    throw new InputError(`"${value}" is not a user, expected user:<ns>/<name>`);
  }
  return stringifyEntityRef(ref);
}

/**
 * Serves the ownership refs of a user as the permission policy sees them:
 * what their last Keycloak sign-in issued, or, for a user who never signed
 * in, what a sign-in would issue from the catalog alone. Only the permission
 * plugin may ask, with its own service credentials: the answer reveals group
 * memberships of anyone.
 */
export function createOwnershipRouter(
  options: OwnershipRouterOptions,
): express.Router {
  const { httpAuth, auth, catalog, records } = options;
  const router = Router();

  router.get(OWNERSHIP_PATH, async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['service'] });
    if (credentials.principal.subject !== ALLOWED_CALLER) {
      throw new NotAllowedError(
        `Only ${ALLOWED_CALLER} may read the ownership of users, not ${credentials.principal.subject}`,
      );
    }
    const userEntityRef = userRefOf(req.query.user);

    const recorded = await records.get(userEntityRef);
    if (recorded) {
      const body: KeycloakOwnership = {
        userEntityRef,
        ownershipEntityRefs: recorded.ownershipEntityRefs,
        source: 'sign-in',
        signedInAt: recorded.signedInAt.toISOString(),
      };
      res.json(body);
      return;
    }

    const entity = await catalog.getEntityByRef(userEntityRef, {
      credentials: await auth.getOwnServiceCredentials(),
    });
    if (!entity) {
      throw new NotFoundError(
        `${userEntityRef} has never signed in with Keycloak and is not in the catalog`,
      );
    }
    const body: KeycloakOwnership = {
      userEntityRef,
      ownershipEntityRefs: keycloakOwnershipRefs(stringifyEntityRef(entity), {
        entity,
      }),
      source: 'catalog',
    };
    res.json(body);
  });

  return router;
}
