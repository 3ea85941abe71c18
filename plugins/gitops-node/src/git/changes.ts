/**
 * A path changed between two trees, relative to the repository root.
 *
 * @public
 */
export interface Change {
  path: string;
  status: 'added' | 'modified' | 'deleted';
}

const STATUS: Record<string, Change['status']> = {
  A: 'added',
  D: 'deleted',
};

/**
 * Parses `--name-status -z --no-renames` output (of diff, diff-tree or
 * `diff --cached`) into changes sorted by path. The one parser of git's
 * change listings.
 */
export function parseNameStatus(output: string): Change[] {
  const parts = output.split('\0').filter(Boolean);
  const changes: Change[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) {
    changes.push({
      path: parts[i + 1],
      status: STATUS[parts[i][0]] ?? 'modified',
    });
  }
  return changes.sort((a, b) => (a.path < b.path ? -1 : 1));
}
