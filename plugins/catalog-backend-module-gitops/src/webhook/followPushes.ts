import { LoggerService } from '@backstage/backend-plugin-api';
import { EventsService } from '@backstage/plugin-events-node';
import { GitopsConfig } from '@internal/plugin-gitops-node';
import { isBaseBranchPush, PUSH_TOPICS } from './pushEvents';

/**
 * Runs the provider when a push to the base branch is announced. The run
 * is not awaited: the events service awaits its subscribers before the
 * webhook gets its answer, and runs coalesce anyway.
 */
export async function followPushes(options: {
  events: EventsService;
  gitops: GitopsConfig;
  logger: LoggerService;
  refresh: () => Promise<unknown>;
}): Promise<void> {
  const { events, gitops, logger, refresh } = options;
  await events.subscribe({
    id: 'catalog-gitops-provider',
    topics: PUSH_TOPICS,
    async onEvent(event) {
      if (!isBaseBranchPush(event, gitops)) {
        logger.debug(
          `GitOps catalog: ignored a ${event.topic} event that is no push to ${gitops.baseBranch} of ${gitops.repoUrl}`,
        );
        return;
      }
      logger.info(
        `GitOps catalog: push to ${gitops.baseBranch} announced (${event.topic}), running now`,
      );
      refresh().catch(error =>
        logger.warn(
          `GitOps catalog: run after a push failed, the catalog keeps what it had: ${error}`,
        ),
      );
    },
  });
}
