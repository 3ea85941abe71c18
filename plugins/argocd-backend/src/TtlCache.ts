/**
 * Answers kept for a short time, keyed by string. Concurrent requests for
 * the same key share one load; a failed load is forgotten at once, so an
 * Argo CD outage is not cached. The oldest entries go beyond `maxEntries`.
 */
export class TtlCache<T> {
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #entries = new Map<
    string,
    { expiresAt: number; value: Promise<T> }
  >();

  constructor(ttlMs: number, maxEntries = 1000) {
    this.#ttlMs = ttlMs;
    this.#maxEntries = maxEntries;
  }

  get(key: string, load: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const hit = this.#entries.get(key);
    if (hit && hit.expiresAt > now) {
      return hit.value;
    }
    this.#entries.delete(key);
    const value = load();
    this.#entries.set(key, { expiresAt: now + this.#ttlMs, value });
    value.catch(() => {
      if (this.#entries.get(key)?.value === value) {
        this.#entries.delete(key);
      }
    });
    for (const oldest of this.#entries.keys()) {
      if (this.#entries.size <= this.#maxEntries) {
        break;
      }
      this.#entries.delete(oldest);
    }
    return value;
  }
}
