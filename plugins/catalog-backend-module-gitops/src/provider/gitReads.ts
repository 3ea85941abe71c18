import {
  catalogInfoPath,
  ENVIRONMENTS,
  environmentOfPath,
  folderOfPath,
  GitopsFolder,
} from '@internal/plugin-gitops-common';
import { GitOpsRepository } from '@internal/plugin-gitops-node';

/**
 * Everything the provider reads from the mirror, each read one git process
 * however many files it covers, so a run's cost follows the number of
 * changed folders and not the number of files. Git runs through the
 * repository (its `git()` and `readFiles()`), never on its own.
 */

/** The top-level folders of the layout that hold catalog entities. */
export const LAYOUT_ROOTS = ['teams', 'services', 'databases'];

/** Paths per git command line, far below the system's argument limit. */
const PATHS_PER_COMMAND = 500;

/** A folder of the layout at one commit. */
export interface FolderScan {
  folder: GitopsFolder;
  /** Its catalog-info.yaml, when it has one. */
  file?: string;
  /** Environments that have a folder in it, in promotion order. */
  environments: string[];
}

/** Adds up the time spent waiting for git. */
export class GitClock {
  ms = 0;

  async time<T>(read: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await read();
    } finally {
      this.ms += performance.now() - started;
    }
  }
}

function chunks<T>(items: T[]): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += PATHS_PER_COMMAND) {
    result.push(items.slice(i, i + PATHS_PER_COMMAND));
  }
  return result;
}

/** The folders of the layout that the given file paths lie in. */
export function scanFolders(paths: string[]): Map<string, FolderScan> {
  const scans = new Map<string, FolderScan & { envs: Set<string> }>();
  for (const path of paths) {
    const folder = folderOfPath(path);
    if (!folder) continue;
    let scan = scans.get(folder.folder);
    if (!scan) {
      scan = { folder, environments: [], envs: new Set() };
      scans.set(folder.folder, scan);
    }
    if (path === catalogInfoPath(folder.folder)) scan.file = path;
    const env = environmentOfPath(path);
    if (env) scan.envs.add(env);
  }
  return new Map(
    [...scans].map(([key, { envs, ...scan }]) => [
      key,
      { ...scan, environments: ENVIRONMENTS.filter(env => envs.has(env)) },
    ]),
  );
}

/** The files under some folders (all of the layout when none are given). */
export async function listFiles(
  repo: GitOpsRepository,
  commit: string,
  folders?: string[],
): Promise<string[]> {
  if (!folders) return repo.listFiles(commit, LAYOUT_ROOTS);
  const lists = [];
  for (const part of chunks(folders)) {
    lists.push(await repo.listFiles(commit, part));
  }
  return lists.flat();
}

/** The layout folders in which anything changed between two commits. */
export async function changedFolders(
  repo: GitOpsRepository,
  from: string,
  to: string,
): Promise<string[]> {
  const changes = await repo.diff(from, to, LAYOUT_ROOTS);
  const folders = new Set<string>();
  for (const { path } of changes) {
    const folder = folderOfPath(path);
    if (folder) folders.add(folder.folder);
  }
  return [...folders];
}

/** Commits that changed a file, newest first, at most `limit`. */
export async function fileHistory(
  repo: GitOpsRepository,
  head: string,
  file: string,
  limit: number,
): Promise<string[]> {
  const { stdout } = await repo.git([
    'log',
    '--format=%H',
    `--max-count=${limit}`,
    head,
    '--',
    file,
  ]);
  return stdout.split('\n').filter(Boolean);
}

/**
 * Of some files, the one whose first version came first in the history of
 * `head` (topological order, so commit dates, which anyone can set, play no
 * part); undefined when none of them was ever added.
 */
export async function firstAdded(
  repo: GitOpsRepository,
  head: string,
  files: string[],
): Promise<string | undefined> {
  const { stdout } = await repo.git([
    'log',
    '--topo-order',
    '--reverse',
    '--diff-filter=A',
    '--format=',
    '--name-only',
    head,
    '--',
    ...files,
  ]);
  return stdout.split('\n').find(line => files.includes(line));
}
