import { KeycloakRequestKind } from './adminApi';

/** What the stand-in saw, since it started or since resetStats(). */
export interface KeycloakAdminStats {
  requests: number;
  byKind: Partial<Record<KeycloakRequestKind, number>>;
  /** Requests in flight now: hanging ones stay in flight. */
  inFlight: number;
  /** Most requests in flight at once. */
  peakConcurrency: number;
  /** Most requests that arrived within any one second (a sliding window). */
  peakPerSecond: number;
  /** Requests per second from the first to the latest (over 1 s at least). */
  meanPerSecond: number;
  /** When the first and the latest request arrived (epoch ms), if any did. */
  firstAt?: number;
  lastAt?: number;
}

/** Bounds what is kept, however long the stand-in runs. */
const REQUEST_LOG_LIMIT = 10_000;

/** Requests per second, peak concurrency and the recent request log. */
export function recorder() {
  let stats: KeycloakAdminStats;
  // Arrival times from `oldest` on are the last second's requests; the
  // older ones are dropped in batches, so memory stays at the peak rate.
  let window: number[] = [];
  let oldest = 0;
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
    window = [];
    oldest = 0;
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
      const now = Date.now();
      stats.lastAt = now;
      stats.firstAt ??= now;
      stats.peakConcurrency = Math.max(stats.peakConcurrency, inFlight);
      window.push(now);
      while (window[oldest] <= now - 1000) oldest++;
      stats.peakPerSecond = Math.max(
        stats.peakPerSecond,
        window.length - oldest,
      );
      if (oldest > 1024) {
        window = window.slice(oldest);
        oldest = 0;
      }
    },
    finished: () => inFlight--,
    counted(kind: KeycloakRequestKind) {
      stats.requests++;
      stats.byKind[kind] = (stats.byKind[kind] ?? 0) + 1;
    },
    snapshot(): KeycloakAdminStats {
      const seconds = ((stats.lastAt ?? 0) - (stats.firstAt ?? 0)) / 1000;
      return {
        ...stats,
        byKind: { ...stats.byKind },
        inFlight,
        meanPerSecond: stats.requests / Math.max(1, seconds),
      };
    },
  };
}
