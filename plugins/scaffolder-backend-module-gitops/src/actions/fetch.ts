import fs from 'node:fs/promises';
import path from 'node:path';
import { ConflictError, InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  GitCommandError,
  GitOpsRepository,
  normalizeRepoPath,
  resolveWorkspacePath,
} from '@internal/plugin-gitops-node';
import { examples } from './fetch.examples';
import { GitopsActionOptions } from './options';
import { teamNameOf } from './teamPaths';

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

/**
 * The folders to check out: each declared path, or the folder of a path
 * that is a file at the base commit.
 */
async function sparseFolders(
  repository: GitOpsRepository,
  base: string,
  paths: string[],
): Promise<string[]> {
  const folders = new Set<string>();
  for (const p of paths) {
    const isFolder = (await repository.listDirectory(base, p)) !== undefined;
    const isFile = !isFolder && (await repository.exists(base, p));
    const folder = isFile ? path.posix.dirname(p) : p;
    if (folder !== '.') folders.add(folder);
  }
  return [...folders].sort();
}

/** Checks mustNotExist and mustExist against the base commit. */
async function checkPaths(
  repository: GitOpsRepository,
  base: string,
  mustNotExist: string[],
  mustExist: string[],
) {
  const at = `${repository.config.baseBranch} at ${base.slice(0, 12)}`;
  const conflicts: string[] = [];
  for (const p of mustNotExist) {
    if (await repository.exists(base, p)) conflicts.push(p);
  }
  if (conflicts.length > 0) {
    throw new ConflictError(
      `${conflicts.map(alreadyExists).join('; ')} (GitOps repository ${at})`,
    );
  }
  const missing: string[] = [];
  for (const p of mustExist) {
    if (!(await repository.exists(base, p))) missing.push(p);
  }
  if (missing.length > 0) {
    throw new InputError(
      `${missing.join(', ')} must exist in the GitOps repository but ${
        missing.length > 1 ? 'do' : 'does'
      } not (${at})`,
    );
  }
}

/**
 * Creates the `gitops:repo:fetch` action: brings the backend's mirror of
 * the GitOps repository up to date and gives the task its own worktree of
 * the base branch, checking out only the folders the template names.
 *
 * @public
 */
export function createGitopsRepoFetchAction(options: GitopsActionOptions) {
  return createTemplateAction({
    id: 'gitops:repo:fetch',
    description:
      "Gives the task its own worktree of the base branch of the GitOps repository, from the backend's mirror, refusing before anything is written when a path that must not exist already does. Only the folders of mustExist, mustNotExist and paths are checked out (the template may write only there); with none given, the whole tree. Also runs in dry-run: reading is not a side effect.",
    supportsDryRun: true,
    examples,
    schema: {
      input: {
        targetPath: z =>
          z
            .string()
            .optional()
            .describe(
              'Workspace-relative folder for the worktree; must not exist or be empty. Default: gitops',
            ),
        mustNotExist: z =>
          z
            .array(z.string())
            .optional()
            .describe(
              'Repository-relative paths that must not exist; any that does fails the step with a conflict. Checked out, so the template may write there',
            ),
        mustExist: z =>
          z
            .array(z.string())
            .optional()
            .describe(
              'Repository-relative paths that must exist; checked out (a file: its folder)',
            ),
        paths: z =>
          z
            .array(z.string())
            .optional()
            .describe(
              'More repository-relative folders to check out, for the template to read or write',
            ),
        team: z =>
          z
            .string()
            .optional()
            .describe(
              "The team the template works for, as a group ref (the team picker's value); its name is output as `team` for the later steps",
            ),
      },
      output: {
        baseCommit: z =>
          z.string().describe('The commit of the base branch that was fetched'),
        team: z =>
          z
            .string()
            .optional()
            .describe(
              'The name of the team of the `team` input (group:default/team-payments gives team-payments)',
            ),
      },
    },
    async handler(ctx) {
      const repository = options.gitops.repository();
      const team = ctx.input.team ? teamNameOf(ctx.input.team) : undefined;
      const targetPath = ctx.input.targetPath ?? 'gitops';
      const normalize = (list: string[] | undefined, field: string) =>
        (list ?? []).map(p => normalizeRepoPath(p, field));
      const mustNotExist = normalize(ctx.input.mustNotExist, 'mustNotExist');
      const mustExist = normalize(ctx.input.mustExist, 'mustExist');
      const paths = normalize(ctx.input.paths, 'paths');
      const destination = resolveWorkspacePath(ctx.workspacePath, targetPath);
      const existing = await fs.readdir(destination).catch(() => undefined);
      if (existing && existing.length > 0) {
        throw new InputError(
          `targetPath "${targetPath}" already exists in the workspace and is not empty`,
        );
      }

      const { baseBranch, repoUrl } = repository.config;
      const who = repository.username;
      ctx.logger.info(
        `Fetching ${baseBranch} of ${repoUrl}${
          who ? ` as ${who}` : ' anonymously'
        }`,
      );
      let base: string;
      try {
        base = await repository.fetch();
      } catch (error) {
        throw new InputError(
          `Could not fetch branch ${baseBranch} of the GitOps repository ${repoUrl}: ${
            error instanceof GitCommandError ? error.message : String(error)
          }`,
        );
      }
      // Checked against the mirror, so a refusal writes nothing.
      await checkPaths(repository, base, mustNotExist, mustExist);
      const folders = await sparseFolders(repository, base, [
        ...mustExist,
        ...mustNotExist,
        ...paths,
      ]);
      if (existing) {
        await fs.rmdir(destination);
      }
      await repository.createWorktree(destination, base, folders);
      ctx.logger.info(
        `Checked out ${baseBranch} at ${base} into ${targetPath}${
          folders.length > 0 ? ` (only ${folders.join(', ')})` : ''
        }`,
      );
      ctx.output('baseCommit', base);
      if (team) ctx.output('team', team);
    },
  });
}
