import { InputError } from '@backstage/errors';
import { GitopsConfig } from '../config';

/**
 * The web address of a repository from its clone URL.
 *
 * @public
 */
export function repoWebUrl(repoUrl: string): string {
  const url = new URL(repoUrl);
  url.username = '';
  url.password = '';
  url.search = '';
  url.hash = '';
  return url
    .toString()
    .replace(/\/+$/, '')
    .replace(/\.git$/, '');
}

/** Encodes each segment of a branch name or path for a URL, keeping the slashes. */
function encodePath(value: string): string {
  return value.split('/').map(encodeURIComponent).join('/');
}

/**
 * The owner (group path) and name of the repository of a clone URL, as the
 * GitHub and GitLab APIs name it.
 *
 * @public
 */
export function ownerAndRepo(repoUrl: string): { owner: string; repo: string } {
  const segments = new URL(repoUrl).pathname
    .replace(/\.git$/, '')
    .split('/')
    .filter(Boolean);
  if (segments.length < 2) {
    throw new InputError(
      `gitops.repoUrl ${repoWebUrl(
        repoUrl,
      )} must name an owner and a repository`,
    );
  }
  const repo = segments.pop()!;
  return { owner: segments.join('/'), repo };
}

/**
 * The address of a change pushed with provider `git`: `gitops.changeUrlTemplate`
 * with `{branch}`, `{baseBranch}` and `{commit}` filled in, or by default a
 * compare page (Gitea, Forgejo and GitHub style) of the branch, or the
 * commit itself when committing to the base branch.
 *
 * @public
 */
export function gitChangeUrl(
  gitops: GitopsConfig,
  branch: string,
  commit: string,
): string {
  if (gitops.changeUrlTemplate) {
    return gitops.changeUrlTemplate
      .split('{branch}')
      .join(encodePath(branch))
      .split('{baseBranch}')
      .join(encodePath(gitops.baseBranch))
      .split('{commit}')
      .join(commit);
  }
  const web = repoWebUrl(gitops.repoUrl);
  if (gitops.commitToBaseBranch) {
    return gitops.provider === 'gitlab'
      ? `${web}/-/commit/${commit}`
      : `${web}/commit/${commit}`;
  }
  return `${web}/compare/${encodePath(gitops.baseBranch)}...${encodePath(
    branch,
  )}`;
}

/**
 * The page of a folder of the base branch at the Git forge: GitHub's and
 * GitLab's tree pages, or Gitea/Forgejo's `src/branch` page for provider
 * `git`.
 *
 * @public
 */
export function forgeFolderUrl(gitops: GitopsConfig, folder: string): string {
  const web = repoWebUrl(gitops.repoUrl);
  const branch = encodePath(gitops.baseBranch);
  const where = encodePath(folder);
  switch (gitops.provider) {
    case 'github':
      return `${web}/tree/${branch}/${where}`;
    case 'gitlab':
      return `${web}/-/tree/${branch}/${where}`;
    default:
      return `${web}/src/branch/${branch}/${where}`;
  }
}
