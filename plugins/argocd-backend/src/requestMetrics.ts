import {
  MetricsService,
  MetricsServiceCounter,
  MetricsServiceHistogram,
} from '@backstage/backend-plugin-api/alpha';
import { ArgoCdUnavailableError } from './errors';

/** ok: a usable answer (absent applications included); timeout: no answer in time; error: anything else. */
type OutcomeAttributes = { outcome: 'ok' | 'error' | 'timeout' };

/** Argo CD answers in milliseconds to seconds; the timeout is 10 s by default. */
const DURATION_BUCKETS_MS = [
  5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000,
];

/**
 * Calls to Argo CD's API: `portal.argocd.requests` by outcome and
 * `portal.argocd.request.duration` in ms. A failing Argo CD degrades the
 * Argo CD views only, so these are where it shows.
 */
export class ArgoCdRequestMetrics {
  readonly #requests: MetricsServiceCounter<OutcomeAttributes>;
  readonly #duration: MetricsServiceHistogram<OutcomeAttributes>;

  constructor(metrics: MetricsService) {
    this.#requests = metrics.createCounter<OutcomeAttributes>(
      'portal.argocd.requests',
      { description: 'Requests to the Argo CD API, by outcome' },
    );
    this.#duration = metrics.createHistogram<OutcomeAttributes>(
      'portal.argocd.request.duration',
      {
        description: 'Time until Argo CD answered, or the request failed',
        unit: 'ms',
        advice: { explicitBucketBoundaries: DURATION_BUCKETS_MS },
      },
    );
  }

  /** Runs one request and records its outcome and time. */
  async observe<T>(request: () => Promise<T>): Promise<T> {
    const started = performance.now();
    const done = (outcome: OutcomeAttributes['outcome']) => {
      this.#requests.add(1, { outcome });
      this.#duration.record(performance.now() - started, { outcome });
    };
    try {
      const answer = await request();
      done('ok');
      return answer;
    } catch (error) {
      const timedOut =
        error instanceof ArgoCdUnavailableError && error.statusCode === 504;
      done(timedOut ? 'timeout' : 'error');
      throw error;
    }
  }
}
