import {
  coreServices,
  createBackendPlugin,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { metricsServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import {
  createTaskTrigger,
  followBaseBranchPushes,
  gitopsServiceRef,
} from '@internal/plugin-gitops-node';
import { readChangeRequestSettings } from './config';
import { ArgoCdDeployments } from './poller/argocdDeployments';
import { ChangeRequestPoller } from './poller/ChangeRequestPoller';
import { ChangeRequestNotifier } from './poller/notifier';
import { createReadAccess } from './service/access';
import { EntityFolders } from './service/entityFolders';
import {
  changeRequestResourceRef,
  changeRequestRules,
  PERMISSIONS,
} from './service/permissions';
import { createRecordRoute } from './service/recordRoute';
import { ChangeRequestReads } from './service/reads';
import { createRouter } from './service/router';
import { ChangeRequestStore } from './store/ChangeRequestStore';
import { ChangeRequestMetrics } from './telemetry/changeRequestMetrics';

/** The change-request poller's global scheduled task. */
const POLL_TASK = 'change-request-poll';

/**
 * The portal's GitOps backend: records the change requests golden paths
 * publish, follows them at the provider and in Argo CD, tells their
 * requesters, and serves them behind the permission policy.
 *
 * @public
 */
export const gitopsPlugin = createBackendPlugin({
  pluginId: 'gitops',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        userInfo: coreServices.userInfo,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
        notifications: notificationService,
        gitops: gitopsServiceRef,
        metrics: metricsServiceRef,
        events: eventsServiceRef,
      },
      async init(deps) {
        const knex = await deps.database.getClient();
        if (!deps.database.migrations?.skip) {
          await knex.migrate.latest({
            directory: resolvePackagePath(
              '@internal/plugin-gitops-backend',
              'migrations',
            ),
          });
        }
        const store = new ChangeRequestStore(knex);
        const changeRequestMetrics = new ChangeRequestMetrics(deps.metrics);
        deps.permissionsRegistry.addResourceType({
          resourceRef: changeRequestResourceRef,
          permissions: PERMISSIONS,
          rules: Object.values(changeRequestRules),
          getResources: async ids =>
            Promise.all(
              ids.map(
                async id => (await store.list({ id, limit: 1 })).items[0],
              ),
            ),
        });
        deps.httpRouter.use(
          createRouter({
            reads: new ChangeRequestReads({
              httpAuth: deps.httpAuth,
              userInfo: deps.userInfo,
              store,
              gitops: deps.gitops,
              entityFolders: new EntityFolders(
                deps.catalog,
                () => deps.gitops.repository().config,
              ),
              readAccess: createReadAccess(deps),
            }),
            recordRoute: createRecordRoute({
              httpAuth: deps.httpAuth,
              store,
              appBaseUrl: deps.config.getString('app.baseUrl'),
              onRecorded: (_id, record, created) =>
                changeRequestMetrics.recorded(record, created),
            }),
          }),
        );
        if (!deps.gitops.config) {
          deps.logger.warn(
            'gitops.repoUrl is not configured: change requests are not followed',
          );
          return;
        }
        const settings = readChangeRequestSettings(deps.config);
        const poller = new ChangeRequestPoller({
          store,
          gitops: deps.gitops,
          notifier: new ChangeRequestNotifier(deps.notifications),
          deployments: new ArgoCdDeployments(deps),
          logger: deps.logger,
          deployWatchMs: settings.deployWatchMs,
          onTransition: (request, event) =>
            changeRequestMetrics.transition(request, event),
        });
        await deps.scheduler.scheduleTask({
          id: POLL_TASK,
          frequency: settings.pollInterval,
          timeout: { minutes: 5 },
          initialDelay: { seconds: 5 },
          scope: 'global',
          fn: () => poller.run(),
        });
        // A merge announced by a push webhook reaches its change request
        // within seconds, on one replica at a time like the schedule.
        await followBaseBranchPushes({
          events: deps.events,
          gitops: deps.gitops.config,
          logger: deps.logger,
          subscriberId: 'change-request-poller',
          onPush: createTaskTrigger({
            scheduler: deps.scheduler,
            taskId: POLL_TASK,
            logger: deps.logger,
          }),
        });
      },
    });
  },
});
