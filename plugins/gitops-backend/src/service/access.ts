import {
  BackstageCredentials,
  BackstageUserPrincipal,
  PermissionsService,
  PermissionsRegistryService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createConditionTransformer } from '@backstage/plugin-permission-node';
import { gitopsChangeRequestReadPermission } from '@internal/plugin-gitops-common';
import { ChangeRequestFilter } from '../store/filters';
import { changeRequestResourceRef } from './permissions';

/**
 * What a user may read of change requests, as a filter for the store:
 * undefined for all of them; a NotAllowedError when none.
 */
export function createReadAccess(options: {
  permissions: PermissionsService;
  permissionsRegistry: PermissionsRegistryService;
}) {
  const transform = createConditionTransformer(
    options.permissionsRegistry.getPermissionRuleset(changeRequestResourceRef),
  );
  return async (
    credentials: BackstageCredentials<BackstageUserPrincipal>,
  ): Promise<ChangeRequestFilter | undefined> => {
    const [decision] = await options.permissions.authorizeConditional(
      [{ permission: gitopsChangeRequestReadPermission }],
      { credentials },
    );
    if (decision.result === AuthorizeResult.ALLOW) return undefined;
    if (decision.result === AuthorizeResult.CONDITIONAL) {
      return transform(decision.conditions) as ChangeRequestFilter;
    }
    throw new NotAllowedError(
      `You may not read change requests (${gitopsChangeRequestReadPermission.name})`,
    );
  };
}
