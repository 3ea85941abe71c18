import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Lists, triggers and cancels the scheduled tasks of any plugin (catalog
 * providers, the Keycloak sync, search indexing, the change-request
 * poller) through `/api/<plugin>/.backstage/scheduler/v1`. Platform admins
 * only.
 *
 * @public
 */
export const portalSchedulerManagePermission = createPermission({
  name: 'portal.scheduler.manage',
  attributes: { action: 'update' },
});
