import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import {
  NotFoundError,
  ResponseError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { KeycloakOwnership, OWNERSHIP_PATH } from './ownershipRouter';

function isOwnership(body: any): body is KeycloakOwnership {
  return (
    typeof body?.userEntityRef === 'string' &&
    Array.isArray(body.ownershipEntityRefs) &&
    body.ownershipEntityRefs.every((ref: unknown) => typeof ref === 'string') &&
    (body.source === 'catalog' ||
      (body.source === 'sign-in' && typeof body.signedInAt === 'string'))
  );
}

/**
 * Asks the auth plugin, with the calling plugin's own credentials, for the
 * ownership refs of a user as the permission policy sees them. Works across
 * replicas: the answer comes from the auth plugin's database, whichever
 * process did the sign-in. Only the permission plugin is let through.
 */
export class KeycloakOwnershipClient {
  constructor(
    private readonly deps: { discovery: DiscoveryService; auth: AuthService },
  ) {}

  async get(userEntityRef: string): Promise<KeycloakOwnership> {
    const { discovery, auth } = this.deps;
    let res: Response;
    try {
      const baseUrl = await discovery.getBaseUrl('auth');
      const { token } = await auth.getPluginRequestToken({
        onBehalfOf: await auth.getOwnServiceCredentials(),
        targetPluginId: 'auth',
      });
      const query = new URLSearchParams({ user: userEntityRef });
      res = await fetch(`${baseUrl}${OWNERSHIP_PATH}?${query}`, {
        headers: { authorization: `Bearer ${token}` },
      });
    } catch (error) {
      throw new ServiceUnavailableError(
        `The auth plugin did not answer for the groups of ${userEntityRef}`,
        error,
      );
    }
    if (!res.ok) {
      const error = await ResponseError.fromResponse(res);
      if (res.status === 404) {
        throw new NotFoundError(error.cause.message);
      }
      throw new ServiceUnavailableError(
        `The auth plugin could not tell the groups of ${userEntityRef}`,
        error,
      );
    }
    const body = await res.json();
    if (!isOwnership(body)) {
      throw new ServiceUnavailableError(
        `The auth plugin answered for ${userEntityRef} in an unknown shape`,
      );
    }
    return body;
  }
}
