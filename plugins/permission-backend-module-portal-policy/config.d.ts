import { HumanDuration } from '@backstage/types';

export interface Config {
  permission?: {
    /**
     * Settings of the portal's own permission policy.
     */
    portalPolicy?: {
      /**
       * Path of the policy file that binds roles to catalog groups. A
       * relative path is resolved against the working directory of the
       * backend process, like the catalog's file locations. It is read at
       * start-up (a malformed file stops start-up) and again whenever its
       * content changes (a malformed new file is kept out, and the bindings
       * in force stay).
       */
      policyFile: string;
      /**
       * How often the policy file's content is read and compared with what
       * is in force, e.g. `5s` or `{ seconds: 5 }`. Default 5 seconds, at
       * least 1 second. A change, including a Kubernetes ConfigMap update
       * that swaps the mounted file's symbolic link, is in force within
       * this interval of reaching the file.
       */
      reloadInterval?: HumanDuration | string;
    };
  };
}
