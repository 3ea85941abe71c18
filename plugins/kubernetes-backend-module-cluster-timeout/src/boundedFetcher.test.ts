import { mockServices } from '@backstage/backend-test-utils';
import {
  ClusterDetails,
  FetchResponseWrapper,
  KubernetesCredential,
  KubernetesFetcher,
  ObjectFetchParams,
} from '@backstage/plugin-kubernetes-node';
import http from 'node:http';
import net from 'node:net';
import fetch from 'node-fetch';
import { boundedFetcher } from './boundedFetcher';

/**
 * Reads like the plugin's own fetcher (plugin-kubernetes-backend 0.21): its
 * connection resolves the request with `this.resolveConnection()` and hands
 * it to node-fetch. The real one cannot run under Jest (it imports
 * @kubernetes/client-node, an ES module); e2e/integration/degradation.spec.ts
 * runs it against clusters that are down and hanging.
 */
class PluginLikeFetcher implements KubernetesFetcher {
  connection = {
    async resolveConnection(cluster: ClusterDetails) {
      return { ok: true, url: new URL(cluster.url), requestInit: {} };
    },
    async fetchWithConnection(
      cluster: ClusterDetails,
      _credential: KubernetesCredential,
      path: string,
    ) {
      const { url, requestInit } = await this.resolveConnection(cluster);
      url.pathname = path;
      return fetch(url, requestInit);
    },
  };

  async fetchObjectsForService(
    params: ObjectFetchParams,
  ): Promise<FetchResponseWrapper> {
    const res = await this.connection.fetchWithConnection(
      params.clusterDetails,
      params.credential,
      '/api/v1/pods',
    );
    const { items } = (await res.json()) as { items: any[] };
    return { errors: [], responses: [{ type: 'pods', resources: items }] };
  }

  async fetchPodMetricsByNamespaces(cluster: ClusterDetails) {
    await this.connection.fetchWithConnection(
      cluster,
      { type: 'anonymous' },
      '/apis/metrics.k8s.io/v1beta1/pods',
    );
    return { errors: [], responses: [] };
  }
}

/** Accepts connections and never answers; counts those still open. */
async function hangingCluster() {
  const open = new Set<net.Socket>();
  const server = net.createServer(socket => {
    // Reads (and ignores) the request, so it sees the client hang up.
    socket.resume();
    open.add(socket);
    socket.on('close', () => open.delete(socket));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    open: () => open.size,
    close: () => {
      open.forEach(s => s.destroy());
      return new Promise(resolve => server.close(resolve));
    },
  };
}

function fetchParams(url: string): ObjectFetchParams {
  return {
    serviceId: 'developer-portal',
    clusterDetails: { name: 'stand-in', url, authMetadata: {} },
    credential: { type: 'anonymous' },
    objectTypesToFetch: new Set(),
    customResources: [],
  };
}

const logger = mockServices.logger.mock();

describe('boundedFetcher', () => {
  it('gives up on a hanging cluster within the timeout, freeing the socket', async () => {
    const cluster = await hangingCluster();
    const fetcher = boundedFetcher(new PluginLikeFetcher(), {
      timeoutMs: 300,
      logger,
    });
    try {
      const started = Date.now();
      const answer = await fetcher.fetchObjectsForService(
        fetchParams(cluster.url),
      );
      expect(Date.now() - started).toBeLessThan(2000);
      expect(answer).toEqual({
        errors: [
          {
            errorType: 'FETCH_ERROR',
            message:
              'Cluster "stand-in" timed out: no answer within 0.3 seconds',
          },
        ],
        responses: [],
      });
      await new Promise(resolve => setTimeout(resolve, 50));
      expect(cluster.open()).toBe(0);
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringContaining(cluster.url),
      );
    } finally {
      await cluster.close();
    }
  });

  it('says a cluster that refuses connections could not be reached, without its address', async () => {
    const closed = await hangingCluster();
    await closed.close();
    const fetcher = boundedFetcher(new PluginLikeFetcher(), {
      timeoutMs: 300,
      logger,
    });
    const answer = await fetcher.fetchPodMetricsByNamespaces(
      fetchParams(closed.url).clusterDetails,
      { type: 'anonymous' },
      new Set(['developer-portal']),
    );
    expect(answer.errors).toEqual([
      {
        errorType: 'FETCH_ERROR',
        message: 'Cluster "stand-in" could not be reached',
      },
    ]);
    expect(JSON.stringify(answer)).not.toContain('127.0.0.1');
  });

  it('reads a cluster that answers, and passes other errors on', async () => {
    const server = http.createServer((req, res) =>
      req.url === '/api/v1/pods'
        ? res.end(JSON.stringify({ items: [{ metadata: { name: 'p' } }] }))
        : res.end('not json'),
    );
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${
      (server.address() as net.AddressInfo).port
    }`;
    try {
      const fetcher = boundedFetcher(new PluginLikeFetcher(), {
        timeoutMs: 300,
        logger,
      });
      expect(await fetcher.fetchObjectsForService(fetchParams(url))).toEqual({
        errors: [],
        responses: [{ type: 'pods', resources: [{ metadata: { name: 'p' } }] }],
      });
      const broken = new PluginLikeFetcher();
      broken.fetchObjectsForService = () =>
        Promise.reject(new TypeError('bug'));
      await expect(
        boundedFetcher(broken, {
          timeoutMs: 300,
          logger,
        }).fetchObjectsForService(fetchParams(url)),
      ).rejects.toThrow('bug');
    } finally {
      await new Promise(resolve => server.close(resolve));
    }
  });

  it('refuses a fetcher it cannot bound', () => {
    const custom: KubernetesFetcher = {
      fetchObjectsForService: async () => ({ errors: [], responses: [] }),
      fetchPodMetricsByNamespaces: async () => ({ errors: [], responses: [] }),
    };
    expect(() => boundedFetcher(custom, { timeoutMs: 300, logger })).toThrow(
      /kubernetes.requestTimeout cannot be applied/,
    );
  });
});
