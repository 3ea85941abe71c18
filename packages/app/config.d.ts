export interface Config {
  app?: {
    /**
     * Sign-in methods the sign-in page offers: `guest` (local development
     * only, listed in app-config.yaml) and `keycloak` (the company Keycloak,
     * served by the backend's `oidc` provider). Any other value is ignored.
     * @visibility frontend
     */
    signInProviders?: string[];
  };
}
