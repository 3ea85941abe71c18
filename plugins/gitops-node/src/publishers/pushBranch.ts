import { ConflictError, InputError } from '@backstage/errors';
import { GitCommandError, redact } from '../git/git';
import { GitOpsRepository } from '../repository/GitOpsRepository';
import { PublishRequest } from './types';

/** The trailer that names who asked for a change, in every portal commit. */
export const REQUESTED_BY = 'Requested-by';

/** The `Requested-by` trailer of a commit message, if any. */
export function requesterOf(message: string): string | undefined {
  const match = new RegExp(`^${REQUESTED_BY}: *(\\S+) *$`, 'm').exec(message);
  return match?.[1];
}

/** The commit message: title, description and who asked for it. */
export function commitMessage(
  title: string,
  description: string,
  requester?: string,
): string {
  return [
    title.trim(),
    '',
    description.trim(),
    '',
    `${REQUESTED_BY}: ${requester ?? 'unknown'}`,
  ]
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function pushFailure(
  repository: GitOpsRepository,
  what: string,
  error: unknown,
): InputError {
  const detail =
    error instanceof GitCommandError ? error.message : redact(String(error));
  return new InputError(
    `${what} ${redact(repository.config.repoUrl)}: ${detail}`,
  );
}

async function sameChange(
  repository: GitOpsRepository,
  a: string,
  b: string,
): Promise<boolean> {
  const [theirs, ours] = await Promise.all(
    [a, b].map(
      async ref =>
        (
          await repository.git(['rev-parse', `${ref}^{tree}`, `${ref}^`])
        ).stdout,
    ),
  );
  return theirs === ours;
}

/**
 * Pushes the request's commit to its own branch. A branch that already
 * holds the same tree on the same base is left as it is; an earlier run by
 * the same requester is replaced (forced, with a lease on what the branch
 * held); a pending change of another requester is never replaced: the
 * request is refused and says whose it is.
 */
export async function pushRequestBranch(
  request: PublishRequest,
): Promise<{ commit: string; outcome: 'created' | 'updated' | 'unchanged' }> {
  const { repository, branch, commit } = request;
  let existing: string | undefined;
  try {
    existing = await repository.fetchBranch(branch);
  } catch (error) {
    throw pushFailure(repository, 'Could not read the branches of', error);
  }
  if (existing) {
    if (await sameChange(repository, existing, commit)) {
      return { commit: existing, outcome: 'unchanged' };
    }
    const base = await repository.baseCommit();
    const merged = base ? await repository.isAncestor(existing, base) : false;
    const owner = requesterOf(await repository.commitMessage(existing));
    if (!merged && owner && owner !== (request.requester ?? 'unknown')) {
      throw new ConflictError(
        `Branch ${branch} holds a pending change request of ${owner}; it was not replaced. Ask ${owner} to merge or close it, or close it yourself, then run the template again`,
      );
    }
  }
  try {
    await repository.push(commit, branch, {
      force: true,
      expect: existing ?? '',
    });
  } catch (error) {
    const text = error instanceof GitCommandError ? error.stderr : '';
    if (/stale info|rejected/.test(text)) {
      throw new ConflictError(
        `${branch} of the GitOps repository changed while publishing; run the template again`,
      );
    }
    throw pushFailure(repository, 'Could not push to', error);
  }
  return { commit, outcome: existing ? 'updated' : 'created' };
}

/** How often a commit to the base branch is rebased and pushed again. */
const BASE_PUSH_ATTEMPTS = 3;

/**
 * Pushes the request's commit straight to the base branch, never forced.
 * When the base branch moved meanwhile, the worktree is rebased onto it
 * and the push tried again, a bounded number of times.
 */
export async function pushToBaseBranch(
  request: PublishRequest,
): Promise<string> {
  const { repository, worktree } = request;
  const base = repository.config.baseBranch;
  let commit = request.commit;
  for (let attempt = 1; ; attempt++) {
    try {
      await repository.push(commit, base);
      return commit;
    } catch (error) {
      const text = error instanceof GitCommandError ? error.stderr : '';
      const raced = /non-fast-forward|fetch first|rejected/.test(text);
      if (!raced) throw pushFailure(repository, 'Could not push to', error);
      if (attempt >= BASE_PUSH_ATTEMPTS) {
        throw new ConflictError(
          `${base} of the GitOps repository kept moving while publishing (${attempt} attempts); run the template again`,
        );
      }
    }
    const newBase = await repository.fetch();
    try {
      commit = await worktree.rebaseOnto(newBase, request.author);
    } catch (error) {
      throw new ConflictError(
        `The change no longer applies on top of ${base} of the GitOps repository, which changed the same files; run the template again (${String(
          error,
        )})`,
      );
    }
  }
}
