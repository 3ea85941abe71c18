import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';
import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Read the Argo CD applications of a catalog entity: their sync and health
 * status, history and revision metadata. A resource permission on catalog
 * entities, so that the catalog's conditions (such as ownership) decide
 * which entities' applications a user may read.
 *
 * @public
 */
export const argocdApplicationReadPermission = createPermission({
  name: 'argocd.application.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Every permission of the argocd plugin.
 *
 * @public
 */
export const argocdPermissions = [argocdApplicationReadPermission];
