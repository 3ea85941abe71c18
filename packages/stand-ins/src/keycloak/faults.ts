import http from 'node:http';
import { KeycloakRequestKind } from './adminApi';

/** How the stand-in misbehaves once failAfter() has counted down. */
export interface FaultOptions {
  /** Answer 500 (the default), or never answer. */
  mode?: 'error' | 'hang';
  /** Only requests of these kinds count and fail; by default all do. */
  only?: KeycloakRequestKind[];
  /** How many requests fail before it answers again; by default all. */
  times?: number;
}

/**
 * The failures a test asked for: after `count` matching requests, the next
 * `times` matching ones fail. Hung requests are kept so heal() can drop
 * their connections, as a restarted Keycloak would.
 */
export function faults() {
  let armed: (Required<Omit<FaultOptions, 'only'>> & FaultOptions) | undefined;
  let left = 0;
  const hung = new Set<http.ServerResponse>();
  return {
    failAfter(count: number, options: FaultOptions = {}) {
      armed = { mode: 'error', times: Infinity, ...options };
      left = count;
    },
    /** Whether to answer, fail with 500 or hang this request. */
    decide(
      kind: KeycloakRequestKind,
      res: http.ServerResponse,
    ): 'answer' | 'error' | 'hang' {
      if (!armed || (armed.only && !armed.only.includes(kind))) {
        return 'answer';
      }
      if (left > 0) {
        left--;
        return 'answer';
      }
      if (armed.times <= 0) {
        return 'answer';
      }
      armed.times--;
      if (armed.mode === 'hang') {
        hung.add(res);
        res.once('close', () => hung.delete(res));
      }
      return armed.mode;
    },
    heal() {
      armed = undefined;
      for (const res of hung) {
        res.socket?.destroy();
      }
    },
  };
}
