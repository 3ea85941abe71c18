import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  TechdocsGenerator,
  techdocsGeneratorExtensionPoint,
} from '@backstage/plugin-techdocs-node';
import { SafeMkdocsGenerator } from './SafeMkdocsGenerator';

/**
 * Replaces the TechDocs generator with {@link SafeMkdocsGenerator}.
 *
 * @public
 */
export const techdocsModuleSafeGenerator = createBackendModule({
  pluginId: 'techdocs',
  moduleId: 'safe-generator',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        generators: techdocsGeneratorExtensionPoint,
      },
      async init({ config, logger, generators }) {
        const generator = SafeMkdocsGenerator.fromConfig(config, { logger });
        // The extension point is typed with the stock generator class, but
        // the TechDocs plugin only ever calls run() (GeneratorBase) on it.
        generators.setTechdocsGenerator(
          generator as unknown as TechdocsGenerator,
        );
      },
    });
  },
});
