import { mockServices } from '@backstage/backend-test-utils';
import { ConflictError, NotFoundError } from '@backstage/errors';
import { createTaskTrigger } from './taskTrigger';

function setup(outcomes: Array<Error | undefined>, retryIntervalMs = 10) {
  const scheduler = mockServices.scheduler.mock();
  scheduler.triggerTask.mockImplementation(async () => {
    const outcome = outcomes.shift();
    if (outcome) throw outcome;
  });
  const logger = mockServices.logger.mock();
  const trigger = createTaskTrigger({
    scheduler,
    taskId: 'some-task',
    logger,
    retryIntervalMs,
  });
  return { scheduler, logger, trigger };
}

describe('createTaskTrigger', () => {
  afterEach(() => jest.useRealTimers());

  it('triggers the task, and a burst of requests as one more trigger after it', async () => {
    const { scheduler, trigger } = setup([]);
    await Promise.all([trigger(), trigger(), trigger(), trigger()]);
    expect(scheduler.triggerTask).toHaveBeenCalledTimes(2);
    expect(scheduler.triggerTask).toHaveBeenCalledWith('some-task');
  });

  it('waits for the run under way on any replica, and for a task not registered yet', async () => {
    const { scheduler, logger, trigger } = setup([
      new NotFoundError('Task some-task does not exist'),
      new ConflictError('Task some-task is currently running'),
      new ConflictError('Task some-task is currently running'),
    ]);
    await trigger();
    expect(scheduler.triggerTask).toHaveBeenCalledTimes(4);
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('gives up on other errors, and after a quarter of an hour, and says so', async () => {
    const broken = setup([new Error('database is down')]);
    await expect(broken.trigger()).resolves.toBeUndefined();
    expect(broken.scheduler.triggerTask).toHaveBeenCalledTimes(1);
    expect(broken.logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('Could not trigger some-task'),
    );

    jest.useFakeTimers();
    // A run that never ends: one attempt a second for 15 minutes.
    const busy = setup(
      Array.from({ length: 1000 }, () => new ConflictError('running')),
      1000,
    );
    const waiting = busy.trigger();
    await jest.advanceTimersByTimeAsync(15 * 60_000 + 1000);
    await waiting;
    expect(busy.logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('its next scheduled run takes over'),
    );
    const attempts = busy.scheduler.triggerTask.mock.calls.length;
    expect(attempts).toBeGreaterThanOrEqual(900);
    expect(attempts).toBeLessThan(1000);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(busy.scheduler.triggerTask).toHaveBeenCalledTimes(attempts);
  });
});
