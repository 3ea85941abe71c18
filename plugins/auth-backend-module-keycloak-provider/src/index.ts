/**
 * Keycloak sign-in for the portal: the auth backend's OIDC provider with the
 * portal's own sign-in resolver.
 *
 * @packageDocumentation
 */
export { authModuleKeycloakProvider as default } from './module';
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
