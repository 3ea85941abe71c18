import {
  createPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';

/**
 * The resource type of change requests, whose conditions the GitOps
 * backend evaluates (who asked, which team it is for).
 */
export const RESOURCE_TYPE_GITOPS_CHANGE_REQUEST = 'gitops-change-request';

/**
 * Read change requests: their list, details and diff. Developers get the
 * ones of their own teams and their own; viewers get none.
 */
export const gitopsChangeRequestReadPermission: ResourcePermission<
  typeof RESOURCE_TYPE_GITOPS_CHANGE_REQUEST
> = createPermission({
  name: 'gitops.change-request.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_GITOPS_CHANGE_REQUEST,
});

/** Every permission of the GitOps plugins. */
export const gitopsPermissions = [gitopsChangeRequestReadPermission];
