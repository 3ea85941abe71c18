import { EventParams } from '@backstage/plugin-events-node';
import { GitopsConfig, repoWebUrl } from '@internal/plugin-gitops-node';

/**
 * Topic of the plain-Git push webhook, served by the events backend at
 * `POST /api/events/http/gitops` (Gitea, Forgejo or GitHub payload and
 * signature shapes).
 *
 * @public
 */
export const GIT_PUSH_TOPIC = 'gitops';

/**
 * Push topics the provider follows: the GitHub and GitLab modules' routers
 * publish pushes under `github.push` and `gitlab.push`.
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
 */
export function isBaseBranchPush(
  event: EventParams,
  gitops: GitopsConfig,
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
