import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  GeneratorBase,
  techdocsGeneratorExtensionPoint,
} from '@backstage/plugin-techdocs-node';
import techdocsModuleSafeGenerator, { SafeMkdocsGenerator } from './index';

/** Stands in for the TechDocs plugin: takes the generator a module sets. */
function techdocsPluginStandIn(received: GeneratorBase[]) {
  return createBackendPlugin({
    pluginId: 'techdocs',
    register(env) {
      env.registerExtensionPoint(techdocsGeneratorExtensionPoint, {
        setTechdocsGenerator: generator => received.push(generator),
      });
      env.registerInit({ deps: {}, async init() {} });
    },
  });
}

describe('techdocsModuleSafeGenerator', () => {
  it('sets the safe generator as the TechDocs generator', async () => {
    const received: GeneratorBase[] = [];
    const backend = await startTestBackend({
      features: [
        techdocsPluginStandIn(received),
        techdocsModuleSafeGenerator,
        mockServices.rootConfig.factory({
          data: { techdocs: { generator: { runIn: 'local' } } },
        }),
      ],
    });
    expect(received).toHaveLength(1);
    expect(received[0]).toBeInstanceOf(SafeMkdocsGenerator);
    await backend.stop();
  });

  it('stops start-up on configuration that allows a file-reading extension', async () => {
    await expect(
      startTestBackend({
        features: [
          techdocsPluginStandIn([]),
          techdocsModuleSafeGenerator,
          mockServices.rootConfig.factory({
            data: {
              techdocs: {
                safeGenerator: { markdownExtensions: ['pymdownx.snippets'] },
              },
            },
          }),
        ],
      }),
    ).rejects.toThrow(/may not allow pymdownx\.snippets/);
  });
});
