import { EventParams } from '@backstage/plugin-events-node';
import { GitopsConfig } from '../config';
import { repoWebUrl } from '../publishers/changeUrls';

/**
 * Topic of the plain-Git push webhook, served by the events backend at
 * `POST /api/events/http/gitops` (Gitea, Forgejo or GitHub payload and
 * signature shapes).
 *
 * @public
 */
export const GIT_PUSH_TOPIC = 'gitops';

/**
 * Topics that announce pushes to the GitOps repository: the GitHub and
 * GitLab modules' routers publish pushes under `github.push` and
 * `gitlab.push`, the plain-Git webhook under {@link GIT_PUSH_TOPIC}.
 *
 * @public
 */
export const PUSH_TOPICS = ['github.push', 'gitlab.push', GIT_PUSH_TOPIC];

/** Headers that name the event type of a plain-Git webhook. */
const EVENT_HEADERS = ['x-gitea-event', 'x-forgejo-event', 'x-github-event'];

function field(value: unknown, key: string): unknown {
  return value && typeof value === 'object'
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

/** A repository URL as compared: its web address, lower case. */
function normalized(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  try {
    return repoWebUrl(url).toLocaleLowerCase('en-US');
  } catch {
    return undefined;
  }
}

/** The repository URLs a push payload names (GitHub, GitLab, Gitea shapes). */
function pushedRepositoryUrls(payload: unknown): unknown[] {
  const repository = field(payload, 'repository');
  const project = field(payload, 'project');
  return [
    field(repository, 'clone_url'),
    field(repository, 'html_url'),
    field(repository, 'git_http_url'),
    field(project, 'git_http_url'),
    field(project, 'web_url'),
  ];
}

/**
 * Whether an event announces a push to the base branch of the GitOps
 * repository; pushes to other repositories or branches, and other events
 * of the plain-Git webhook, are not.
 *
 * @public
 */
export function isBaseBranchPush(
  event: EventParams,
  gitops: Pick<GitopsConfig, 'repoUrl' | 'baseBranch'>,
): boolean {
  if (!PUSH_TOPICS.includes(event.topic)) return false;
  const type = EVENT_HEADERS.map(header => event.metadata?.[header]).find(
    value => value !== undefined,
  );
  if (event.topic === GIT_PUSH_TOPIC && type !== undefined && type !== 'push') {
    return false;
  }
  if (field(event.eventPayload, 'ref') !== `refs/heads/${gitops.baseBranch}`) {
    return false;
  }
  const ours = normalized(gitops.repoUrl);
  return pushedRepositoryUrls(event.eventPayload).some(
    url => normalized(url) === ours,
  );
}
