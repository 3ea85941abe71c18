import fs from 'node:fs';
import path from 'node:path';
import { walkFiles } from '@internal/plugin-gitops-node';

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

/**
 * Every regular file under `dir` (as the GitOps code walks trees: without
 * `.git`), keyed by relative path. Symbolic links are left out, so that a
 * tree under check cannot make it read outside itself.
 */
export async function readTree(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  if (!fs.existsSync(dir)) {
    return files;
  }
  for await (const file of walkFiles(dir)) {
    const full = path.join(dir, file);
    if (fs.lstatSync(full).isFile()) {
      files.set(file, fs.readFileSync(full, 'utf8'));
    }
  }
  return new Map([...files].sort(([a], [b]) => a.localeCompare(b)));
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
