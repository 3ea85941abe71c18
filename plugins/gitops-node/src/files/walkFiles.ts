import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Every regular file under `root`, as a `/`-separated path relative to it,
 * skipping `.git` and `node_modules`. Symbolic links are listed, never
 * followed, so a walk stays inside `root`. The one tree walker of the
 * GitOps code.
 *
 * @public
 */
export async function* walkFiles(root: string): AsyncGenerator<string> {
  const pending = [''];
  while (pending.length > 0) {
    const relative = pending.pop()!;
    const entries = await fs.readdir(path.join(root, relative), {
      withFileTypes: true,
    });
    for (const entry of entries) {
      if (entry.name === '.git' || entry.name === 'node_modules') continue;
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        pending.push(child);
      } else if (entry.isFile() || entry.isSymbolicLink()) {
        yield child;
      }
    }
  }
}
