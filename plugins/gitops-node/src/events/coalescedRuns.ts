/**
 * Runs a task now, or once more right after the run under way: however
 * many requests arrive during a run (a burst of pushes, a push during a
 * scheduled run), they share one more run, which starts after the current
 * one and so sees everything they announced.
 *
 * @public
 */
export class CoalescedRuns<T> {
  readonly #task: () => Promise<T>;
  #current?: Promise<T>;
  #next?: Promise<T>;

  constructor(task: () => Promise<T>) {
    this.#task = task;
  }

  request(): Promise<T> {
    if (!this.#current) {
      this.#current = this.#task().finally(() => {
        this.#current = undefined;
      });
      return this.#current;
    }
    this.#next ??= this.#current
      .catch(() => undefined)
      .then(() => {
        this.#next = undefined;
        return this.request();
      });
    return this.#next;
  }
}
