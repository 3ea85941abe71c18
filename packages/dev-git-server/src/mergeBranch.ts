import { runGit } from './git';

const REVIEWER = {
  GIT_AUTHOR_NAME: 'Reviewer',
  GIT_AUTHOR_EMAIL: 'reviewer@localhost',
  GIT_COMMITTER_NAME: 'Reviewer',
  GIT_COMMITTER_EMAIL: 'reviewer@localhost',
};

/** The tip of a branch of a bare repository, or undefined when there is none. */
export async function branchTip(
  bare: string,
  branch: string,
): Promise<string | undefined> {
  try {
    const { stdout } = await runGit([
      `--git-dir=${bare}`,
      'rev-parse',
      '--verify',
      '--quiet',
      `refs/heads/${branch}`,
    ]);
    return stdout.trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Merges `branch` into `base` of a bare repository as a reviewer's merge
 * button does (a merge commit, refused on conflicts), optionally deleting
 * the branch; returns the merge commit.
 */
export async function mergeBranch(
  bare: string,
  branch: string,
  base = 'main',
  options: { deleteBranch?: boolean } = {},
): Promise<string> {
  const theirs = await branchTip(bare, branch);
  const ours = await branchTip(bare, base);
  if (!theirs || !ours) {
    throw new Error(`There is no branch ${theirs ? base : branch} to merge`);
  }
  const git = (args: string[]) =>
    runGit([`--git-dir=${bare}`, ...args], { env: REVIEWER });
  const { stdout: tree } = await git([
    'merge-tree',
    '--write-tree',
    ours,
    theirs,
  ]);
  const { stdout: commit } = await git([
    'commit-tree',
    tree.split('\n')[0].trim(),
    '-p',
    ours,
    '-p',
    theirs,
    '-m',
    `Merge ${branch}`,
  ]);
  await git(['update-ref', `refs/heads/${base}`, commit.trim(), ours]);
  if (options.deleteBranch) {
    await git(['update-ref', '-d', `refs/heads/${branch}`]);
  }
  return commit.trim();
}

/** Deletes a branch of a bare repository, as closing a change request does. */
export async function deleteBranch(
  bare: string,
  branch: string,
): Promise<void> {
  await runGit([
    `--git-dir=${bare}`,
    'update-ref',
    '-d',
    `refs/heads/${branch}`,
  ]);
}
