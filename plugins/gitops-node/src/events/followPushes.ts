import { LoggerService } from '@backstage/backend-plugin-api';
import { EventsService } from '@backstage/plugin-events-node';
import { GitopsConfig } from '../config';
import { isBaseBranchPush, PUSH_TOPICS } from './pushEvents';

/** Options of {@link followBaseBranchPushes}. */
export interface FollowPushesOptions {
  events: EventsService;
  gitops: Pick<GitopsConfig, 'repoUrl' | 'baseBranch'>;
  logger: LoggerService;
  /** Unique within the plugin: the events bus delivers per subscriber. */
  subscriberId: string;
  /** What a push does, typically a {@link createTaskTrigger} trigger. */
  onPush: () => Promise<void>;
}

/**
 * Calls `onPush` when a push to the base branch of the GitOps repository
 * is announced (GitHub, GitLab or plain-Git webhook); other events are
 * ignored. It is not awaited: the events service awaits its subscribers
 * before the webhook gets its answer.
 *
 * @public
 */
export async function followBaseBranchPushes(
  options: FollowPushesOptions,
): Promise<void> {
  const { events, gitops, logger, subscriberId, onPush } = options;
  await events.subscribe({
    id: subscriberId,
    topics: PUSH_TOPICS,
    async onEvent(event) {
      if (!isBaseBranchPush(event, gitops)) {
        logger.debug(
          `Ignored a ${event.topic} event that is no push to ${gitops.baseBranch} of ${gitops.repoUrl}`,
        );
        return;
      }
      logger.info(
        `Push to ${gitops.baseBranch} announced (${event.topic}), asking for a run now`,
      );
      void onPush();
    },
  });
}
