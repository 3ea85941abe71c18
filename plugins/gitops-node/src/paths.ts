import path from 'node:path';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';

/**
 * Checks a repository-relative path (`services/payments/api`) and returns it
 * normalized; refuses absolute paths and paths that leave the repository.
 */
export function normalizeRepoPath(input: string, field: string): string {
  if (typeof input !== 'string' || input.trim() === '') {
    throw new InputError(`${field}: a path must not be empty`);
  }
  if (input.includes('\0') || input.includes('\\')) {
    throw new InputError(`${field}: "${input}" contains a forbidden character`);
  }
  if (path.posix.isAbsolute(input) || /^[A-Za-z]:/.test(input)) {
    throw new InputError(
      `${field}: "${input}" must be relative to the root of the GitOps repository`,
    );
  }
  const normalized = path.posix.normalize(input).replace(/\/+$/, '');
  if (normalized === '..' || normalized.startsWith('../')) {
    throw new InputError(
      `${field}: "${input}" points outside the GitOps repository`,
    );
  }
  if (normalized === '.' || normalized === '') {
    throw new InputError(`${field}: "${input}" is the whole repository`);
  }
  if (normalized === '.git' || normalized.startsWith('.git/')) {
    throw new InputError(`${field}: "${input}" is inside .git`);
  }
  return normalized;
}

/** A repository-relative path resolved inside a checkout, symlinks included. */
export function resolveRepoPath(
  root: string,
  input: string,
  field: string,
): string {
  const normalized = normalizeRepoPath(input, field);
  try {
    return resolveSafeChildPath(root, normalized);
  } catch {
    throw new InputError(
      `${field}: "${input}" points outside the GitOps repository`,
    );
  }
}

/**
 * A workspace-relative path of an action input, resolved with
 * `resolveSafeChildPath` (which refuses an escape with NotAllowedError).
 */
export function resolveWorkspacePath(
  workspacePath: string,
  input: string,
): string {
  return resolveSafeChildPath(workspacePath, input);
}
