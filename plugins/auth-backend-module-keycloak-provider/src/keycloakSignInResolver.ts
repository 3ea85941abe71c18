import {
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import {
  DEFAULT_NAMESPACE,
  Entity,
  makeValidator,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import { OidcAuthResult } from '@backstage/plugin-auth-backend-module-oidc-provider';
import {
  AuthResolverCatalogUserQuery,
  AuthResolverContext,
  OAuthAuthenticatorResult,
  SignInResolver,
} from '@backstage/plugin-auth-node';
import { keycloakOwnershipRefs } from './ownership';
import { SignInRecords } from './signInRecords';

const validator = makeValidator();

/** How the Keycloak sign-in resolver treats people the catalog does not know. */
export interface KeycloakSignInOptions {
  /** See `auth.keycloak.allowUsersWithoutCatalogEntity` in config.d.ts. */
  allowUsersWithoutCatalogEntity: boolean;
  /** Where each sign-in's ownership refs are kept for the explain endpoint. */
  records: Pick<SignInRecords, 'record'>;
  logger?: LoggerService;
}

/** The parts of a Keycloak identity the resolver reads. */
export interface KeycloakIdentity {
  subject?: string;
  username?: string;
  email?: string;
  emailVerified: boolean;
  groups: unknown;
}

export function readKeycloakSignInOptions(
  config: RootConfigService,
): Pick<KeycloakSignInOptions, 'allowUsersWithoutCatalogEntity'> {
  return {
    allowUsersWithoutCatalogEntity:
      config.getOptionalBoolean(
        'auth.keycloak.allowUsersWithoutCatalogEntity',
      ) ?? false,
  };
}

function idTokenClaims(result: OidcAuthResult): Record<string, unknown> {
  try {
    // Throws when the token response carried no ID token.
    return result.tokenset?.claims?.() ?? {};
  } catch {
    return {};
  }
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/**
 * Reads the identity from the userinfo response, falling back to the ID
 * token for claims a Keycloak mapper adds to the token only (the group
 * membership mapper can be set up either way).
 */
export function keycloakIdentity(result: OidcAuthResult): KeycloakIdentity {
  const userinfo: Record<string, unknown> = { ...result.userinfo };
  const claims: Record<string, unknown> = {
    ...idTokenClaims(result),
    ...userinfo,
  };
  // The address and its verification flag are taken as a pair from one
  // source, so a flag can never vouch for an address it was not sent with.
  const emailSource = 'email' in userinfo ? userinfo : claims;
  return {
    subject: optionalString(claims.sub),
    username: optionalString(claims.preferred_username),
    email: optionalString(emailSource.email),
    // Only a literal true counts: Keycloak lets users type any address, and an
    // unverified one must never stand in for someone else's.
    emailVerified: emailSource.email_verified === true,
    groups: claims.groups,
  };
}

async function findUser(
  ctx: AuthResolverContext,
  query: AuthResolverCatalogUserQuery,
): Promise<Entity | undefined> {
  try {
    return (await ctx.findCatalogUser(query)).entity;
  } catch (error) {
    if ((error as Error)?.name === 'NotFoundError') {
      return undefined;
    }
    throw error;
  }
}

/**
 * The User entity of a Keycloak identity: by `preferred_username` as the
 * entity name first, then by a verified email as `spec.profile.email`.
 */
export async function findKeycloakUserEntity(
  identity: KeycloakIdentity,
  ctx: AuthResolverContext,
): Promise<Entity | undefined> {
  const { username, email, emailVerified } = identity;
  if (username && validator.isValidEntityName(username)) {
    const byName = await findUser(ctx, {
      entityRef: { kind: 'User', namespace: DEFAULT_NAMESPACE, name: username },
    });
    if (byName) {
      return byName;
    }
  }
  if (email && emailVerified) {
    try {
      return await findUser(ctx, {
        filter: { kind: 'User', 'spec.profile.email': email },
      });
    } catch (error) {
      if ((error as Error)?.name === 'ConflictError') {
        throw new NotAllowedError(
          `The email address of Keycloak user '${
            username ?? email
          }' belongs to more than one User entity in the catalog; ask the platform team to fix the catalog`,
        );
      }
      throw error;
    }
  }
  return undefined;
}

/**
 * Issues the Backstage token and records what it says, so the permission
 * explain endpoint (on whichever replica) sees the groups this sign-in
 * gave. A failed record must not keep the person out: it is logged, and the
 * explain answer names the time of the record it used.
 */
async function issueAndRecord(
  ctx: AuthResolverContext,
  options: KeycloakSignInOptions,
  userEntityRef: string,
  ent: string[],
) {
  const token = await ctx.issueToken({ claims: { sub: userEntityRef, ent } });
  try {
    await options.records.record(userEntityRef, ent);
  } catch (error) {
    options.logger?.warn(
      `Could not record the Keycloak sign-in of ${userEntityRef} for the permission explain endpoint: ${error}`,
    );
  }
  return token;
}

/**
 * Signs a Keycloak user in as their catalog User entity. Ownership is the
 * user's catalog group memberships plus the groups Keycloak puts in the
 * token (keycloakOwnershipRefs), so a group change in Keycloak takes effect
 * at the next sign-in without waiting for the catalog to ingest it.
 */
export function createKeycloakSignInResolver(
  options: KeycloakSignInOptions,
): SignInResolver<OAuthAuthenticatorResult<OidcAuthResult>> {
  return async (info, ctx) => {
    const identity = keycloakIdentity(info.result.fullProfile);
    const tokenGroups = identity.groups;
    const label = identity.username ?? identity.subject ?? 'unknown';

    const entity = await findKeycloakUserEntity(identity, ctx);
    if (entity) {
      const userRef = stringifyEntityRef(entity);
      return issueAndRecord(
        ctx,
        options,
        userRef,
        keycloakOwnershipRefs(userRef, { entity, tokenGroups }),
      );
    }

    const name = identity.username?.toLowerCase();
    if (
      options.allowUsersWithoutCatalogEntity &&
      name &&
      validator.isValidEntityName(name)
    ) {
      const userRef = `user:${DEFAULT_NAMESPACE}/${name}`;
      options.logger?.warn(
        `Keycloak user '${name}' signed in without a User entity in the catalog (auth.keycloak.allowUsersWithoutCatalogEntity)`,
      );
      return issueAndRecord(
        ctx,
        options,
        userRef,
        keycloakOwnershipRefs(userRef, { tokenGroups }),
      );
    }

    options.logger?.info(
      `Refused Keycloak sign-in of '${label}': no User entity in the catalog`,
    );
    throw new NotAllowedError(
      `Keycloak user '${label}' has no User entity in the catalog; ask the platform team to add one`,
    );
  };
}
