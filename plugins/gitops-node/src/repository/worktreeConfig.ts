/** Runs git on the mirror. */
type MirrorGit = (args: string[]) => Promise<{ stdout: string }>;

/**
 * Turns on per-worktree config in the bare mirror, as `git sparse-checkout`
 * does the first time it runs in a worktree of it: sets
 * `extensions.worktreeConfig` and moves `core.bare` into the mirror's own
 * `config.worktree`. Done once, before any task's worktree exists, because
 * git's own upgrade rewrites the shared config non-atomically: a worktree
 * command running meanwhile sees `core.bare = true` and fails ("must be run
 * in a work tree"). Afterwards each sparse checkout writes only its own
 * worktree's config, so tasks can check out in parallel.
 */
export async function enableWorktreeConfig(git: MirrorGit): Promise<void> {
  const enabled = await git([
    'config',
    '--bool',
    '--get',
    'extensions.worktreeConfig',
  ]).then(
    ({ stdout }) => stdout.trim() === 'true',
    () => false,
  );
  if (enabled) return;
  // The same steps and order as git's init_worktree_config().
  await git(['config', 'extensions.worktreeConfig', 'true']);
  await git(['config', '--worktree', 'core.bare', 'true']);
  await git(['config', '--unset', 'core.bare']).catch(() => undefined);
}
