import fs from 'node:fs';
import path from 'node:path';

/** A file of a GitOps tree, by its repository-relative POSIX path. */
export interface TreeFile {
  path: string;
  content: string;
}

/** What a change does to a tree. */
export interface TreeChange {
  /** Added or modified files, with their new content, sorted by path. */
  changed: TreeFile[];
  /** Paths of removed files, sorted. */
  deleted: string[];
}

/** Every file under `dir` except Git's own, keyed by relative path. */
export function readTree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  if (!fs.existsSync(dir)) {
    return files;
  }
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), {
      withFileTypes: true,
    })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.name === '.git') {
        continue;
      }
      if (entry.isDirectory()) {
        walk(child);
      } else if (entry.isFile()) {
        files.set(child, fs.readFileSync(path.join(dir, child), 'utf8'));
      }
    }
  };
  walk('');
  return files;
}

/** Writes `files` under `dir`, creating folders as needed. */
export function writeTree(dir: string, files: Map<string, string>) {
  for (const [file, content] of files) {
    const target = path.join(dir, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, content);
  }
}

/** The difference from `before` to `after`. */
export function diffTrees(
  before: Map<string, string>,
  after: Map<string, string>,
): TreeChange {
  const changed = [...after]
    .filter(([file, content]) => before.get(file) !== content)
    .map(([file, content]) => ({ path: file, content }))
    .sort((a, b) => a.path.localeCompare(b.path));
  const deleted = [...before.keys()].filter(file => !after.has(file)).sort();
  return { changed, deleted };
}

/**
 * Placeholder files that only keep empty folders in Git; a change never
 * needs to mention them.
 */
export function isPlaceholder(file: string): boolean {
  return path.posix.basename(file) === '.gitkeep';
}
