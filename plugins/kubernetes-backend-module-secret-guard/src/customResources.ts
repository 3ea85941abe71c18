import { InputError } from '@backstage/errors';
import { CustomResourceMatcher } from '@backstage/plugin-kubernetes-common';

/*
 * Kubernetes names resources, versions and API groups with DNS labels and
 * subdomains. Anything else (a slash, an encoded slash, a dot segment) would
 * let a query reach another path of the API server than the resource list
 * it names, such as one Secret by name behind an innocent-looking plural.
 */
const DNS_LABEL = '[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?';
const NAME = new RegExp(`^${DNS_LABEL}$`);
const GROUP = new RegExp(`^(?:${DNS_LABEL}(?:\\.${DNS_LABEL})*)?$`);
const MAX_GROUP_LENGTH = 253;

/** The plural of the Secret resource, in the core group and any other. */
export const SECRETS_PLURAL = 'secrets';

function describe(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

function requireName(where: string, value: unknown): string {
  if (typeof value !== 'string' || !NAME.test(value)) {
    throw new InputError(
      `${where} must be a lowercase Kubernetes name, not ${describe(value)}`,
    );
  }
  return value;
}

function checkMatcher(matcher: unknown, index: number): CustomResourceMatcher {
  const where = `customResources[${index}]`;
  if (typeof matcher !== 'object' || matcher === null) {
    throw new InputError(
      `${where} must be an object with group, apiVersion and plural`,
    );
  }
  const { group, apiVersion, plural } = matcher as Record<string, unknown>;
  if (
    typeof group !== 'string' ||
    group.length > MAX_GROUP_LENGTH ||
    !GROUP.test(group)
  ) {
    throw new InputError(
      `${where}.group must be empty or an API group name, not ${describe(
        group,
      )}`,
    );
  }
  return {
    group,
    apiVersion: requireName(`${where}.apiVersion`, apiVersion),
    plural: requireName(`${where}.plural`, plural),
  };
}

/**
 * The custom resources of a query, each checked to name one resource list
 * of the API server; the first that does not is a clear input error.
 */
export function checkCustomResources(
  matchers: unknown,
): CustomResourceMatcher[] {
  if (!Array.isArray(matchers) || matchers.length === 0) {
    throw new InputError('customResources must be a non-empty array');
  }
  return matchers.map(checkMatcher);
}

/** Whether a custom resource query asks for Secrets. */
export function asksForSecrets(
  matchers: readonly CustomResourceMatcher[],
): boolean {
  return matchers.some(matcher => matcher.plural === SECRETS_PLURAL);
}
