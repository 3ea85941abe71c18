import { InputError } from '@backstage/errors';

/**
 * The branch names the publish action accepts: segments of letters, digits,
 * `.`, `_` and `-` joined by `/`, e.g. `portal/deploy-service/payments-api`,
 * within what `git check-ref-format --branch` allows.
 */
const SAFE_BRANCH =
  /^[A-Za-z0-9_][A-Za-z0-9._-]*(\/[A-Za-z0-9_][A-Za-z0-9._-]*)*$/;

/** Refuses a branch name that is not a safe git ref; returns it. */
export function checkBranchName(input: string): string {
  const name = typeof input === 'string' ? input : '';
  const checks: Array<[boolean, string]> = [
    [name.length === 0, 'it is empty'],
    [name.length > 200, 'it is longer than 200 characters'],
    [
      !SAFE_BRANCH.test(name),
      'use letters, digits, ".", "_" and "-" in segments joined by "/"',
    ],
    [name.includes('..'), 'it contains ".."'],
    [
      /(^|\/)\.|\.lock(\/|$)|\.$/.test(name),
      'a segment starts with "." or ends with ".lock" or "."',
    ],
    [name === 'HEAD', 'HEAD is not a branch'],
  ];
  const reason = checks.find(([failed]) => failed)?.[1];
  if (reason) {
    throw new InputError(
      `branchName "${name}" is not a safe branch name: ${reason}`,
    );
  }
  return name;
}
