import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import { CoalescedRuns } from './coalescedRuns';

/** Between attempts to trigger a task that is running somewhere. */
const RETRY_INTERVAL_MS = 1000;

/**
 * How long a trigger waits for the run under way to end. Past it, the
 * task's own schedule picks up what the trigger was for.
 */
const MAX_WAIT_MS = 15 * 60_000;

/**
 * Scheduler errors that mean "not now": the task runs on some replica
 * (ConflictError), or is not registered yet (NotFoundError, a push during
 * start-up).
 */
const NOT_NOW = ['ConflictError', 'NotFoundError'];

/** Options of {@link createTaskTrigger}. */
export interface TaskTriggerOptions {
  scheduler: SchedulerService;
  /** A global task of this plugin's scheduler. */
  taskId: string;
  logger: LoggerService;
  /** Between attempts while the task runs; tests shorten it. */
  retryIntervalMs?: number;
}

async function triggerWhenIdle(options: TaskTriggerOptions): Promise<void> {
  const { scheduler, taskId, logger } = options;
  const deadline = Date.now() + MAX_WAIT_MS;
  for (;;) {
    try {
      await scheduler.triggerTask(taskId);
      return;
    } catch (error) {
      if (
        !isError(error) ||
        !NOT_NOW.includes(error.name) ||
        Date.now() >= deadline
      ) {
        logger.warn(
          `Could not trigger ${taskId}; its next scheduled run takes over: ${error}`,
        );
        return;
      }
    }
    await new Promise(resolve =>
      setTimeout(resolve, options.retryIntervalMs ?? RETRY_INTERVAL_MS).unref(),
    );
  }
}

/**
 * Asks the scheduler for a run of a global task now, so it runs on one
 * replica at a time however many replicas are asked. The scheduler refuses
 * while the task runs (its run may have read the repository before the
 * push it is asked for), so the trigger is retried until that run is over
 * and the next one starts after it. Requests while a trigger is under way
 * share one more trigger after it. The promise never rejects: what it
 * cannot do is logged.
 *
 * @public
 */
export function createTaskTrigger(
  options: TaskTriggerOptions,
): () => Promise<void> {
  const triggers = new CoalescedRuns(() => triggerWhenIdle(options));
  return () => triggers.request();
}
