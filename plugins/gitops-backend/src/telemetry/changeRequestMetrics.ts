import {
  MetricsService,
  MetricsServiceCounter,
} from '@backstage/backend-plugin-api/alpha';
import { ChangeRequestRecord } from '@internal/plugin-gitops-common';
import { ChangeRequestEvent } from '../poller/notifier';

type TemplateAttributes = { template: string };

/**
 * Change requests by golden path (`template`, the template's entity ref):
 * `portal.change_requests.opened` when one is recorded (a new one, not an
 * update of the same branch's open request), `.merged` and `.closed` when
 * the poller sees it change at its provider. A change committed straight
 * to the base branch is recorded merged, so it counts as merged only.
 */
export class ChangeRequestMetrics {
  readonly #opened: MetricsServiceCounter<TemplateAttributes>;
  readonly #merged: MetricsServiceCounter<TemplateAttributes>;
  readonly #closed: MetricsServiceCounter<TemplateAttributes>;

  constructor(metrics: MetricsService) {
    this.#opened = metrics.createCounter('portal.change_requests.opened', {
      description: 'Change requests opened by golden paths',
    });
    this.#merged = metrics.createCounter('portal.change_requests.merged', {
      description: 'Change requests of golden paths merged at their provider',
    });
    this.#closed = metrics.createCounter('portal.change_requests.closed', {
      description:
        'Change requests of golden paths closed at their provider without a merge',
    });
  }

  /** For the record route's `onRecorded`. */
  recorded(record: ChangeRequestRecord, created: boolean): void {
    if (!created) return;
    const counter = record.merged ? this.#merged : this.#opened;
    counter.add(1, { template: record.template });
  }

  /** For the poller's `onTransition`. */
  transition(request: { template: string }, event: ChangeRequestEvent): void {
    if (event === 'merged') this.#merged.add(1, { template: request.template });
    if (event === 'closed') this.#closed.add(1, { template: request.template });
  }
}
