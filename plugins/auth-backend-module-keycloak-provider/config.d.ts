export interface Config {
  auth?: {
    /**
     * Settings of the portal's Keycloak sign-in. The connection itself
     * (metadataUrl, clientId, clientSecret) is configured under
     * `auth.providers.oidc.<environment>`.
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
