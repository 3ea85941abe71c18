import fs from 'node:fs/promises';
import path from 'node:path';
import { GitopsConfig } from '../config';
import { GitAuth, GitCommandError, runGit } from '../git/git';
import { Change, parseNameStatus } from '../git/changes';
import { catFiles, pathTypes } from './catFiles';
import { SerialQueue } from './serialQueue';
import { Worktree } from './Worktree';
import { enableWorktreeConfig } from './worktreeConfig';

/** Where the mirror keeps the last fetched tip of a remote branch. */
const REMOTE_REFS = 'refs/gitops/remote';

/**
 * The GitOps repository as this backend sees it: one bare mirror on local
 * disk, fetched incrementally, from which tasks get their own (sparse)
 * worktrees and from which the catalog provider and the change-request
 * poller read files and diffs at any commit. Only this class and
 * {@link Worktree} run git against the mirror.
 *
 * @public
 */
export class GitOpsRepository {
  readonly #config: GitopsConfig;
  readonly #auth?: GitAuth;
  /**
   * Serializes what writes the mirror's shared state: fetches (refs,
   * packs, `worktree prune`) and `worktree add`. Reading at a commit and
   * everything in a task's own worktree run outside it, in parallel.
   */
  readonly #queue = new SerialQueue();
  #ready?: Promise<void>;

  /**
   * Use one object per mirror folder (the `gitops` service makes one per
   * backend), so the scaffolder, the catalog provider and the poller share
   * one queue and never race on the mirror's refs.
   */
  constructor(config: GitopsConfig, auth?: GitAuth) {
    this.#config = config;
    this.#auth = auth;
  }

  get config(): GitopsConfig {
    return this.#config;
  }

  /** Who git authenticates as towards the remote, for logs; never the secret. */
  get username(): string | undefined {
    return this.#auth?.username;
  }

  /** The mirror's git directory. */
  get gitDir(): string {
    return this.#config.mirrorDirectory;
  }

  /** Runs git on the mirror (no remote involved). */
  git(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
    return runGit([`--git-dir=${this.gitDir}`, ...args], options);
  }

  /** Runs git on the mirror against the remote, with credentials and timeout. */
  remoteGit(args: string[]) {
    return runGit([`--git-dir=${this.gitDir}`, ...args], {
      auth: this.#auth,
      timeoutMs: this.#config.gitTimeoutMs,
    });
  }

