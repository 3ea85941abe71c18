import { KeycloakRequestKind } from './adminApi';

/** What the stand-in saw, since it started or since resetStats(). */
export interface KeycloakAdminStats {
  requests: number;
  byKind: Partial<Record<KeycloakRequestKind, number>>;
  /** Requests in flight now: hanging ones stay in flight. */
  inFlight: number;
  /** Most requests in flight at once. */
  peakConcurrency: number;
  /** Most requests that arrived within one wall-clock second. */
  peakPerSecond: number;
  /** Requests per second over the seconds between the first and last one. */
  meanPerSecond: number;
}

/** Bounds what is kept, however long the stand-in runs. */
const REQUEST_LOG_LIMIT = 10_000;
const SECONDS_KEPT = 3_600;

/** Requests per second, peak concurrency and the recent request log. */
export function recorder() {
  let stats: KeycloakAdminStats;
  let perSecond = new Map<number, number>();
  let inFlight = 0;
  const requests: string[] = [];
  const reset = () => {
    stats = {
      requests: 0,
      byKind: {},
      inFlight,
      peakConcurrency: inFlight,
      peakPerSecond: 0,
      meanPerSecond: 0,
    };
    perSecond = new Map();
  };
  reset();
  return {
    requests,
    reset,
    started(line: string) {
      requests.push(line);
      if (requests.length > REQUEST_LOG_LIMIT) {
        requests.splice(0, requests.length - REQUEST_LOG_LIMIT);
      }
      inFlight++;
      stats.peakConcurrency = Math.max(stats.peakConcurrency, inFlight);
      const second = Math.floor(Date.now() / 1000);
      perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
      if (perSecond.size > SECONDS_KEPT) {
        perSecond.delete(perSecond.keys().next().value!);
      }
    },
    finished: () => inFlight--,
    counted(kind: KeycloakRequestKind) {
      stats.requests++;
      stats.byKind[kind] = (stats.byKind[kind] ?? 0) + 1;
    },
    snapshot(): KeycloakAdminStats {
      const seconds = [...perSecond.keys()];
      const span = seconds.length
        ? Math.max(...seconds) - Math.min(...seconds) + 1
        : 1;
      return {
        ...stats,
        byKind: { ...stats.byKind },
        inFlight,
        peakPerSecond: Math.max(0, ...perSecond.values()),
        meanPerSecond: stats.requests / span,
      };
    },
  };
}
