import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';

/** Argo CD Application names are Kubernetes object names (DNS subdomains). */
const APP_NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
/** Kubernetes label selector syntax: keys, values, operators, set lists. */
const SELECTOR = /^[A-Za-z0-9._\-/=!,() ]{1,1024}$/;
/** A commit SHA, tag or branch. */
const REVISION = /^[A-Za-z0-9._\-/]{1,255}$/;
const INSTANCE = /^[A-Za-z0-9._-]{1,253}$/;

function check(value: unknown, pattern: RegExp, what: string): string {
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw new InputError(`Invalid ${what}: ${JSON.stringify(value)}`);
  }
  return value;
}

export const appName = (value: unknown) =>
  check(value, APP_NAME, 'Argo CD application name');
export const selector = (value: unknown) =>
  check(value, SELECTOR, 'label selector');
export const revision = (value: unknown) => check(value, REVISION, 'revision');
export const instanceName = (value: unknown) =>
  check(value, INSTANCE, 'Argo CD instance name');
/** Whether a configured instance name can be asked for in a route. */
export const isInstanceName = (value: string) => INSTANCE.test(value);

/** A full entity ref, `kind:namespace/name` (namespace optional). */
export function entityRef(value: unknown): string {
  if (typeof value !== 'string' || value.length > 500) {
    throw new InputError(
      'entityRef must be one entity ref, kind:namespace/name',
    );
  }
  try {
    return stringifyEntityRef(parseEntityRef(value));
  } catch (error) {
    throw new InputError(`Invalid entityRef: ${(error as Error).message}`);
  }
}
