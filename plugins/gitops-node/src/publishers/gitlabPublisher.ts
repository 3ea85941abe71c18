import { InputError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { Gitlab } from '@gitbeaker/rest';
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

/** GitLab merge request states; `closed` and anything unknown count as closed. */
const MERGE_REQUEST_STATES: Record<string, ChangeStateReading['state']> = {
  merged: 'merged',
  opened: 'open',
  locked: 'open',
};

/** GitLab pipeline statuses, folded into the three the portal shows. */
function pipelineChecks(status: unknown): ChangeStateReading['checks'] {
  if (typeof status !== 'string') return undefined;
  if (status === 'success') return 'success';
  if (['failed', 'canceled'].includes(status)) return 'failure';
  if (status === 'skipped' || status === 'manual') return undefined;
  return 'pending';
}

/**
 * Provider `gitlab`: the branch is pushed with git (the token of the
 * `integrations.gitlab` entry for the host), and a merge request is opened
 * or updated through the GitLab REST API (gitbeaker).
 */
export class GitlabChangePublisher implements ChangePublisher {
  readonly provider = 'gitlab' as const;
  readonly #api: InstanceType<typeof Gitlab>;
  readonly #project: string;

  constructor(
    private readonly gitops: GitopsConfig,
    integrations: ScmIntegrationRegistry,
  ) {
    const integration = integrations.gitlab.byUrl(gitops.repoUrl);
    if (!integration?.config.token) {
      throw new InputError(
        `gitops.provider is gitlab, but no integrations.gitlab entry with a token matches ${gitops.repoUrl}`,
      );
    }
    this.#api = new Gitlab({
      host: integration.config.apiBaseUrl.replace(/\/api\/v4\/?$/, ''),
      token: integration.config.token,
    });
    const { owner, repo } = ownerAndRepo(gitops.repoUrl);
    this.#project = `${owner}/${repo}`;
  }

  async publish(request: PublishRequest): Promise<PublishedChange> {
    const pushed = await pushRequestBranch(request);
    const open = await this.#api.MergeRequests.all({
      projectId: this.#project,
      sourceBranch: request.branch,
      state: 'opened',
    });
    let mr = open[0] as
      | {
          iid: number;
          web_url: string;
          title: string;
          description?: string | null;
        }
      | undefined;
    if (
      mr &&
      (mr.title !== request.title || mr.description !== request.description)
    ) {
      mr = (await this.#api.MergeRequests.edit(this.#project, mr.iid, {
        title: request.title,
        description: request.description,
      })) as unknown as typeof mr;
    }
    if (!mr) {
      mr = (await this.#api.MergeRequests.create(
        this.#project,
        request.branch,
        this.gitops.baseBranch,
        request.title,
        { description: request.description, removeSourceBranch: true },
      )) as unknown as typeof mr;
    }
    return {
      branch: request.branch,
      commit: pushed.commit,
      url: mr!.web_url,
      number: mr!.iid,
      outcome: open[0] ? pushed.outcome : 'created',
      merged: false,
    };
  }

  async readState(ref: ChangeRequestRef): Promise<ChangeStateReading> {
    if (ref.number === undefined) {
      throw new InputError(
        `No merge request number recorded for ${ref.branch}`,
      );
    }
    const mr = (await this.#api.MergeRequests.show(
      this.#project,
      ref.number,
    )) as {
      state: string;
      sha?: string;
      head_pipeline?: { status?: string } | null;
    };
    const state = MERGE_REQUEST_STATES[mr.state] ?? 'closed';
    return {
      state,
      headCommit: mr.sha,
      checks: pipelineChecks(mr.head_pipeline?.status),
    };
  }
}
