import crypto from 'node:crypto';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import { createPublishGithubPullRequestAction } from '@backstage/plugin-scaffolder-backend-module-github';
import { createPublishGitlabMergeRequestAction } from '@backstage/plugin-scaffolder-backend-module-gitlab';
import {
  ActionContext,
  createTemplateAction,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { JsonObject } from '@backstage/types';
import { GitopsConfig } from '@internal/plugin-gitops-node';
import { gitAuthFor } from '@internal/plugin-gitops-node';
import {
  GitAuth,
  GitCommandError,
  redact,
  runGit,
} from '@internal/plugin-gitops-node';
import { Change, stageAll } from '@internal/plugin-gitops-node';
import { resolveWorkspacePath } from '@internal/plugin-gitops-node';
import { checkBranchName } from './branchName';
import { GitopsActionOptions, requireGitops } from './options';

/** The web address of a repository from its clone URL. */
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

/** Encodes each segment of a branch name for a URL, keeping the slashes. */
function encodeBranch(branch: string): string {
  return branch.split('/').map(encodeURIComponent).join('/');
}

/**
 * The address of the change: `gitops.changeUrlTemplate` with `{branch}`,
 * `{baseBranch}` and `{commit}` filled in, or by default a compare page
 * (Gitea, Forgejo and GitHub style) of the branch, or the commit itself
 * when committing to the base branch.
 */
export function changeUrlFor(
  gitops: GitopsConfig,
  branch: string,
  commit: string,
): string {
  if (gitops.changeUrlTemplate) {
    return gitops.changeUrlTemplate
      .split('{branch}')
      .join(encodeBranch(branch))
      .split('{baseBranch}')
      .join(encodeBranch(gitops.baseBranch))
      .split('{commit}')
      .join(commit);
  }
  const web = repoWebUrl(gitops.repoUrl);
  if (gitops.commitToBaseBranch) {
    return gitops.provider === 'gitlab'
      ? `${web}/-/commit/${commit}`
      : `${web}/commit/${commit}`;
  }
  if (gitops.provider === 'gitlab') {
    return `${web}/-/merge_requests/new?merge_request%5Bsource_branch%5D=${encodeURIComponent(
      branch,
    )}&merge_request%5Btarget_branch%5D=${encodeURIComponent(
      gitops.baseBranch,
    )}`;
  }
  return `${web}/compare/${encodeBranch(gitops.baseBranch)}...${encodeBranch(
    branch,
  )}`;
}

/** The `host?owner=...&repo=...` form of the standard actions. */
export function scaffolderRepoUrl(repoUrl: string): string {
  const url = new URL(repoUrl);
  const segments = url.pathname
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
  const params = new URLSearchParams({ owner: segments.join('/'), repo });
  return `${url.host}?${params.toString()}`;
}

/** The commit message: title, description and who asked for it. */
function commitMessage(
  title: string,
  description: string,
  user?: string,
): string {
  return [
    title.trim(),
    '',
    description.trim(),
    '',
    user ? `Requested-by: ${user}` : 'Requested-by: unknown',
  ]
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * The standard actions the `github` and `gitlab` providers delegate to.
 *
 * @public
 */
export interface DelegateActions {
  github?: TemplateAction<any, any, any>;
  gitlab?: TemplateAction<any, any, any>;
}

/**
 * Creates the `gitops:change:publish` action: commits the changes of the
 * working copy (additions, edits and deletions) and publishes them as a
 * change request on a branch named after the request. `gitops.provider`
 * decides how: `git` pushes the branch (or commits to the base branch when
 * `gitops.commitToBaseBranch` is set) to any Git remote over HTTP(S);
 * `github` and `gitlab` hand the changed files to the standard pull
 * request and merge request actions.
 *
 * @public
 */
export function createGitopsChangePublishAction(options: GitopsActionOptions) {
  let delegates: DelegateActions | undefined;
  const delegateFor = (provider: 'github' | 'gitlab') => {
    delegates ??= {};
    if (provider === 'github') {
      delegates.github ??= createPublishGithubPullRequestAction({
        integrations: options.integrations as any,
      });
      return delegates.github;
    }
    delegates.gitlab ??= createPublishGitlabMergeRequestAction({
      integrations: options.integrations as any,
    });
    return delegates.gitlab;
  };

  return createTemplateAction({
    id: 'gitops:change:publish',
    description:
      'Publishes the changes of the GitOps working copy (additions, edits, deletions) as a change request on a branch named after the request. Running the same request again updates that branch. The provider (plain Git, GitHub pull request, GitLab merge request) comes from gitops.provider in the app config. Dry-run computes the change and pushes nothing.',
    supportsDryRun: true,
    examples: [
      {
        description: 'Publish what the template wrote as a change request',
        example: [
          'steps:',
          '  - id: publish',
          '    action: gitops:change:publish',
          '    input:',
          '      sourcePath: gitops',
          '      branchName: portal/deploy-service/payments/api',
          '      title: Deploy service api for payments',
          '      description: Requested in the developer portal.',
        ].join('\n'),
      },
    ],
    schema: {
      input: {
        sourcePath: z =>
          z
            .string()
            .optional()
            .describe(
              'Workspace-relative working copy from gitops:repo:fetch. Default: gitops',
            ),
        branchName: z =>
          z
            .string()
            .describe(
              'Branch of the change, named after the request, e.g. portal/deploy-service/payments/api',
            ),
        title: z =>
          z
            .string()
            .describe(
              'Title of the change request and first line of the commit',
            ),
        description: z =>
          z.string().describe('Description of the change request'),
      },
      output: {
        changeUrl: z => z.string().describe('Address of the change request'),
        branch: z => z.string().describe('Branch the change was pushed to'),
        commit: z =>
          z
            .string()
            .describe(
              'Commit at the head of the branch (empty when a provider API made the commit)',
            ),
        paths: z =>
          z
            .array(z.string())
            .describe('Repository-relative paths the change touches, sorted'),
      },
    },
    async handler(ctx) {
      const gitops = requireGitops(options);
      const sourcePath = ctx.input.sourcePath ?? 'gitops';
      const branchName = checkBranchName(ctx.input.branchName);
      const title = ctx.input.title.trim();
      if (!title) {
        throw new InputError('title must not be empty');
      }
      if (!gitops.commitToBaseBranch && branchName === gitops.baseBranch) {
        throw new NotAllowedError(
          `branchName must not be the base branch ${gitops.baseBranch}`,
        );
      }
      const root = resolveWorkspacePath(ctx.workspacePath, sourcePath);
      if (!existsSync(path.join(root, '.git'))) {
        throw new InputError(
          `sourcePath "${sourcePath}" is not a working copy of the GitOps repository; fetch it with gitops:repo:fetch first`,
        );
      }
      try {
        await runGit(['check-ref-format', `refs/heads/${branchName}`]);
      } catch {
        throw new InputError(
          `branchName "${branchName}" is not a valid git branch name`,
        );
      }

      // The base is the commit that was fetched; a retried step starts over
      // from it, so publishing stays one commit on top of the base.
      const base = (
        await runGit(
          ['rev-parse', `refs/remotes/origin/${gitops.baseBranch}`],
          {
            cwd: root,
          },
        ).catch(() => runGit(['rev-parse', 'HEAD'], { cwd: root }))
      ).stdout.trim();
      await runGit(['reset', '--quiet', '--soft', base], { cwd: root });
      const changes = await stageAll(root, base);
      if (changes.length === 0) {
        throw new InputError(
          `nothing to change: ${sourcePath} is identical to ${gitops.baseBranch} of the GitOps repository`,
        );
      }
      const paths = changes.map(c => c.path);
      const message = commitMessage(
        title,
        ctx.input.description,
        ctx.user?.ref,
      );
      const author = gitops.author;
      await runGit(
        ['commit', '--quiet', '--no-verify', '--no-gpg-sign', '-m', message],
        {
          cwd: root,
          env: {
            GIT_AUTHOR_NAME: author.name,
            GIT_AUTHOR_EMAIL: author.email,
            GIT_COMMITTER_NAME: author.name,
            GIT_COMMITTER_EMAIL: author.email,
          },
        },
      );
      const commit = (
        await runGit(['rev-parse', 'HEAD'], { cwd: root })
      ).stdout.trim();
      const branch = gitops.commitToBaseBranch ? gitops.baseBranch : branchName;
      ctx.logger.info(
        `Change of ${paths.length} path${
          paths.length === 1 ? '' : 's'
        } for ${branch}: ${paths.join(', ')}`,
      );

      if (ctx.isDryRun) {
        ctx.logger.info('Dry run: nothing was pushed');
        ctx.output('changeUrl', changeUrlFor(gitops, branch, commit));
        ctx.output('branch', branch);
        ctx.output('commit', commit);
        ctx.output('paths', paths);
        return;
      }

      if (gitops.provider === 'git') {
        const auth = gitAuthFor(options.integrations, gitops.repoUrl);
        const pushed = await pushWithGit(
          ctx,
          gitops,
          root,
          branch,
          commit,
          auth,
        );
        ctx.output('changeUrl', changeUrlFor(gitops, branch, pushed));
        ctx.output('branch', branch);
        ctx.output('commit', pushed);
        ctx.output('paths', paths);
        return;
      }

      const result = await publishWithDelegate(ctx, {
        gitops,
        delegate: delegateFor(gitops.provider),
        root,
        changes,
        branchName: branch,
        title,
        description: ctx.input.description,
        message,
      });
      ctx.output('changeUrl', result.changeUrl);
      ctx.output('branch', branch);
      ctx.output('commit', '');
      ctx.output('paths', paths);
    },
  });
}

/**
 * Pushes the commit: to the base branch when so configured (never forced),
 * else to the request's own branch, replacing an earlier run of the same
 * request (forced, with a lease on what the branch held, so only that
 * branch is ever overwritten). A branch that already holds the same tree on
 * the same base is left as it is.
 */
async function pushWithGit(
  ctx: ActionContext<any, any, any>,
  gitops: GitopsConfig,
  root: string,
  branch: string,
  commit: string,
  auth: GitAuth | undefined,
): Promise<string> {
  const remote = gitops.repoUrl;
  const fail = (what: string, error: unknown) =>
    `${what} ${redact(remote, auth)}: ${
      error instanceof GitCommandError
        ? error.message
        : redact(String(error), auth)
    }`;

  if (gitops.commitToBaseBranch) {
    try {
      await runGit(
        ['push', '--quiet', '--', remote, `${commit}:refs/heads/${branch}`],
        {
          cwd: root,
          auth,
        },
      );
    } catch (error) {
      const text = error instanceof GitCommandError ? error.stderr : '';
      if (/non-fast-forward|fetch first|rejected/.test(text)) {
        throw new ConflictError(
          `${branch} of the GitOps repository moved since it was fetched; run the template again`,
        );
      }
      throw new InputError(fail('Could not push to', error));
    }
    ctx.logger.info(`Pushed ${commit} to ${branch}`);
    return commit;
  }

  let existing = '';
  try {
    const { stdout } = await runGit(
      ['ls-remote', '--heads', '--', remote, `refs/heads/${branch}`],
      { cwd: root, auth },
    );
    existing = stdout.split(/\s+/)[0] ?? '';
  } catch (error) {
    throw new InputError(fail('Could not read the branches of', error));
  }

  if (existing) {
    // Same content on the same base: the branch is already this change.
    try {
      await runGit(
        [
          'fetch',
          '--quiet',
          '--no-tags',
          '--depth=2',
          '--',
          remote,
          `+refs/heads/${branch}:refs/gitops/published`,
        ],
        { cwd: root, auth },
      );
      const [theirs, ours] = await Promise.all(
        ['refs/gitops/published', commit].map(async ref =>
          (
            await runGit(['rev-parse', `${ref}^{tree}`, `${ref}^`], {
              cwd: root,
            })
          ).stdout.trim(),
        ),
      );
      if (theirs === ours) {
        ctx.logger.info(`${branch} already holds this change at ${existing}`);
        return existing;
      }
    } catch {
      // Could not compare: push and replace it.
    }
  }

  try {
    await runGit(
      [
        'push',
        '--quiet',
        `--force-with-lease=refs/heads/${branch}:${existing}`,
        '--',
        remote,
        `+${commit}:refs/heads/${branch}`,
      ],
      { cwd: root, auth },
    );
  } catch (error) {
    const text = error instanceof GitCommandError ? error.stderr : '';
    if (/stale info|rejected/.test(text)) {
      throw new ConflictError(
        `${branch} of the GitOps repository changed while publishing; run the template again`,
      );
    }
    throw new InputError(fail('Could not push to', error));
  }
  ctx.logger.info(
    existing
      ? `Updated ${branch} (was ${existing}) to ${commit}`
      : `Created ${branch} at ${commit}`,
  );
  return commit;
}

/**
 * Hands the changed files to the standard pull request (GitHub) or merge
 * request (GitLab) action, run from inside this action with this action's
 * context, so templates stay the same whatever the provider.
 */
async function publishWithDelegate(
  ctx: ActionContext<any, any, any>,
  args: {
    gitops: GitopsConfig;
    delegate: TemplateAction<any, any, any>;
    root: string;
    changes: Change[];
    branchName: string;
    title: string;
    description: string;
    message: string;
  },
): Promise<{ changeUrl: string }> {
  const { gitops, changes } = args;
  const upserts = changes.filter(c => c.status !== 'deleted');
  const deletions = changes.filter(c => c.status === 'deleted');
  if (
    gitops.provider === 'gitlab' &&
    upserts.length > 0 &&
    deletions.length > 0
  ) {
    throw new InputError(
      'The gitlab provider cannot publish additions and deletions in one merge request (the standard merge request action applies one commit action to every file); publish them as two requests',
    );
  }

  // Only the changed files go to the provider, not the whole repository.
  const staging = `.gitops-change-${crypto.randomBytes(6).toString('hex')}`;
  const stagingDir = resolveWorkspacePath(ctx.workspacePath, staging);
  try {
    await fs.mkdir(stagingDir, { recursive: true });
    for (const change of gitops.provider === 'gitlab' && upserts.length === 0
      ? deletions
      : upserts) {
      const to = path.join(stagingDir, change.path);
      await fs.mkdir(path.dirname(to), { recursive: true });
      if (change.status === 'deleted') {
        await fs.writeFile(to, '');
      } else {
        const from = path.join(args.root, change.path);
        if ((await fs.lstat(from)).isSymbolicLink()) {
          // Copying would send the target's content, wherever it points.
          throw new InputError(
            `${change.path} is a symbolic link; the ${gitops.provider} provider publishes file contents only`,
          );
        }
        await fs.copyFile(from, to);
      }
    }

    const captured: Record<string, unknown> = {};
    const input: JsonObject =
      gitops.provider === 'github'
        ? {
            repoUrl: scaffolderRepoUrl(gitops.repoUrl),
            branchName: args.branchName,
            targetBranchName: gitops.baseBranch,
            title: args.title,
            description: args.description,
            sourcePath: staging,
            filesToDelete: deletions.map(c => c.path),
            update: true,
            commitMessage: args.message,
            gitAuthorName: gitops.author.name,
            gitAuthorEmail: gitops.author.email,
          }
        : {
            repoUrl: scaffolderRepoUrl(gitops.repoUrl),
            branchName: args.branchName,
            targetBranchName: gitops.baseBranch,
            title: args.title,
            description: args.description,
            sourcePath: staging,
            commitAction: upserts.length === 0 ? 'delete' : 'auto',
            removeSourceBranch: true,
          };
    ctx.logger.info(
      `Handing ${changes.length} changed path${
        changes.length === 1 ? '' : 's'
      } to ${args.delegate.id}`,
    );
    await args.delegate.handler({
      ...ctx,
      input,
      output: (name: string, value: unknown) => {
        captured[name] = value;
      },
    } as ActionContext<any, any, any>);
    const changeUrl = String(
      (gitops.provider === 'github'
        ? captured.remoteUrl
        : captured.mergeRequestUrl) ?? '',
    );
    return { changeUrl };
  } finally {
    await fs.rm(stagingDir, { recursive: true, force: true });
  }
}
