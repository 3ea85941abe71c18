import { HumanDuration } from '@backstage/types';

export interface Config {
  auth?: {
    providers?: {
      /**
       * The portal's Keycloak sign-in, one entry per auth environment
       * (`auth.environment`, e.g. `production`). Its routes are under
       * `/api/auth/keycloak`; the Keycloak client's redirect URI is
       * `<backend>/api/auth/keycloak/handler/frame`. Settings under the old
       * name `auth.providers.oidc` still apply beneath these, with a
       * deprecation warning at start-up. There is no `signIn` setting: the
       * portal's resolver is fixed, and a `signIn.resolvers` list is refused.
       */
      keycloak?: {
        [authEnvironment: string]: {
          /**
           * The realm's discovery URL,
           * `https://<keycloak>/realms/<realm>/.well-known/openid-configuration`.
           */
          metadataUrl: string;
          /** The portal's confidential client in that realm. */
          clientId: string;
          /**
           * That client's secret.
           * @visibility secret
           */
          clientSecret: string;
          /**
           * Overrides the redirect URI sent to Keycloak; by default
           * `<backend>/api/auth/keycloak/handler/frame`.
           */
          callbackUrl?: string;
          /** How the client authenticates at the token endpoint; defaults to `client_secret_basic`. */
          tokenEndpointAuthMethod?: string;
          /** The ID token signing algorithm; defaults to `RS256`. */
          tokenSignedResponseAlg?: string;
          /** Scopes asked for besides `openid profile email`. */
          additionalScopes?: string | string[];
          /** Keycloak's `prompt`; `auto` sends none, so signed-in people are not asked again. */
          prompt?: string;
          /** How long to wait for Keycloak's discovery, token and userinfo endpoints. */
          timeout?: HumanDuration | string;
          /** How long the refresh cookie that restores a session on page load lasts. */
          sessionDuration?: HumanDuration | string;
        };
      };
    };
    /**
     * Settings of the portal's Keycloak sign-in rules. The connection itself
     * is configured under `auth.providers.keycloak.<environment>`.
     */
    keycloak?: {
      /**
       * Whether a Keycloak user without a User entity in the catalog may sign
       * in anyway, as `user:default/<preferred_username>` with ownership taken
       * from the token's `groups` claim only. Defaults to false: such a user
       * is refused, because the catalog is what says who belongs to the
       * portal. Turn it on only while the catalog's user list is incomplete.
       */
      allowUsersWithoutCatalogEntity?: boolean;
    };
  };
}
