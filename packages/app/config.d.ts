export interface Config {
  app?: {
    /**
     * Sign-in methods the sign-in page offers. `guest` is for local
     * development and is listed in app-config.yaml only.
     * @visibility frontend
     */
    signInProviders?: string[];
  };
}
