import {
  MetricsService,
  MetricsServiceCounter,
  MetricsServiceHistogram,
} from '@backstage/backend-plugin-api/alpha';
import { ObjectsByEntityResponse } from '@backstage/plugin-kubernetes-common';

type Outcome = 'ok' | 'error' | 'timeout';
type OutcomeAttributes = { outcome: Outcome };

/** What a connection or request timeout looks like in a fetch error's message. */
const TIMEOUT = /timed? ?out|ETIMEDOUT|aborted due to timeout/i;

const DURATION_BUCKETS_MS = [
  10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000,
];

/**
 * The outcome of one read across the clusters: the Kubernetes plugin
 * reports a cluster's failure inside its answer rather than by throwing,
 * so the answer's errors count. Any timeout makes it `timeout`.
 */
export function outcomeOf(
  response: ObjectsByEntityResponse | undefined,
  thrown?: unknown,
): Outcome {
  const messages = thrown
    ? [String((thrown as Error)?.message ?? thrown)]
    : (response?.items ?? []).flatMap(item =>
        (item.errors ?? []).map(error =>
          'message' in error ? error.message : error.errorType,
        ),
      );
  if (!thrown && messages.length === 0) return 'ok';
  return messages.some(message => TIMEOUT.test(message)) ? 'timeout' : 'error';
}

/**
 * Reads of the Kubernetes plugin's objects provider, which every resource
 * route and action goes through: `portal.kubernetes.requests` by outcome
 * and `portal.kubernetes.request.duration` in ms, one per read (all
 * clusters of it).
 */
export class KubernetesRequestMetrics {
  readonly #requests: MetricsServiceCounter<OutcomeAttributes>;
  readonly #duration: MetricsServiceHistogram<OutcomeAttributes>;

  constructor(metrics: MetricsService) {
    this.#requests = metrics.createCounter<OutcomeAttributes>(
      'portal.kubernetes.requests',
      { description: 'Reads from the Kubernetes API, by outcome' },
    );
    this.#duration = metrics.createHistogram<OutcomeAttributes>(
      'portal.kubernetes.request.duration',
      {
        description: 'Time a read from the Kubernetes API took',
        unit: 'ms',
        advice: { explicitBucketBoundaries: DURATION_BUCKETS_MS },
      },
    );
  }

  /** Runs one read and records its outcome and time. */
  async observe(
    read: () => Promise<ObjectsByEntityResponse>,
  ): Promise<ObjectsByEntityResponse> {
    const started = performance.now();
    const done = (outcome: Outcome) => {
      this.#requests.add(1, { outcome });
      this.#duration.record(performance.now() - started, { outcome });
    };
    try {
      const response = await read();
      done(outcomeOf(response));
      return response;
    } catch (error) {
      done(outcomeOf(undefined, error));
      throw error;
    }
  }
}
