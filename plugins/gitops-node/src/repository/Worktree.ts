import { existsSync, readdirSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { runGit, runGitSync } from '../git/git';
import { Change, parseNameStatus } from '../git/changes';
import { walkFiles } from '../files/walkFiles';

/** A per-worktree ref: the commit the worktree was created from. */
const BASE_REF = 'refs/worktree/gitops-base';

/**
 * Whether git's cone mode checks out `file` for these folders: everything
 * below a folder, and the files directly in the root and in each folder
 * on the way to one.
 */
export function isInCone(file: string, folders: string[]): boolean {
  if (folders.length === 0) return true;
  const dir = path.posix.dirname(file);
  return (
    dir === '.' ||
    folders.some(
      folder =>
        file.startsWith(`${folder}/`) ||
        folder === dir ||
        folder.startsWith(`${dir}/`),
    )
  );
}

/**
 * A task's own worktree of the GitOps repository mirror. With folders it
 * is a sparse checkout: only they are on disk, and files elsewhere are
 * read from the mirror at the base commit, so a task costs the same
 * whatever the size of the repository.
 *
 * @public
 */
export class Worktree {
  #base: string;

  private constructor(
    readonly root: string,
    base: string,
    readonly folders: string[],
  ) {
    this.#base = base;
  }

  /** The commit the change is made against. */
  get base(): string {
    return this.#base;
  }

  /** Fills a worktree made with `--no-checkout`. */
  static async checkout(
    root: string,
    base: string,
    folders: string[],
  ): Promise<Worktree> {
    const git = (args: string[]) => runGit(args, { cwd: root });
    if (folders.length > 0) {
      await git([
        'sparse-checkout',
        'set',
        '--cone',
        '--sparse-index',
        '--',
        ...folders,
      ]);
    }
    await git(['checkout', '--quiet', '--detach', base]);
    await git(['update-ref', BASE_REF, base]);
    return new Worktree(root, base, folders);
  }

  /** The worktree in `root`, or undefined when `root` is not one. */
  static async open(root: string): Promise<Worktree | undefined> {
    const isWorktree = await fs
      .stat(path.join(root, '.git'))
      .then(() => true)
      .catch(() => false);
    if (!isWorktree) return undefined;
    const git = (args: string[]) => runGit(args, { cwd: root });
    const [base, sparse] = await Promise.all([
      git(['rev-parse', '--verify', BASE_REF]).catch(() =>
        git(['rev-parse', 'HEAD']),
      ),
      // Fails when the worktree is not sparse: everything is checked out.
      git(['sparse-checkout', 'list']).catch(() => ({ stdout: '' })),
    ]);
    const folders = sparse.stdout
      .split('\n')
      .map(line => line.trim())
      .filter(Boolean);
    return new Worktree(root, base.stdout.trim(), folders);
  }

  #git(args: string[], env?: NodeJS.ProcessEnv) {
    return runGit(args, { cwd: this.root, env });
  }

  /**
   * Refuses files written where this sparse worktree does not check out:
   * a template writes only below the folders it declared.
   */
  async assertInsideFolders(): Promise<void> {
    if (this.folders.length === 0) return;
    const outside: string[] = [];
    for await (const file of walkFiles(this.root)) {
      if (!isInCone(file, this.folders)) outside.push(file);
    }
    if (outside.length > 0) {
      throw new InputError(
        `The template wrote outside the folders it declared to gitops:repo:fetch (${this.folders.join(
          ', ',
        )}): ${outside.sort().join(', ')}`,
      );
    }
  }

  /** Files added, changed or deleted against HEAD, untracked ones included. */
  async changes(): Promise<Change[]> {
    await this.assertInsideFolders();
    const { stdout } = await this.#git([
      'status',
      '--porcelain=v1',
      '-z',
      '--untracked-files=all',
      '--no-renames',
    ]);
    const changes: Change[] = [];
    for (const entry of stdout.split('\0')) {
      if (entry.length < 4) continue;
      const code = entry.slice(0, 2);
      let status: Change['status'] = 'modified';
      if (code === '??' || code.includes('A')) status = 'added';
      else if (code.includes('D')) status = 'deleted';
      changes.push({ path: entry.slice(3), status });
    }
    return changes;
  }

  /**
   * Stages everything against the base commit, dropping any commit an
   * earlier run of the step made, and returns what is staged.
   */
  async stage(): Promise<Change[]> {
    await this.assertInsideFolders();
    await this.#git(['reset', '--quiet', '--soft', this.base]);
    await this.#git(['add', '--all']);
    const { stdout } = await this.#git([
      'diff',
      '--cached',
      '--name-status',
      '--no-renames',
      '-z',
      this.base,
    ]);
    return parseNameStatus(stdout);
  }

  /** Commits what is staged; returns the commit. */
  async commit(
    message: string,
    author: { name: string; email: string },
  ): Promise<string> {
    await this.#git(
      ['commit', '--quiet', '--no-verify', '--no-gpg-sign', '-m', message],
      {
        GIT_AUTHOR_NAME: author.name,
        GIT_AUTHOR_EMAIL: author.email,
        GIT_COMMITTER_NAME: author.name,
        GIT_COMMITTER_EMAIL: author.email,
      },
    );
    return (await this.#git(['rev-parse', 'HEAD'])).stdout.trim();
  }

  /** Moves the worktree onto another base (after the base branch moved). */
  async rebaseOnto(
    newBase: string,
    committer: { name: string; email: string },
  ): Promise<string> {
    try {
      await this.#git(['rebase', '--quiet', '--onto', newBase, this.base], {
        GIT_COMMITTER_NAME: committer.name,
        GIT_COMMITTER_EMAIL: committer.email,
      });
    } catch (error) {
      await this.#git(['rebase', '--abort']).catch(() => undefined);
      throw error;
    }
    await this.#git(['update-ref', BASE_REF, newBase]);
    this.#base = newBase;
    return (await this.#git(['rev-parse', 'HEAD'])).stdout.trim();
  }

  /** A repository path on disk, or undefined when it would leave the worktree. */
  #diskPath(repoPath: string): string | undefined {
    try {
      return resolveSafeChildPath(this.root, repoPath);
    } catch {
      return undefined;
    }
  }

  /** Whether a path lies in a checked-out folder, where disk is the truth. */
  #underFolders(repoPath: string): boolean {
    return (
      this.folders.length === 0 ||
      this.folders.some(f => repoPath === f || repoPath.startsWith(`${f}/`))
    );
  }

  /** A folder whose whole content is on disk (inside a checked-out folder). */
  #folderOnDisk(repoPath: string): string | undefined {
    return this.#underFolders(repoPath) ? this.#diskPath(repoPath) : undefined;
  }

  /*
   * Synchronous lookups, because manifest validation asks for referenced
   * files synchronously: inside the checked-out folders from disk, else
   * from the mirror at the base commit (the kustomize closure of a change
   * without a checkout of the whole tree).
   */

  /** Whether a path exists. */
  exists(repoPath: string): boolean {
    const onDisk = this.#diskPath(repoPath);
    if (!onDisk) return false;
    if (existsSync(onDisk)) return true;
    if (this.#underFolders(repoPath)) return false;
    return (
      runGitSync(['cat-file', '-e', `${this.base}:${repoPath}`], this.root) !==
      undefined
    );
  }

  /** A file's content, or undefined when there is no such file. */
  readFile(repoPath: string): string | undefined {
    const onDisk = this.#diskPath(repoPath);
    if (!onDisk) return undefined;
    try {
      return readFileSync(onDisk, 'utf8');
    } catch {
      if (this.#underFolders(repoPath)) return undefined;
    }
    return runGitSync(
      ['cat-file', 'blob', `${this.base}:${repoPath}`],
      this.root,
    );
  }

  /** A folder's entries, or undefined when there is no such folder. */
  listDirectory(repoPath: string): string[] | undefined {
    const folder = this.#folderOnDisk(repoPath);
    if (folder) {
      try {
        return readdirSync(folder).filter(name => name !== '.git');
      } catch {
        return undefined;
      }
    }
    return runGitSync(
      ['ls-tree', '-z', '--name-only', `${this.base}:${repoPath}`],
      this.root,
    )
      ?.split('\0')
      .filter(Boolean);
  }
}
