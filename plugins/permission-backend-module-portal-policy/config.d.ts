export interface Config {
  permission?: {
    /**
     * Settings of the portal's own permission policy.
     */
    portalPolicy?: {
      /**
       * Path of the policy file that binds roles to catalog groups, read
       * once at start-up. A relative path is resolved against the working
       * directory of the backend process, like the catalog's file locations.
       */
      policyFile: string;
    };
  };
}
