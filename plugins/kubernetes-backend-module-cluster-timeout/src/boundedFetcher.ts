import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ClusterDetails,
  FetchResponseWrapper,
  KubernetesCredential,
  KubernetesFetcher,
} from '@backstage/plugin-kubernetes-node';

/**
 * What the plugin's own fetcher reads clusters through: its
 * KubernetesConnection (plugin-kubernetes-backend 0.21), whose
 * `fetchWithConnection` hands the `requestInit` resolved here to node-fetch.
 * Not exported by the plugin, hence this structural view of it.
 */
interface PluginConnection {
  resolveConnection(
    cluster: ClusterDetails,
    credential: KubernetesCredential,
  ): Promise<{ ok: boolean; requestInit?: object }>;
}

/** node-fetch's error for a request that got no usable answer. */
interface NodeFetchError extends Error {
  /** `request-timeout`, `body-timeout`, `system` (refused, reset…), … */
  type?: string;
}

/**
 * Says, in the answer's own shape, that a cluster could not be read.
 * node-fetch's errors name the cluster's address, which stays in the log;
 * the page learns which cluster failed and how. Anything else is not a
 * failure to read and goes on to the plugin as before.
 */
function inBand(
  cluster: ClusterDetails,
  error: unknown,
  options: { timeoutMs: number; logger: LoggerService },
): FetchResponseWrapper {
  const failure = error as NodeFetchError;
  if (failure?.name !== 'FetchError') {
    throw error;
  }
  let message = `Cluster "${cluster.name}" gave no usable answer`;
  if (failure.type === 'request-timeout' || failure.type === 'body-timeout') {
    message = `Cluster "${cluster.name}" timed out: no answer within ${
      options.timeoutMs / 1000
    } seconds`;
  } else if (failure.type === 'system') {
    message = `Cluster "${cluster.name}" could not be reached`;
  }
  options.logger.warn(`${message}: ${failure.message}`);
  return { errors: [{ errorType: 'FETCH_ERROR', message }], responses: [] };
}

/**
 * Gives every request of the plugin's fetcher node-fetch's own `timeout`,
 * which ends the request and frees its socket: a cluster that accepts
 * connections and never answers would otherwise hold the page's request,
 * and one more socket at each refresh of the Kubernetes tab, for as long as
 * it hangs. Fails loudly when a release of the plugin reads clusters some
 * other way, rather than running without a bound.
 */
function applyTimeout(fetcher: KubernetesFetcher, timeoutMs: number): void {
  const holder = fetcher as unknown as {
    connection?: Partial<PluginConnection>;
  };
  const connection = holder.connection;
  if (typeof connection?.resolveConnection !== 'function') {
    throw new Error(
      "kubernetes.requestTimeout cannot be applied: the Kubernetes plugin's fetcher no longer reads clusters through a connection with resolveConnection(); adapt plugins/kubernetes-backend-module-cluster-timeout to this release",
    );
  }
  const resolve = connection.resolveConnection.bind(connection);
  const timed: PluginConnection = Object.create(connection);
  timed.resolveConnection = async (cluster, credential) => {
    const resolved = await resolve(cluster, credential);
    return resolved.ok
      ? {
          ...resolved,
          requestInit: { ...resolved.requestInit, timeout: timeoutMs },
        }
      : resolved;
  };
  holder.connection = timed;
}

/**
 * The plugin's fetcher with every cluster read bounded by `timeoutMs`, and
 * a cluster that fails (down, hanging, answering garbage) reported in the
 * answer as that cluster's error, the way the plugin reports an API error.
 */
export function boundedFetcher(
  fetcher: KubernetesFetcher,
  options: { timeoutMs: number; logger: LoggerService },
): KubernetesFetcher {
  applyTimeout(fetcher, options.timeoutMs);
  return {
    fetchObjectsForService: params =>
      fetcher
        .fetchObjectsForService(params)
        .catch(error => inBand(params.clusterDetails, error, options)),
    fetchPodMetricsByNamespaces: (cluster, credential, namespaces, selector) =>
      fetcher
        .fetchPodMetricsByNamespaces(cluster, credential, namespaces, selector)
        .catch(error => inBand(cluster, error, options)),
  };
}
