import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { metricsServiceRef } from '@backstage/backend-plugin-api/alpha';
import {
  kubernetesObjectsProviderExtensionPoint,
  kubernetesRouterExtensionPoint,
} from '@backstage/plugin-kubernetes-node';
import { kubernetesSecretsReadPermission } from './permissions';
import { guardProxy } from './proxyGuard';
import { KubernetesRequestMetrics } from './requestMetrics';
import { SecretGuardObjectsProvider } from './SecretGuardObjectsProvider';

/**
 * Keeps Secret contents out of everything the Kubernetes plugin answers:
 * wraps the plugin's objects provider, which every resource route and
 * action reads through, and puts a guard in front of its proxy.
 *
 * @public
 */
export const kubernetesModuleSecretGuard = createBackendModule({
  pluginId: 'kubernetes',
  moduleId: 'secret-guard',
  register(reg) {
    reg.registerInit({
      deps: {
        objectsProviders: kubernetesObjectsProviderExtensionPoint,
        routers: kubernetesRouterExtensionPoint,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        metrics: metricsServiceRef,
      },
      async init({
        objectsProviders,
        routers,
        permissions,
        permissionsRegistry,
        metrics,
      }) {
        permissionsRegistry.addPermissions([kubernetesSecretsReadPermission]);
        objectsProviders.addObjectsProvider(
          async ({ getDefault }) =>
            new SecretGuardObjectsProvider(
              await getDefault(),
              permissions,
              new KubernetesRequestMetrics(metrics),
            ),
        );
        routers.addRouter(({ getDefault }) => guardProxy(getDefault()));
      },
    });
  },
});
