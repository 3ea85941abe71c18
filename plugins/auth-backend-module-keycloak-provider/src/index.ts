/**
 * Keycloak sign-in for the portal: the auth backend's `keycloak` provider
 * with the portal's own sign-in resolver, and the record of what each
 * sign-in issued for the permission explain endpoint.
 *
 * @packageDocumentation
 */
export { authModuleKeycloak as default } from './module';
export {
  createKeycloakSignInResolver,
  findKeycloakUserEntity,
  keycloakIdentity,
  readKeycloakSignInOptions,
} from './keycloakSignInResolver';
export type {
  KeycloakIdentity,
  KeycloakSignInOptions,
} from './keycloakSignInResolver';
export { keycloakGroupName, keycloakGroupRefs } from './keycloakGroups';
export { KeycloakOwnershipClient } from './ownershipClient';
export type { KeycloakOwnership } from './ownershipRouter';
