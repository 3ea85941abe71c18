import { GitopsConfig } from '../config';
import { GitOpsRepository } from '../repository/GitOpsRepository';
import { gitChangeUrl } from './changeUrls';
import { pushRequestBranch, pushToBaseBranch } from './pushBranch';
import {
  ChangePublisher,
  ChangeRequestRef,
  ChangeStateReading,
  PublishedChange,
  PublishRequest,
} from './types';

/**
 * Provider `git`: any Git server over HTTP(S). A change request is a branch
 * named after the request (or a commit on the base branch when
 * `gitops.commitToBaseBranch` is set); it is merged when the branch's tip
 * is reachable from the base branch, and closed when the branch is gone
 * without that.
 */
export class GitChangePublisher implements ChangePublisher {
  readonly provider = 'git' as const;

  constructor(
    private readonly gitops: GitopsConfig,
    private readonly repository: GitOpsRepository,
  ) {}

  async publish(request: PublishRequest): Promise<PublishedChange> {
    if (this.gitops.commitToBaseBranch) {
      const commit = await pushToBaseBranch(request);
      const branch = this.gitops.baseBranch;
      return {
        branch,
        commit,
        url: gitChangeUrl(this.gitops, branch, commit),
        outcome: 'created',
        merged: true,
      };
    }
    const pushed = await pushRequestBranch(request);
    return {
      branch: request.branch,
      commit: pushed.commit,
      url: gitChangeUrl(this.gitops, request.branch, pushed.commit),
      outcome: pushed.outcome,
      merged: false,
    };
  }

  async readState(ref: ChangeRequestRef): Promise<ChangeStateReading> {
    const base = await this.repository.fetch();
    const tip = await this.repository.fetchBranch(ref.branch);
    const head = tip ?? ref.commit;
    if (
      (await this.repository.resolve(head)) &&
      (await this.repository.isAncestor(head, base))
    ) {
      return { state: 'merged', headCommit: head };
    }
    if (!tip) {
      return { state: 'closed' };
    }
    return { state: 'open', headCommit: tip };
  }
}
