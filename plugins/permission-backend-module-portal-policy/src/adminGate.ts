import {
  BackstageCredentials,
  BackstageUserPrincipal,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import express from 'express';
import { portalPolicyExplainPermission } from './permissions';

/**
 * Lets a request through only for a signed-in user whose own decision for
 * portal.policy.explain is ALLOW (the platform admins), and returns their
 * credentials. The permissions service asks the policy like any plugin
 * would, so the gate's decision is audited and follows a reloaded policy.
 * `action` completes "<user> may not …" in the refusal.
 */
export async function requirePolicyAdmin(
  req: express.Request,
  services: { httpAuth: HttpAuthService; permissions: PermissionsService },
  action: string,
): Promise<BackstageCredentials<BackstageUserPrincipal>> {
  const credentials = await services.httpAuth.credentials(req, {
    allow: ['user'],
  });
  const [gate] = await services.permissions.authorize(
    [{ permission: portalPolicyExplainPermission }],
    { credentials },
  );
  if (gate.result !== AuthorizeResult.ALLOW) {
    throw new NotAllowedError(
      `${credentials.principal.userEntityRef} may not ${action}, that needs ${portalPolicyExplainPermission.name}`,
    );
  }
  return credentials;
}
