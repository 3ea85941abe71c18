import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { KeycloakOwnershipClient } from '@internal/auth-backend-module-keycloak-provider';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  metricsServiceRef,
  tracingServiceRef,
} from '@backstage/backend-plugin-api/alpha';
import { createExplainRouter } from './explainRouter';
import { portalPolicyExplainPermission } from './permissions';
import { loadPolicyFile } from './policyFile';
import { PolicyFileReloader, readReloadInterval } from './policyReloader';
import { PortalPolicy } from './portalPolicy';
import { PolicyTelemetry } from './policyTelemetry';
import { createStatusRouter } from './statusRouter';

/**
 * Installs the portal's role-based, default-deny policy in the permission
 * backend, with its role bindings from the policy file (read again when it
 * changes) and its explain and status endpoints on the permission plugin's
 * router.
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
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        lifecycle: coreServices.lifecycle,
        policy: policyExtensionPoint,
        metrics: metricsServiceRef,
        tracing: tracingServiceRef,
      },
      async init(deps) {
        const intervalMs = readReloadInterval(deps.config);
        // A malformed file stops start-up; later ones are only kept out.
        const file = await loadPolicyFile(deps.config);
        const { path, bindings } = file;
        const portalPolicy = new PortalPolicy({
          bindings,
          auditor: deps.auditor,
          telemetry: new PolicyTelemetry(deps.metrics, deps.tracing),
        });
        deps.policy.setPolicy(portalPolicy);
        const reloader = new PolicyFileReloader({
          initial: file,
          intervalMs,
          apply: next => portalPolicy.setBindings(next),
          logger: deps.logger,
          auditor: deps.auditor,
        });
        reloader.start();
        deps.lifecycle.addShutdownHook(() => reloader.stop());
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
        deps.httpRouter.use(
          createStatusRouter({
            status: () => reloader.status(),
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
          }),
        );
        deps.logger.info(
          `Portal permission policy loaded ${bindings.length} role bindings from ${path}, checked for changes every ${intervalMs} ms`,
        );
      },
    });
  },
});
