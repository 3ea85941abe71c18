import { NotFoundError } from '@backstage/errors';
import { ChangeRequestFile } from '@internal/plugin-gitops-common';
import { GitOpsRepository } from '@internal/plugin-gitops-node';
import { StoredChangeRequest } from '../store/ChangeRequestStore';

/** Beyond this a file's diff is cut: a page is for people, not archives. */
const MAX_PATCH_CHARS = 200_000;

/** The per-file parts of `git diff` output, by path. */
export function splitPatch(patch: string): Map<string, string> {
  const files = new Map<string, string>();
  const parts = patch.split(/^(?=diff --git )/m).filter(Boolean);
  for (const part of parts) {
    const header = part.slice(0, part.indexOf('\n'));
    const match = /^diff --git a\/(.*) b\/(.*)$/.exec(header);
    if (match) files.set(match[2], part);
  }
  return files;
}

/**
 * The files and diff a change request wrote: its head against the base it
 * was made on, read from the mirror (fetching the branch once if the head
 * came from elsewhere).
 */
export async function changeRequestFiles(
  repository: GitOpsRepository,
  request: StoredChangeRequest,
): Promise<ChangeRequestFile[]> {
  if (!(await repository.resolve(request.headCommit))) {
    await repository.fetchBranch(request.branch).catch(() => undefined);
  }
  if (
    !(await repository.resolve(request.headCommit)) ||
    !(await repository.resolve(request.baseCommit))
  ) {
    throw new NotFoundError(
      `The commits of change request ${request.id} are no longer in the GitOps repository`,
    );
  }
  const [changes, patch] = await Promise.all([
    repository.diff(request.baseCommit, request.headCommit),
    repository.patch(request.baseCommit, request.headCommit),
  ]);
  const patches = splitPatch(patch);
  return changes.map(change => {
    const text = patches.get(change.path) ?? '';
    return {
      path: change.path,
      status: change.status,
      patch:
        text.length > MAX_PATCH_CHARS
          ? `${text.slice(
              0,
              MAX_PATCH_CHARS,
            )}\n… (cut at ${MAX_PATCH_CHARS} characters)\n`
          : text,
    };
  });
}
