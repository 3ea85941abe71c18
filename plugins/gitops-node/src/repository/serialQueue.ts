/**
 * Runs tasks one at a time, in the order they were queued; a failed task
 * does not stop the ones after it.
 */
export class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();
  /** Shared tasks queued and not yet started, by key. */
  readonly #waiting = new Map<string, Promise<unknown>>();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(task, task);
    this.#tail = result.catch(() => undefined);
    return result;
  }

  /**
   * Like {@link SerialQueue.run}, but a call made while a task of the same
   * key waits in the queue gets that task's result instead of queueing
   * another: the waiting task starts after the call, so it does all that
   * the call asked for.
   */
  runShared<T>(key: string, task: () => Promise<T>): Promise<T> {
    const waiting = this.#waiting.get(key) as Promise<T> | undefined;
    if (waiting) return waiting;
    const result = this.run(() => {
      this.#waiting.delete(key);
      return task();
    });
    this.#waiting.set(key, result);
    return result;
  }
}
