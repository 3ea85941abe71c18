import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { SafeLinksProcessor } from './SafeLinksProcessor';

/**
 * Keeps unsafe entity links out of the catalog.
 *
 * @public
 */
export const catalogModuleSafeLinks = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'safe-links',
  register(reg) {
    reg.registerInit({
      deps: {
        processing: catalogProcessingExtensionPoint,
        logger: coreServices.logger,
      },
      async init({ processing, logger }) {
        processing.addProcessor(new SafeLinksProcessor(logger));
      },
    });
  },
});
