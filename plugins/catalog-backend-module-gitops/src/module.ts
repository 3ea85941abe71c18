import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  metricsServiceRef,
  tracingServiceRef,
} from '@backstage/backend-plugin-api/alpha';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { gitopsServiceRef } from '@internal/plugin-gitops-node';
import { readProviderSchedule } from './config';
import { GitopsCatalogErrorProcessor } from './processor/GitopsCatalogErrorProcessor';
import { GitopsEntityProvider } from './provider/GitopsEntityProvider';
import { GitopsProviderTelemetry } from './provider/providerTelemetry';
import { followPushes } from './webhook/followPushes';

/**
 * The catalog's GitOps provider: entities of the GitOps repository's
 * catalog-info.yaml files, on a schedule and on push events.
 *
 * @public
 */
export const catalogModuleGitops = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'gitops',
  register(reg) {
    reg.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        events: eventsServiceRef,
        gitops: gitopsServiceRef,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        metrics: metricsServiceRef,
        tracing: tracingServiceRef,
      },
      async init({
        catalog,
        config,
        events,
        gitops,
        logger,
        scheduler,
        metrics,
        tracing,
      }) {
        catalog.addProcessor(new GitopsCatalogErrorProcessor());
        const settings = gitops.config;
        if (!settings) {
          logger.info(
            'GitOps catalog provider is off: gitops.repoUrl is not set',
          );
          return;
        }
        const provider = new GitopsEntityProvider({
          gitops: settings,
          repository: () => gitops.repository(),
          logger,
          taskRunner: scheduler.createScheduledTaskRunner(
            readProviderSchedule(config),
          ),
          telemetry: new GitopsProviderTelemetry(metrics, tracing),
        });
        catalog.addEntityProvider(provider);
        await followPushes({
          events,
          gitops: settings,
          logger,
          refresh: () => provider.refresh(),
        });
      },
    });
  },
});
