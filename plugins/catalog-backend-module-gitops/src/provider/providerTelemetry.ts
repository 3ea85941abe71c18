import {
  MetricsService,
  MetricsServiceCounter,
  MetricsServiceHistogram,
  TracingService,
} from '@backstage/backend-plugin-api/alpha';
import type { GitopsProviderRun } from './run';

type RunAttributes = { result: 'success' | 'failure' };

/** A run is seconds of git and catalog writes; a first run on a big repository, minutes. */
const DURATION_BUCKETS_S = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

/**
 * The GitOps provider's runs as metrics (`portal.gitops.provider.runs` by
 * result, `portal.gitops.provider.run.duration` in seconds) and as a
 * `portal.gitops.provider.run` span each, with what the run did. A failed
 * run keeps the catalog as it was, so failures show here and in the log
 * only.
 *
 * @public
 */
export class GitopsProviderTelemetry {
  readonly #runs: MetricsServiceCounter<RunAttributes>;
  readonly #duration: MetricsServiceHistogram<RunAttributes>;
  readonly #tracing: TracingService;

  constructor(metrics: MetricsService, tracing: TracingService) {
    this.#runs = metrics.createCounter<RunAttributes>(
      'portal.gitops.provider.runs',
      { description: 'Runs of the GitOps catalog provider, by result' },
    );
    this.#duration = metrics.createHistogram<RunAttributes>(
      'portal.gitops.provider.run.duration',
      {
        description: 'Wall time of a GitOps catalog provider run',
        unit: 's',
        advice: { explicitBucketBoundaries: DURATION_BUCKETS_S },
      },
    );
    this.#tracing = tracing;
  }

  /** Runs `run` in its span and records its result and duration. */
  observe(run: () => Promise<GitopsProviderRun>): Promise<GitopsProviderRun> {
    return this.#tracing.startActiveSpan(
      'portal.gitops.provider.run',
      { kind: 'internal' },
      async span => {
        const started = performance.now();
        const done = (result: RunAttributes['result']) => {
          this.#runs.add(1, { result });
          this.#duration.record((performance.now() - started) / 1000, {
            result,
          });
        };
        try {
          const outcome = await run();
          done('success');
          span.setAttribute('portal.gitops.run.kind', outcome.kind);
          span.setAttribute('portal.gitops.run.commit', outcome.commit);
          span.setAttribute('portal.gitops.run.added', outcome.added);
          span.setAttribute('portal.gitops.run.removed', outcome.removed);
          span.setAttribute('portal.gitops.run.errors', outcome.errors);
          return outcome;
        } catch (error) {
          done('failure');
          throw error;
        }
      },
    );
  }
}
