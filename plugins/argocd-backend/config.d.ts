import { HumanDuration } from '@backstage/types';

export interface Config {
  /**
   * Argo CD, read by the portal's argocd backend plugin
   * (plugins/argocd-backend) on behalf of Roadie's Argo CD card. Without
   * `appLocatorMethods` the plugin starts and its routes answer that Argo CD
   * is not configured.
   */
  argocd?: {
    /**
     * The Argo CD instances, in the layout Roadie's card reads. Its own
     * schema sends `type` and each instance's `name`, `url` and
     * `frontendUrl` to the browser; the token stays in the backend.
     */
    appLocatorMethods?: Array<{
      /** How instances are found; only `config` (listed here) is supported. */
      type: 'config';
      /** The Argo CD API servers, each asked with its own token. */
      instances: Array<{
        /** Names the instance in the card's routes; unique. */
        name: string;
        /** Base URL of the Argo CD API server (without `/api/v1`). */
        url: string;
        /** Where people open Argo CD in a browser, for the card's links; defaults to `url`. */
        frontendUrl?: string;
        /**
         * An API token of a read-only Argo CD account, sent as a bearer
         * token to this instance and nowhere else.
         * @visibility secret
         */
        token: string;
      }>;
    }>;
    /**
     * How long to wait for one Argo CD answer before the route answers 504,
     * so a hanging Argo CD cannot hang a page. Defaults to 5 seconds.
     */
    requestTimeout?: HumanDuration | string;
    /**
     * How long `/api/argocd/entity-status` reuses an entity's Argo CD list
     * answer. Defaults to 15 seconds.
     */
    statusCacheTtl?: HumanDuration | string;
  };
}
