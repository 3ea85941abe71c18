import { AsyncLocalStorage } from 'node:async_hooks';
import { ReadingPolicy } from './readingPolicy';

/** One call of the URL reader: its policy, and the connections it refused. */
export interface ReadingCall {
  policy: ReadingPolicy;
  refusals: Error[];
}

const scope = new AsyncLocalStorage<ReadingCall>();

/**
 * Runs `read` as URL reading: every HTTP request it makes, including those
 * that follow redirects, goes through a guarded connection pool.
 */
export function runAsReading<T>(call: ReadingCall, read: () => Promise<T>) {
  return scope.run(call, read);
}

/** The URL reader call the current code runs for, if any. */
export function currentReadingCall(): ReadingCall | undefined {
  return scope.getStore();
}

/**
 * One value per policy, made on first use: each policy gets its own
 * connection pools, so a connection checked under one policy is never
 * reused under another.
 */
export function perPolicy<T>(make: (policy: ReadingPolicy) => T) {
  const made = new WeakMap<ReadingPolicy, T>();
  return (policy: ReadingPolicy): T => {
    if (!made.has(policy)) {
      made.set(policy, make(policy));
    }
    return made.get(policy)!;
  };
}
