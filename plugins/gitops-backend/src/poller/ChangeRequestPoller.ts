import { LoggerService } from '@backstage/backend-plugin-api';
import { GitopsService } from '@internal/plugin-gitops-node';
import {
  ChangeRequestStore,
  DeployStatus,
  StoredChangeRequest,
} from '../store/ChangeRequestStore';
import { ChangeRequestEvent, ChangeRequestNotifier } from './notifier';

/** Reads what Argo CD says about the applications of a change request. */
export interface DeploymentStatusReader {
  /** healthy, degraded, or undefined while it is neither (or unknown). */
  statusOf(request: StoredChangeRequest): Promise<DeployStatus | undefined>;
}

/** Options of {@link ChangeRequestPoller}. */
export interface ChangeRequestPollerOptions {
  store: ChangeRequestStore;
  gitops: GitopsService;
  notifier: Pick<ChangeRequestNotifier, 'notify'>;
  deployments?: DeploymentStatusReader;
  logger: LoggerService;
  /** How long after its merge a change request's deployment is followed. */
  deployWatchMs: number;
  /** Called for every transition, for metrics. */
  onTransition?: (
    request: StoredChangeRequest,
    event: ChangeRequestEvent,
  ) => void;
}

/**
 * Follows every open change request at its provider (merged, closed, or
 * updated by someone), and every recently merged one in Argo CD, and tells
 * the requester about each transition. Runs on one replica at a time.
 */
export class ChangeRequestPoller {
  constructor(private readonly options: ChangeRequestPollerOptions) {}

  async run(): Promise<void> {
    const { store, logger, deployWatchMs } = this.options;
    const requests = await store.following(
      new Date(Date.now() - deployWatchMs),
    );
    for (const request of requests) {
      try {
        const state = await this.#followState(request);
        if (state === 'merged') await this.#followDeployment(request);
      } catch (error) {
        // One unreadable request must not stop the others.
        logger.warn(
          `Could not follow change request ${request.id} (${request.branch}): ${error}`,
        );
      }
    }
  }

  async #emit(request: StoredChangeRequest, event: ChangeRequestEvent) {
    this.options.onTransition?.(request, event);
    await this.options.notifier.notify(request, event);
  }

  async #followState(request: StoredChangeRequest) {
    if (request.state !== 'open') return request.state;
    const reading = await this.options.gitops.publisher().readState({
      branch: request.branch,
      commit: request.headCommit,
      number: request.number,
    });
    const headCommit =
      reading.headCommit && reading.headCommit !== request.headCommit
        ? reading.headCommit
        : undefined;
    const checks =
      (reading.checks ?? null) !== (request.checks ?? null)
        ? reading.checks ?? null
        : undefined;
    const state = reading.state !== 'open' ? reading.state : undefined;
    if (headCommit || checks !== undefined || state) {
      await this.options.store.update(request.id, {
        state,
        headCommit,
        checks,
      });
      this.options.logger.info(
        `Change request ${request.id} (${request.branch}): ${state ?? 'open'}${
          headCommit ? `, head now ${headCommit}` : ''
        }`,
      );
    }
    if (state) await this.#emit(request, state);
    return reading.state;
  }

  async #followDeployment(request: StoredChangeRequest) {
    const status = await this.options.deployments?.statusOf(request);
    if (!status || status === request.deployStatus) return;
    await this.options.store.update(request.id, { deployStatus: status });
    await this.#emit(request, status);
  }
}
