import { spawn } from 'node:child_process';
import {
  gitEnvironment,
  GitCommandError,
  GIT_MAX_OUTPUT_BYTES,
  GIT_TIMEOUT_MS,
} from '../git/git';
import { traceGitCommand } from '../git/gitSpan';

/**
 * `git cat-file --batch` (or `--batch-check`) on a git directory: stdin in,
 * all of stdout back.
 */
function runBatch(
  gitDir: string,
  input: string,
  mode: '--batch' | '--batch-check' = '--batch',
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', [`--git-dir=${gitDir}`, 'cat-file', mode], {
      env: gitEnvironment({}),
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: GIT_TIMEOUT_MS,
    });
    const chunks: Buffer[] = [];
    let size = 0;
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > GIT_MAX_OUTPUT_BYTES) child.kill();
      else chunks.push(chunk);
    });
    child.stderr.on('data', chunk => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) {
        resolve(Buffer.concat(chunks));
        return;
      }
      let why = stderr.trim();
      if (signal) why = `stopped by ${signal}`;
      if (size > GIT_MAX_OUTPUT_BYTES)
        why = `more than ${GIT_MAX_OUTPUT_BYTES} bytes`;
      reject(new GitCommandError(`git cat-file failed: ${why}`, stderr, code));
    });
    // git may exit (a broken mirror, the output limit) while stdin is still
    // being written: the write error that follows is reported as the exit.
    child.stdin.on('error', () => {});
    child.stdin.end(input);
  });
}

/**
 * The text of files at one commit, from one `git cat-file --batch` process
 * fed `<commit>:<path>` lines on stdin, however many files: a run's cost
 * follows the number of files, not of processes. Paths that are no file at
 * that commit (missing, a folder) are left out. Paths must hold no newline,
 * which the layout's paths (DNS labels) never do.
 */
export function catFiles(
  gitDir: string,
  commit: string,
  paths: string[],
): Promise<Map<string, string>> {
  const input = paths.map(path => `${commit}:${path}\n`).join('');
  return traceGitCommand('cat-file', async () => {
    const output = await runBatch(gitDir, input);
    const files = new Map<string, string>();
    let at = 0;
    for (const path of paths) {
      const end = output.indexOf(0x0a, at);
      if (end < 0) break;
      // "<oid> <type> <size>", or "<name> missing" / "<name> ambiguous".
      const [, type, length] = output.toString('utf8', at, end).split(' ');
      const size = Number(length);
      at = end + 1;
      if (!Number.isInteger(size)) continue;
      if (type === 'blob') {
        files.set(path, output.toString('utf8', at, at + size));
      }
      at += size + 1;
    }
    return files;
  });
}

/** "<oid> <type> <size>": what `--batch-check` prints for an object found. */
const FOUND = /^[0-9a-f]{40,64} (\S+) \d+$/;

/**
 * What each path is at one commit (`tree` for a folder, `blob` for a file),
 * from one `git cat-file --batch-check` process however many paths; paths
 * that do not exist are left out. Paths must hold no newline, as for
 * {@link catFiles}.
 */
export function pathTypes(
  gitDir: string,
  commit: string,
  paths: string[],
): Promise<Map<string, string>> {
  if (paths.length === 0) return Promise.resolve(new Map());
  const input = paths.map(path => `${commit}:${path}\n`).join('');
  return traceGitCommand('cat-file', async () => {
    const lines = (await runBatch(gitDir, input, '--batch-check'))
      .toString('utf8')
      .split('\n');
    const types = new Map<string, string>();
    for (const [i, path] of paths.entries()) {
      const type = FOUND.exec(lines[i] ?? '')?.[1];
      if (type) types.set(path, type);
    }
    return types;
  });
}
