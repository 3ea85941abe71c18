import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { KeycloakOwnershipClient } from '@internal/auth-backend-module-keycloak-provider';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { createExplainRouter } from './explainRouter';
import { portalPolicyExplainPermission } from './permissions';
import { loadPolicyFile } from './policyFile';
import { PortalPolicy } from './portalPolicy';

/**
 * Installs the portal's role-based, default-deny policy in the permission
 * backend, with its role bindings from the policy file and its explain
 * endpoint on the permission plugin's router.
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
        logger: coreServices.logger,
        auditor: coreServices.auditor,
        userInfo: coreServices.userInfo,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        policy: policyExtensionPoint,
      },
      async init(deps) {
        const { path, bindings } = await loadPolicyFile(deps.config);
        const portalPolicy = new PortalPolicy({
          bindings,
          auditor: deps.auditor,
          userInfo: deps.userInfo,
        });
        deps.policy.setPolicy(portalPolicy);
        deps.permissionsRegistry.addPermissions([
          portalPolicyExplainPermission,
        ]);
        deps.httpRouter.use(
          createExplainRouter({
            policy: portalPolicy,
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            ownership: new KeycloakOwnershipClient(deps),
            auditor: deps.auditor,
          }),
        );
        deps.logger.info(
          `Portal permission policy loaded ${bindings.length} role bindings from ${path}`,
        );
      },
    });
  },
});
