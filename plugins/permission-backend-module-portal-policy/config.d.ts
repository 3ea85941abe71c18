export interface Config {
  permission?: {
    /**
     * Settings of the portal's own permission policy.
     */
    portalPolicy?: {
      /**
       * Permission names granted to every signed-in user on top of the
       * built-in browse set. Anything not listed here or in the browse set is
       * denied. Meant for local development only; production grants come
       * from role bindings.
       */
      additionalUserPermissions?: string[];
    };
  };
}
