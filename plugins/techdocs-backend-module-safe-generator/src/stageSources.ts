import { isChildPath } from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import fs from 'node:fs/promises';
import path from 'node:path';

/** mkdocs.yml may be named either way; mkdocs.yaml wins, as in Backstage. */
const CONFIG_FILE_NAMES = ['mkdocs.yaml', 'mkdocs.yml'];

/** Larger than any real mkdocs.yml; keeps a hostile one from filling memory. */
const MAX_CONFIG_BYTES = 1024 * 1024;

/** Bounds the copy of the documentation folder. */
const MAX_ENTRIES = 20_000;

/**
 * The real path of `entry` under the sources' real root, or a refusal that
 * names the entry as the source wrote it.
 */
async function realPathInside(root: string, entry: string, shown: string) {
  let real: string;
  try {
    real = await fs.realpath(entry);
  } catch {
    return undefined; // a dangling link: nothing to read
  }
  if (!isChildPath(root, real)) {
    throw new NotAllowedError(
      `'${shown}' is a symbolic link to a place outside the documentation sources`,
    );
  }
  return real;
}

/**
 * The text of the sources' mkdocs.yml (or mkdocs.yaml), or undefined when
 * there is none. A config file that is a link out of the sources is refused
 * before it is read, so its target never reaches the YAML parser or the
 * build log.
 */
export async function readMkdocsConfigText(
  sourceRoot: string,
): Promise<string | undefined> {
  const root = await fs.realpath(sourceRoot);
  for (const name of CONFIG_FILE_NAMES) {
    const real = await realPathInside(root, path.join(root, name), name);
    if (!real) {
      continue;
    }
    const stat = await fs.stat(real);
    if (!stat.isFile() || stat.size > MAX_CONFIG_BYTES) {
      throw new InputError(
        `${name} must be a regular file of at most ${MAX_CONFIG_BYTES} bytes`,
      );
    }
    return fs.readFile(real, 'utf8');
  }
  return undefined;
}

interface CopyState {
  root: string;
  skipped: string[];
  entries: number;
}

async function copyFolder(
  state: CopyState,
  from: string,
  to: string,
  shown: string,
  ancestors: ReadonlySet<string>,
): Promise<void> {
  await fs.mkdir(to, { recursive: true });
  for (const entry of await fs.readdir(from, { withFileTypes: true })) {
    if (++state.entries > MAX_ENTRIES) {
      throw new InputError(
        `The documentation folder holds more than ${MAX_ENTRIES} entries`,
      );
    }
    const entryShown = path.posix.join(shown, entry.name);
    let source: string | undefined = path.join(from, entry.name);
    if (entry.isSymbolicLink()) {
      source = await realPathInside(state.root, source, entryShown);
      if (!source) {
        state.skipped.push(`'${entryShown}' (a dangling link)`);
        continue;
      }
    }
    const stat = await fs.stat(source);
    if (stat.isDirectory()) {
      if (ancestors.has(source)) {
        state.skipped.push(`'${entryShown}' (a link to its own parent)`);
        continue;
      }
      await copyFolder(
        state,
        source,
        path.join(to, entry.name),
        entryShown,
        new Set([...ancestors, source]),
      );
    } else if (stat.isFile()) {
      await fs.copyFile(
        source,
        path.join(to, entry.name),
        fs.constants.COPYFILE_EXCL,
      );
    } else {
      state.skipped.push(`'${entryShown}' (not a regular file)`);
    }
  }
}

/**
 * Copies the documentation folder `docsDir` of the sources into
 * `targetDir`, as plain files and folders. Links are followed only while
 * they stay inside the sources (a docs/index.md that links to ../README.md
 * is fine); one that leads out of them refuses the build. mkdocs then reads
 * nothing but this copy. Returns what was skipped, for the build log.
 */
export async function stageDocs(options: {
  sourceRoot: string;
  docsDir: string;
  targetDir: string;
}): Promise<string[]> {
  const root = await fs.realpath(options.sourceRoot);
  const docs = await realPathInside(
    root,
    path.resolve(root, options.docsDir),
    options.docsDir,
  );
  if (!docs || !(await fs.stat(docs)).isDirectory()) {
    throw new InputError(
      `The documentation folder '${options.docsDir}' does not exist`,
    );
  }
  const state: CopyState = { root, skipped: [], entries: 0 };
  await copyFolder(
    state,
    docs,
    options.targetDir,
    options.docsDir,
    new Set([docs]),
  );
  return state.skipped;
}
