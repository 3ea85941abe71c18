import { HumanDuration } from '@backstage/types';

export interface Config {
  gitops?: {
    /**
     * How the portal follows the change requests its golden paths open
     * (plugins/gitops-backend).
     */
    changeRequests?: {
      /**
       * How often open change requests are read back from the provider
       * (merged, closed, updated, checks), and recently merged ones from
       * Argo CD. Default: 30 seconds.
       */
      pollInterval?: HumanDuration | string;
      /**
       * How long after its merge a change request's Argo CD applications
       * are followed for the Synced/Healthy or Degraded notification.
       * Default: 30 minutes.
       */
      deployWatch?: HumanDuration | string;
    };
  };
}
