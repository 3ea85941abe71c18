import { HumanDuration } from '@backstage/types';

export interface Config {
  kubernetes?: {
    /**
     * How long the Kubernetes plugin waits for one answer of a cluster's
     * API server (for the response to start, and again for its body) before
     * it gives up on that cluster. The Kubernetes tab then shows that the
     * cluster timed out, and the page is not held. Defaults to 10 seconds.
     * Read by plugins/kubernetes-backend-module-cluster-timeout.
     */
    requestTimeout?: HumanDuration | string;
  };
}
