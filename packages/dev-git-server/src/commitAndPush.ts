import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runGit } from './git';

/** What {@link commitAndPush} commits, and where. */
export interface CommitAndPushOptions {
  /** The clone URL of the repository (on a loopback server). */
  repoUrl: string;
  /** The branch to push to; it starts from `from` (default `main`). */
  branch: string;
  from?: string;
  /** Files to write, by repository path. */
  files?: Record<string, string>;
  /** Paths to delete (files or folders). */
  remove?: string[];
  message?: string;
  /** Basic auth for a server that wants it. */
  auth?: { username: string; password: string };
}

/**
 * Commits files on top of a branch of a remote repository and pushes the
 * result (forced) to another or the same branch, as someone working in the
 * forge would: the tests' way of changing the repository behind the
 * portal's back. Returns the new commit and its parent.
 */
export async function commitAndPush(
  options: CommitAndPushOptions,
): Promise<{ commit: string; parent: string }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'commit-and-push-'));
  const url = new URL(options.repoUrl);
  if (options.auth) {
    url.username = options.auth.username;
    url.password = options.auth.password;
  }
  const identity = {
    GIT_AUTHOR_NAME: 'Someone else',
    GIT_AUTHOR_EMAIL: 'someone@localhost',
    GIT_COMMITTER_NAME: 'Someone else',
    GIT_COMMITTER_EMAIL: 'someone@localhost',
  };
  try {
    const git = (args: string[]) =>
      runGit(['-C', dir, ...args], { env: identity });
    await runGit([
      'clone',
      '--quiet',
      '--branch',
      options.from ?? 'main',
      url.toString(),
      dir,
    ]);
    for (const [file, content] of Object.entries(options.files ?? {})) {
      await fs.mkdir(path.dirname(path.join(dir, file)), { recursive: true });
      await fs.writeFile(path.join(dir, file), content);
    }
    for (const file of options.remove ?? []) {
      await fs.rm(path.join(dir, file), { recursive: true, force: true });
    }
    await git(['add', '--all']);
    await git([
      'commit',
      '--quiet',
      '--allow-empty',
      '-m',
      options.message ?? 'A change made elsewhere',
    ]);
    await git([
      'push',
      '--quiet',
      '--force',
      'origin',
      `HEAD:refs/heads/${options.branch}`,
    ]);
    const commit = (await git(['rev-parse', 'HEAD'])).stdout.trim();
    const parent = (await git(['rev-parse', 'HEAD^'])).stdout.trim();
    return { commit, parent };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
