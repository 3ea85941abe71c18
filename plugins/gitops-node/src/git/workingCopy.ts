import { runGit } from './git';

/** A path changed in a working copy, relative to its root. */
export interface Change {
  path: string;
  status: 'added' | 'modified' | 'deleted';
}

/**
 * What differs between a working copy (tracked and untracked files, not
 * ignored ones) and its HEAD. Renames are reported as a deletion and an
 * addition.
 */
export async function changedFiles(root: string): Promise<Change[]> {
  const { stdout } = await runGit(
    ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--no-renames'],
    { cwd: root },
  );
  const changes: Change[] = [];
  for (const entry of stdout.split('\0')) {
    if (entry.length < 4) continue;
    const code = entry.slice(0, 2);
    const path = entry.slice(3);
    let status: Change['status'];
    if (code === '??' || code.includes('A')) {
      status = 'added';
    } else if (code.includes('D')) {
      status = 'deleted';
    } else {
      status = 'modified';
    }
    changes.push({ path, status });
  }
  return changes;
}

const STATUS: Record<string, Change['status']> = {
  A: 'added',
  D: 'deleted',
};

/**
 * Stages everything in a working copy and returns what is staged against
 * `base`, as name-status pairs.
 */
export async function stageAll(root: string, base: string): Promise<Change[]> {
  await runGit(['add', '--all'], { cwd: root });
  const { stdout } = await runGit(
    ['diff', '--cached', '--name-status', '--no-renames', '-z', base],
    { cwd: root },
  );
  const parts = stdout.split('\0').filter(Boolean);
  const changes: Change[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const code = parts[i];
    changes.push({
      path: parts[i + 1],
      status: STATUS[code[0]] ?? 'modified',
    });
  }
  return changes.sort((a, b) => (a.path < b.path ? -1 : 1));
}
