import { presentBranches } from './repository';

/** How often the watch looks: the resolution of the push times. */
const POLL_MS = 5;

/**
 * Notes when branches appear in a bare repository. One poll every 5 ms
 * serves every branch watched (a stat each, packed-refs read once), not a
 * poll per task: the backend under test runs in this process, and ten
 * tasks at once must not pay for ten watchers.
 */
export class BranchWatch {
  readonly #waiting = new Map<string, (at: number) => void>();
  #timer?: NodeJS.Timeout;

  constructor(readonly bare: string) {}

  /** Calls `onPushed` with performance.now() of the look that saw it. */
  watch(branch: string, onPushed: (at: number) => void): void {
    this.#waiting.set(branch, onPushed);
    this.#timer ??= setInterval(() => this.#look(), POLL_MS);
  }

  /** Looks once more (it may have come since the last look), then stops. */
  stop(branch: string): void {
    if (this.#waiting.has(branch)) this.#look([branch]);
    this.#waiting.delete(branch);
    if (this.#waiting.size === 0) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }

  #look(branches = [...this.#waiting.keys()]) {
    const now = performance.now();
    for (const branch of presentBranches(this.bare, branches)) {
      this.#waiting.get(branch)?.(now);
      this.#waiting.delete(branch);
    }
  }
}
