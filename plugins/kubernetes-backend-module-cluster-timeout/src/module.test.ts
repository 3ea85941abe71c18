import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import kubernetesModuleClusterTimeout from './index';

function backendWith(kubernetes: object) {
  return startTestBackend({
    features: [
      kubernetesPlugin,
      kubernetesModuleClusterTimeout,
      catalogServiceMock.factory(),
      mockServices.rootConfig.factory({
        data: {
          kubernetes: {
            serviceLocatorMethod: { type: 'multiTenant' },
            clusterLocatorMethods: [{ type: 'config', clusters: [] }],
            ...kubernetes,
          },
        },
      }),
    ],
  });
}

describe('kubernetesModuleClusterTimeout', () => {
  // The plugin's own fetcher is built at start-up, and the module fails the
  // start-up when it cannot give it a timeout: this is where a release of
  // the plugin that reads clusters differently shows.
  it("bounds the plugin's own fetcher", async () => {
    const started = backendWith({ requestTimeout: { seconds: 2 } });
    await expect(started).resolves.toHaveProperty('server');
    await (await started).server.stop();
  });

  it('refuses a timeout that is not a positive duration', async () => {
    await expect(
      backendWith({ requestTimeout: { seconds: 0 } }),
    ).rejects.toThrow('kubernetes.requestTimeout must be a positive duration');
  });
});
