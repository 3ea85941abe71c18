import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { BrowsePolicy } from './browsePolicy';

/**
 * Installs the portal's default-deny policy in the permission backend.
 *
 * @public
 */
export const permissionModulePortalPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'portal-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        policy: policyExtensionPoint,
      },
      async init({ config, policy }) {
        policy.setPolicy(
          new BrowsePolicy({
            additionalUserPermissions: config.getOptionalStringArray(
              'permission.portalPolicy.additionalUserPermissions',
            ),
          }),
        );
      },
    });
  },
});
