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
import {
  createTaskTrigger,
  followBaseBranchPushes,
  gitopsServiceRef,
} from '@internal/plugin-gitops-node';
import { readProviderSchedule } from './config';
import { GitopsCatalogErrorProcessor } from './processor/GitopsCatalogErrorProcessor';
import { GitopsEntityProvider } from './provider/GitopsEntityProvider';
import { GitopsProviderTelemetry } from './provider/providerTelemetry';
import { GitopsProviderStore } from './state/GitopsProviderStore';

/**
 * The catalog's GitOps provider: entities of the GitOps repository's
 * catalog-info.yaml files, in a global scheduled task that push events
 * trigger, with its state in the catalog's database.
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
        database: coreServices.database,
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
        database,
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
        // Pushes and start-up ask the scheduler, never run the provider
        // themselves: the task is global, so no two runs overlap, on any
        // replica.
        const trigger = createTaskTrigger({
          scheduler,
          taskId: GitopsEntityProvider.taskId,
          logger,
        });
        const provider = new GitopsEntityProvider({
          gitops: settings,
          repository: () => gitops.repository(),
          store: await GitopsProviderStore.create(database),
          logger,
          taskRunner: scheduler.createScheduledTaskRunner(
            readProviderSchedule(config),
          ),
          trigger,
          telemetry: new GitopsProviderTelemetry(metrics, tracing),
        });
        catalog.addEntityProvider(provider);
        await followBaseBranchPushes({
          events,
          gitops: settings,
          logger,
          subscriberId: 'catalog-gitops-provider',
          onPush: trigger,
        });
      },
    });
  },
});
