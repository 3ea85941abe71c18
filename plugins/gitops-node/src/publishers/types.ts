import { GitopsProvider } from '../config';
import { GitOpsRepository } from '../repository/GitOpsRepository';
import { Worktree } from '../repository/Worktree';

/**
 * A commit of a task's worktree, to be published as a change request.
 *
 * @public
 */
export interface PublishRequest {
  repository: GitOpsRepository;
  worktree: Worktree;
  /** The commit on top of `worktree.base`. */
  commit: string;
  /** The request's own branch (ignored when committing to the base branch). */
  branch: string;
  title: string;
  description: string;
  /** Who asked, as a user entity ref; recorded in the commit trailer. */
  requester?: string;
  author: { name: string; email: string };
}

/**
 * Where a change went.
 *
 * @public
 */
export interface PublishedChange {
  /** The branch pushed to: the request's branch, or the base branch. */
  branch: string;
  /** The commit at the head of that branch. */
  commit: string;
  /** The change at the Git forge: pull request, merge request, compare or commit page. */
  url: string;
  /** The pull or merge request number, where the provider has them. */
  number?: number;
  /** `unchanged` when the branch already held exactly this change. */
  outcome: 'created' | 'updated' | 'unchanged';
  /** True when the change went straight to the base branch. */
  merged: boolean;
}

/**
 * A published change request, as recorded, to read its state again.
 *
 * @public
 */
export interface ChangeRequestRef {
  branch: string;
  /** The commit last seen at the head of the branch. */
  commit: string;
  number?: number;
}

/**
 * The state of a change request at the provider.
 *
 * @public
 */
export interface ChangeStateReading {
  state: 'open' | 'merged' | 'closed';
  /** The head of the branch now, when it still exists. */
  headCommit?: string;
  /** The combined result of the checks or pipeline of the head, if any ran. */
  checks?: 'pending' | 'success' | 'failure';
}

/**
 * Publishes changes to the GitOps repository as change requests and reads
 * their state back: one implementation per `gitops.provider`.
 *
 * @public
 */
export interface ChangePublisher {
  readonly provider: GitopsProvider;
  publish(request: PublishRequest): Promise<PublishedChange>;
  readState(ref: ChangeRequestRef): Promise<ChangeStateReading>;
}
