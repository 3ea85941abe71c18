import { DEFAULT_NAMESPACE, makeValidator } from '@backstage/catalog-model';

const validator = makeValidator();

/**
 * Turns one value of Keycloak's `groups` claim into a Group entity name.
 *
 * Keycloak's group membership mapper sends full paths (`/engineering/team-payments`)
 * unless "Full group path" is switched off, so only the last segment names
 * the group. Names are lowercased because catalog names compare
 * case-insensitively but Keycloak group names need not be lowercase.
 * Anything that still is not a valid entity name is dropped rather than
 * guessed at.
 */
export function keycloakGroupName(value: unknown): string | undefined {
  if (typeof value !== 'string') {
    return undefined;
  }
  const segments = value.split('/').filter(segment => segment.trim() !== '');
  const name = segments[segments.length - 1]?.trim().toLowerCase();
  return name && validator.isValidEntityName(name) ? name : undefined;
}

/** Entity refs of the groups in a `groups` claim, in order and without duplicates. */
export function keycloakGroupRefs(claim: unknown): string[] {
  const values = Array.isArray(claim) ? claim : [claim];
  const refs = values
    .map(keycloakGroupName)
    .filter((name): name is string => name !== undefined)
    .map(name => `group:${DEFAULT_NAMESPACE}/${name}`);
  return [...new Set(refs)];
}
