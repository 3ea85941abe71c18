import { InputError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { Octokit } from '@octokit/rest';
import { GitopsConfig } from '../config';
import { ownerAndRepo } from './changeUrls';
import { pushRequestBranch } from './pushBranch';
import {
  ChangePublisher,
  ChangeRequestRef,
  ChangeStateReading,
  PublishedChange,
  PublishRequest,
} from './types';

type Checks = ChangeStateReading['checks'];

/** Commit status states, folded into the three the portal shows. */
const STATUS_RESULTS: Record<string, 'pending' | 'success' | 'failure'> = {
  success: 'success',
  pending: 'pending',
};

/** Check run conclusions that do not fail a change. */
const PASSING_CONCLUSIONS = ['success', 'neutral', 'skipped'];

/** Folds commit statuses and check runs into one result. */
function combineChecks(
  states: Array<'pending' | 'success' | 'failure'>,
): Checks {
  if (states.length === 0) return undefined;
  if (states.includes('failure')) return 'failure';
  if (states.includes('pending')) return 'pending';
  return 'success';
}

/**
 * Provider `github`: the branch is pushed with git (the token of the
 * `integrations.github` entry for the host), and a pull request is opened
 * or updated through the GitHub REST API (Octokit).
 */
export class GithubChangePublisher implements ChangePublisher {
  readonly provider = 'github' as const;
  readonly #octokit: Octokit;
  readonly #repo: { owner: string; repo: string };

  constructor(
    private readonly gitops: GitopsConfig,
    integrations: ScmIntegrationRegistry,
  ) {
    const integration = integrations.github.byUrl(gitops.repoUrl);
    if (!integration) {
      throw new InputError(
        `gitops.provider is github, but no integrations.github entry matches ${gitops.repoUrl}`,
      );
    }
    this.#octokit = new Octokit({
      baseUrl: integration.config.apiBaseUrl,
      auth: integration.config.token,
    });
    this.#repo = ownerAndRepo(gitops.repoUrl);
  }

  async publish(request: PublishRequest): Promise<PublishedChange> {
    const pushed = await pushRequestBranch(request);
    const { data: open } = await this.#octokit.pulls.list({
      ...this.#repo,
      state: 'open',
      head: `${this.#repo.owner}:${request.branch}`,
    });
    let pull = open[0];
    if (pull) {
      if (pull.title !== request.title || pull.body !== request.description) {
        ({ data: pull } = (await this.#octokit.pulls.update({
          ...this.#repo,
          pull_number: pull.number,
          title: request.title,
          body: request.description,
        })) as { data: typeof pull });
      }
    } else {
      ({ data: pull } = (await this.#octokit.pulls.create({
        ...this.#repo,
        head: request.branch,
        base: this.gitops.baseBranch,
        title: request.title,
        body: request.description,
      })) as unknown as { data: typeof pull });
    }
    return {
      branch: request.branch,
      commit: pushed.commit,
      url: pull.html_url,
      number: pull.number,
      outcome: open[0] ? pushed.outcome : 'created',
      merged: false,
    };
  }

  async readState(ref: ChangeRequestRef): Promise<ChangeStateReading> {
    if (ref.number === undefined) {
      throw new InputError(`No pull request number recorded for ${ref.branch}`);
    }
    const { data: pull } = await this.#octokit.pulls.get({
      ...this.#repo,
      pull_number: ref.number,
    });
    const headCommit = pull.head.sha;
    let state: ChangeStateReading['state'] = 'open';
    if (pull.merged_at) state = 'merged';
    else if (pull.state === 'closed') state = 'closed';
    return { state, headCommit, checks: await this.#checks(headCommit) };
  }

  async #checks(sha: string): Promise<Checks> {
    const [{ data: status }, { data: runs }] = await Promise.all([
      this.#octokit.repos.getCombinedStatusForRef({ ...this.#repo, ref: sha }),
      this.#octokit.checks.listForRef({ ...this.#repo, ref: sha }),
    ]);
    const states: Array<'pending' | 'success' | 'failure'> = [];
    if (status.total_count > 0) {
      states.push(STATUS_RESULTS[status.state] ?? 'failure');
    }
    for (const run of runs.check_runs) {
      if (run.status !== 'completed') states.push('pending');
      else
        states.push(
          PASSING_CONCLUSIONS.includes(run.conclusion ?? '')
            ? 'success'
            : 'failure',
        );
    }
    return combineChecks(states);
  }
}