  #init(): Promise<void> {
    this.#ready ??= (async () => {
      const exists = await fs
        .stat(path.join(this.gitDir, 'HEAD'))
        .then(() => true)
        .catch(() => false);
      if (!exists) {
        await fs.mkdir(this.gitDir, { recursive: true });
        await runGit(['init', '--bare', '--quiet', this.gitDir]);
      }
      await enableWorktreeConfig(args => this.git(args));
    })().catch(error => {
      this.#ready = undefined;
      throw error;
    });
    return this.#ready;
  }

  /**
   * Fetches the base branch (only what is new since the last fetch) and
   * returns its commit. Worktrees of finished tasks are pruned on the way.
   *
   * Callers that come while a fetch waits in the queue share it (it starts
   * after they called, so it sees every push they can know of): tasks
   * started together cost one fetch, not one each in a row.
   */
  fetch(): Promise<string> {
    return this.#queue.runShared('fetch', async () => {
      await this.#init();
      const base = this.#config.baseBranch;
      await this.remoteGit([
        'fetch',
        '--quiet',
        '--no-tags',
        '--no-write-fetch-head',
        '--',
        this.#config.repoUrl,
        `+refs/heads/${base}:refs/heads/${base}`,
      ]);
      await this.git(['worktree', 'prune']);
      return this.resolve(`refs/heads/${base}`) as Promise<string>;
    });
  }

  /** The commit of the base branch as last fetched, if any. */
  async baseCommit(): Promise<string | undefined> {
    await this.#init();
    return this.resolve(`refs/heads/${this.#config.baseBranch}`);
  }

  /**
   * Fetches a branch of the remote; its tip commit, or undefined when the
   * remote has no such branch.
   */
  async fetchBranch(branch: string): Promise<string | undefined> {
    await this.#init();
    // Asking the remote writes nothing here: no need to wait for the queue.
    const { stdout } = await this.remoteGit([
      'ls-remote',
      '--heads',
      '--',
      this.#config.repoUrl,
      `refs/heads/${branch}`,
    ]);
    const tip = stdout.split(/\s+/)[0];
    const ref = `${REMOTE_REFS}/${branch}`;
    if (!tip && !(await this.resolve(ref))) return undefined;
    return this.#queue.run(async () => {
      if (!tip) {
        await this.git(['update-ref', '-d', ref]);
        return undefined;
      }
      await this.remoteGit([
        'fetch',
        '--quiet',
        '--no-tags',
        '--no-write-fetch-head',
        '--',
        this.#config.repoUrl,
        `+refs/heads/${branch}:${ref}`,
      ]);
      return tip;
    });
  }

  /** Pushes a commit of the mirror to a branch of the remote. */
  async push(
    commit: string,
    branch: string,
    options: { force?: boolean; expect?: string } = {},
  ): Promise<void> {
    const lease =
      options.expect !== undefined
        ? [`--force-with-lease=refs/heads/${branch}:${options.expect}`]
        : [];
    await this.remoteGit([
      'push',
      '--quiet',
      ...lease,
      '--',
      this.#config.repoUrl,
      `${options.force ? '+' : ''}${commit}:refs/heads/${branch}`,
    ]);
  }

  /** A commit (or undefined) for a ref or revision expression. */
  async resolve(rev: string): Promise<string | undefined> {
    const args = ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`];
    return this.git(args).then(
      ({ stdout }) => stdout.trim() || undefined,
      () => undefined,
    );
  }

  /** The content of a file at a commit, or undefined when there is none. */
  async readFile(
    commit: string,
    repoPath: string,
  ): Promise<string | undefined> {
    return (await this.readFiles(commit, [repoPath])).get(repoPath);
  }

  /** Many files at a commit, by path, from one git process (none: left out). */
  readFiles(commit: string, paths: string[]): Promise<Map<string, string>> {
    return catFiles(this.gitDir, commit, paths);
  }

  /**
   * What each path is at a commit (`tree`, `blob`), from one git process;
   * missing paths are left out.
   */
  pathTypes(commit: string, paths: string[]): Promise<Map<string, string>> {
    return pathTypes(this.gitDir, commit, paths);
  }

  /** Every file at a commit, optionally under some paths. */
  async listFiles(commit: string, paths: string[] = []): Promise<string[]> {
    const { stdout } = await this.git([
      'ls-tree',
      '-r',
      '-z',
      '--name-only',
      commit,
      '--',
      ...paths,
    ]);
    return stdout.split('\0').filter(Boolean);
  }

  /** What changed between two commits, optionally under some paths. */
  async diff(
    from: string,
    to: string,
    paths: string[] = [],
  ): Promise<Change[]> {
    const { stdout } = await this.git([
      'diff-tree',
      '-r',
      '-z',
      '--name-status',
      '--no-renames',
      from,
      to,
      '--',
      ...paths,
    ]);
    return parseNameStatus(stdout);
  }

  /** The patch between two commits, for people to read. */
  async patch(from: string, to: string, paths: string[] = []): Promise<string> {
    const { stdout } = await this.git([
      'diff',
      '--no-color',
      '--no-ext-diff',
      '--no-renames',
      from,
      to,
      '--',
      ...paths,
    ]);
    return stdout;
  }

  /** Whether `ancestor` is reachable from `descendant`. */
  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    try {
      await this.git(['merge-base', '--is-ancestor', ancestor, descendant]);
      return true;
    } catch (error) {
      if (error instanceof GitCommandError && error.exitCode === 1) {
        return false;
      }
      throw error;
    }
  }

  /** The full message of a commit. */
  async commitMessage(commit: string): Promise<string> {
    return (await this.git(['log', '-1', '--format=%B', commit])).stdout;
  }

  /**
   * A worktree of `commit` in `directory` (missing or empty), checking out
   * only `folders` and the files along their way when folders are given
   * (a cone-mode sparse checkout with a sparse index), or everything when
   * none are.
   */
  async createWorktree(
    directory: string,
    commit: string,
    folders: string[],
  ): Promise<Worktree> {
    await this.#queue.run(async () => {
      await this.#init();
      await this.git([
        'worktree',
        'add',
        '--quiet',
        '--no-checkout',
        '--detach',
        directory,
        commit,
      ]);
    });
    // Checking out writes only the new worktree's own config, index and
    // files (per-worktree config is on, see #init): outside the queue.
    return Worktree.checkout(directory, commit, folders);
  }
}
