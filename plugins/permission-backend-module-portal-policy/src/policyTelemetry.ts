import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  MetricsService,
  MetricsServiceCounter,
  MetricsServiceHistogram,
  TracingService,
} from '@backstage/backend-plugin-api/alpha';
import { PolicyDecision } from '@backstage/plugin-permission-common';
import type { Evaluation } from './portalPolicy';

/** Attributes of both decision metrics. */
type DecisionAttributes = {
  /** ALLOW, DENY or CONDITIONAL. */
  result: string;
  /** The role whose binding decided, or `none` (default deny). */
  role: string;
};

/** Records one decision once it is known: metrics, and the span's attributes. */
export interface DecisionRecorder {
  record(evaluation: Evaluation, evaluationMs: number): void;
}

/**
 * Policy time per decision: the user lookup and the evaluation, without the
 * audit write. Most are well under a millisecond; a user lookup over HTTP
 * takes a few.
 */
const DURATION_BUCKETS_MS = [
  0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000,
];

/**
 * The policy's metrics (`portal.permission.decision.duration` in ms and
 * `portal.permission.decisions`, both by result and deciding role) and a
 * `portal.permission.decide` span per decision, child of the request that
 * asked. Names of permissions go on the span only: as a metric attribute
 * they would multiply the series by every permission there is.
 */
export class PolicyTelemetry {
  readonly #duration: MetricsServiceHistogram<DecisionAttributes>;
  readonly #decisions: MetricsServiceCounter<DecisionAttributes>;
  readonly #tracing: TracingService;

  constructor(metrics: MetricsService, tracing: TracingService) {
    this.#duration = metrics.createHistogram<DecisionAttributes>(
      'portal.permission.decision.duration',
      {
        description:
          'Time the portal policy took per decision (user lookup and evaluation)',
        unit: 'ms',
        advice: { explicitBucketBoundaries: DURATION_BUCKETS_MS },
      },
    );
    this.#decisions = metrics.createCounter<DecisionAttributes>(
      'portal.permission.decisions',
      { description: 'Decisions of the portal policy' },
    );
    this.#tracing = tracing;
  }

  /** Runs one decision in its span; `decide` reports it through the recorder. */
  decide(
    permission: string,
    credentials: BackstageCredentials | undefined,
    decide: (recorder: DecisionRecorder) => Promise<PolicyDecision>,
  ): Promise<PolicyDecision> {
    return this.#tracing.startActiveSpan(
      'portal.permission.decide',
      {
        kind: 'internal',
        credentials,
        attributes: { 'portal.permission.name': permission },
      },
      span =>
        decide({
          record: (evaluation, evaluationMs) => {
            const attributes = {
              result: evaluation.decision.result,
              role: evaluation.decidedBy?.role ?? 'none',
            };
            this.#duration.record(evaluationMs, attributes);
            this.#decisions.add(1, attributes);
            span.setAttribute('portal.permission.result', attributes.result);
            span.setAttribute('portal.permission.role', attributes.role);
          },
        }),
    );
  }
}
