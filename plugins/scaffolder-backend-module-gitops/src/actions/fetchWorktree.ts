import fs from 'node:fs/promises';
import path from 'node:path';
import { ConflictError, InputError } from '@backstage/errors';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  GitCommandError,
  GitOpsRepository,
  normalizeRepoPath,
  resolveWorkspacePath,
} from '@internal/plugin-gitops-node';
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

/** What each path is at the base commit (`tree`, `blob`; missing: none). */
type PathTypes = Map<string, string>;

/**
 * The folders to check out: each declared path, or the folder of a path
 * that is a file at the base commit.
 */
function sparseFolders(types: PathTypes, paths: string[]): string[] {
  const folders = new Set<string>();
  for (const p of paths) {
    const type = types.get(p);
    const isFile = type !== undefined && type !== 'tree';
    const folder = isFile ? path.posix.dirname(p) : p;
    if (folder !== '.') folders.add(folder);
  }
  return [...folders].sort();
}

/** Checks mustNotExist and mustExist against the base commit. */
function checkPaths(
  repository: GitOpsRepository,
  base: string,
  types: PathTypes,
  check: { mustNotExist: string[]; mustExist: string[] },
) {
  const at = `${repository.config.baseBranch} at ${base.slice(0, 12)}`;
  const conflicts = check.mustNotExist.filter(p => types.has(p));
  if (conflicts.length > 0) {
    throw new ConflictError(
      `${conflicts.map(alreadyExists).join('; ')} (GitOps repository ${at})`,
    );
  }
  const missing = check.mustExist.filter(p => !types.has(p));
  if (missing.length > 0) {
    throw new InputError(
      `${missing.join(', ')} must exist in the GitOps repository but ${
        missing.length > 1 ? 'do' : 'does'
      } not (${at})`,
    );
  }
}

/** The inputs of `gitops:repo:fetch`. */
export interface FetchInput {
  targetPath?: string;
  mustNotExist?: string[];
  mustExist?: string[];
  paths?: string[];
  team?: string;
}

/**
 * Brings the mirror up to date, checks the paths that must and must not
 * exist against it, and gives the task its own (sparse) worktree.
 */
export async function fetchWorktree(
  repository: GitOpsRepository,
  input: FetchInput,
  where: { workspacePath: string; logger: LoggerService },
): Promise<{ base: string; team?: string }> {
  const team = input.team ? teamNameOf(input.team) : undefined;
  const targetPath = input.targetPath ?? 'gitops';
  const normalize = (list: string[] | undefined, field: string) =>
    (list ?? []).map(p => normalizeRepoPath(p, field));
  const mustNotExist = normalize(input.mustNotExist, 'mustNotExist');
  const mustExist = normalize(input.mustExist, 'mustExist');
  const paths = normalize(input.paths, 'paths');
  const destination = resolveWorkspacePath(where.workspacePath, targetPath);
  const existing = await fs.readdir(destination).catch(() => undefined);
  if (existing && existing.length > 0) {
    throw new InputError(
      `targetPath "${targetPath}" already exists in the workspace and is not empty`,
    );
  }

  const { baseBranch, repoUrl } = repository.config;
  const who = repository.username;
  where.logger.info(
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
  // Checked against the mirror, so a refusal writes nothing; one git
  // process for every path.
  const declared = [...mustExist, ...mustNotExist, ...paths];
  const types = await repository.pathTypes(base, [...new Set(declared)]);
  checkPaths(repository, base, types, { mustNotExist, mustExist });
  const folders = sparseFolders(types, declared);
  if (existing) {
    await fs.rmdir(destination);
  }
  await repository.createWorktree(destination, base, folders);
  where.logger.info(
    `Checked out ${baseBranch} at ${base} into ${targetPath}${
      folders.length > 0 ? ` (only ${folders.join(', ')})` : ''
    }`,
  );
  return { base, team };
}
