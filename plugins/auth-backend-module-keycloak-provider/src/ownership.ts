import { Entity, RELATION_MEMBER_OF } from '@backstage/catalog-model';
import { keycloakGroupRefs } from './keycloakGroups';

/** Where a user's ownership refs come from. */
export interface OwnershipSources {
  /** The user's User entity, whose `memberOf` relations name their groups. */
  entity?: Entity;
  /** The `groups` claim of the user's Keycloak token, if they signed in. */
  tokenGroups?: unknown;
}

/**
 * The one rule of what a Keycloak user owns: themselves, the groups the
 * catalog makes them a direct member of, and the groups in their Keycloak
 * token. Sign-in issues exactly this, and the ownership route applies it to
 * users who have not signed in, so the permission explain endpoint and the
 * real decision cannot follow different rules.
 *
 * The catalog part reads `memberOf` relations to groups, as the auth
 * backend's default ownership resolution does; the portal installs no other.
 */
export function keycloakOwnershipRefs(
  userEntityRef: string,
  { entity, tokenGroups }: OwnershipSources,
): string[] {
  const memberOf = (entity?.relations ?? [])
    .filter(
      relation =>
        relation.type === RELATION_MEMBER_OF &&
        relation.targetRef.startsWith('group:'),
    )
    .map(relation => relation.targetRef);
  return [
    ...new Set([userEntityRef, ...memberOf, ...keycloakGroupRefs(tokenGroups)]),
  ];
}
