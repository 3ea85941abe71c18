import fs from 'node:fs/promises';
import path from 'node:path';
import { ConflictError, InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { gitAuthFor } from '@internal/plugin-gitops-node';
import { GitCommandError, runGit } from '@internal/plugin-gitops-node';
import {
  normalizeRepoPath,
  resolveRepoPath,
  resolveWorkspacePath,
} from '@internal/plugin-gitops-node';
import { GitopsActionOptions, requireGitops } from './options';

/** What a top-level folder of the GitOps layout holds, for messages. */
const LAYOUT_NOUNS: Record<string, string> = {
  services: 'service',
  databases: 'database',
  teams: 'team',
  apps: 'application',
};

/** "service payments/api already exists at services/payments/api". */
function alreadyExists(repoPath: string): string {
  const [top, ...rest] = repoPath.split('/');
  const noun = LAYOUT_NOUNS[top];
  return noun && rest.length > 0
    ? `${noun} ${rest.join('/')} already exists at ${repoPath}`
    : `${repoPath} already exists`;
}

async function exists(p: string): Promise<boolean> {
  return fs.lstat(p).then(
    () => true,
    () => false,
  );
}

/** Moves a folder, across file systems too. */
async function move(from: string, to: string): Promise<void> {
  await fs.mkdir(path.dirname(to), { recursive: true });
  try {
    await fs.rename(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    await fs.cp(from, to, { recursive: true, verbatimSymlinks: true });
    await fs.rm(from, { recursive: true, force: true });
  }
}

/**
 * Creates the `gitops:repo:fetch` action: a shallow clone of the base
 * branch of the GitOps repository into the workspace, after checking
 * which paths must and must not exist there.
 *
 * @public
 */
export function createGitopsRepoFetchAction(options: GitopsActionOptions) {
  return createTemplateAction({
    id: 'gitops:repo:fetch',
    description:
      'Clones the base branch of the GitOps repository (shallow) into the workspace, refusing before anything is written when a path that must not exist already does. Also runs in dry-run: reading is not a side effect.',
    supportsDryRun: true,
    examples: [
      {
        description: 'Fetch the repository, refusing if the service exists',
        example: [
          'steps:',
          '  - id: fetch',
          '    action: gitops:repo:fetch',
          '    input:',
          '      targetPath: gitops',
          '      mustNotExist:',
          '        - services/payments/api',
          '      mustExist:',
          '        - teams/payments',
        ].join('\n'),
      },
    ],
    schema: {
      input: {
        targetPath: z =>
          z
            .string()
            .optional()
            .describe(
              'Workspace-relative folder to clone into; must not exist or be empty. Default: gitops',
            ),
        mustNotExist: z =>
          z
            .array(z.string())
            .optional()
            .describe(
              'Repository-relative paths that must not exist; any that does fails the step with a conflict',
            ),
        mustExist: z =>
          z
            .array(z.string())
            .optional()
            .describe('Repository-relative paths that must exist'),
      },
      output: {
        baseCommit: z =>
          z.string().describe('The commit of the base branch that was fetched'),
      },
    },
    async handler(ctx) {
      const gitops = requireGitops(options);
      const targetPath = ctx.input.targetPath ?? 'gitops';
      const mustNotExist = (ctx.input.mustNotExist ?? []).map(p =>
        normalizeRepoPath(p, 'mustNotExist'),
      );
      const mustExist = (ctx.input.mustExist ?? []).map(p =>
        normalizeRepoPath(p, 'mustExist'),
      );
      const destination = resolveWorkspacePath(ctx.workspacePath, targetPath);
      const existing = await fs.readdir(destination).catch(() => undefined);
      if (existing && existing.length > 0) {
        throw new InputError(
          `targetPath "${targetPath}" already exists in the workspace and is not empty`,
        );
      }

      // Clone outside the workspace first, so a refusal writes nothing there.
      const scratch = await ctx.createTemporaryDirectory();
      const clone = path.join(scratch, 'repo');
      const auth = gitAuthFor(options.integrations, gitops.repoUrl);
      ctx.logger.info(
        `Fetching ${gitops.baseBranch} of ${gitops.repoUrl}${
          auth ? ` as ${auth.username}` : ' anonymously'
        }`,
      );
      try {
        await runGit(
          [
            'clone',
            '--quiet',
            '--depth=1',
            '--single-branch',
            '--no-tags',
            `--branch=${gitops.baseBranch}`,
            '--',
            gitops.repoUrl,
            clone,
          ],
          { auth },
        );
      } catch (error) {
        throw new InputError(
          `Could not fetch branch ${
            gitops.baseBranch
          } of the GitOps repository ${gitops.repoUrl}: ${
            error instanceof GitCommandError ? error.message : String(error)
          }`,
        );
      }
      const baseCommit = (
        await runGit(['rev-parse', 'HEAD'], { cwd: clone })
      ).stdout.trim();

      const conflicts: string[] = [];
      for (const p of mustNotExist) {
        if (await exists(resolveRepoPath(clone, p, 'mustNotExist'))) {
          conflicts.push(p);
        }
      }
      if (conflicts.length > 0) {
        throw new ConflictError(
          `${conflicts.map(alreadyExists).join('; ')} (GitOps repository ${
            gitops.baseBranch
          } at ${baseCommit.slice(0, 12)})`,
        );
      }
      const missing: string[] = [];
      for (const p of mustExist) {
        if (!(await exists(resolveRepoPath(clone, p, 'mustExist')))) {
          missing.push(p);
        }
      }
      if (missing.length > 0) {
        throw new InputError(
          `${missing.join(', ')} must exist in the GitOps repository but ${
            missing.length > 1 ? 'do' : 'does'
          } not (${gitops.baseBranch} at ${baseCommit.slice(0, 12)})`,
        );
      }

      if (existing) {
        await fs.rmdir(destination);
      }
      await move(clone, destination);
      ctx.logger.info(
        `Fetched ${gitops.baseBranch} at ${baseCommit} into ${targetPath}`,
      );
      ctx.output('baseCommit', baseCommit);
    },
  });
}
