import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { kubernetesFetcherExtensionPoint } from '@backstage/plugin-kubernetes-node';
import { boundedFetcher } from './boundedFetcher';
import { readRequestTimeoutMs } from './config';

/**
 * Bounds every read of the Kubernetes plugin from a cluster by
 * `kubernetes.requestTimeout`: the plugin's own fetcher, given a timeout.
 *
 * @public
 */
export const kubernetesModuleClusterTimeout = createBackendModule({
  pluginId: 'kubernetes',
  moduleId: 'cluster-timeout',
  register(reg) {
    reg.registerInit({
      deps: {
        fetchers: kubernetesFetcherExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ fetchers, config, logger }) {
        const timeoutMs = readRequestTimeoutMs(config);
        fetchers.addFetcher(async ({ getDefault }) =>
          boundedFetcher(await getDefault(), { timeoutMs, logger }),
        );
      },
    });
  },
});
