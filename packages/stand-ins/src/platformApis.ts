import http from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * Loopback stand-ins for the two platform APIs the portal reads but that
 * cannot run on a test machine: the Kubernetes API server and the Argo CD
 * API server. They answer in the shapes of the real APIs for one workload,
 * `developer-portal`, and record every request so tests can assert the
 * portal only ever reads.
 */
export interface StandIn {
  url: string;
  requests: { method: string; path: string }[];
  close(): Promise<void>;
}

const now = new Date().toISOString();
const labels = { 'backstage.io/kubernetes-id': 'developer-portal' };

const kubernetesObjects: Record<string, object[]> = {
  deployments: [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'developer-portal',
        namespace: 'developer-portal',
        uid: 'd1',
        labels,
        creationTimestamp: now,
      },
      spec: {
        replicas: 2,
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers: [] } },
      },
      status: { replicas: 2, readyReplicas: 2, availableReplicas: 2 },
    },
  ],
  replicasets: [
    {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: 'developer-portal-7d9c',
        namespace: 'developer-portal',
        uid: 'rs1',
        labels,
        creationTimestamp: now,
        ownerReferences: [
          { kind: 'Deployment', name: 'developer-portal', uid: 'd1' },
        ],
      },
      spec: { replicas: 2, selector: { matchLabels: labels } },
      status: { replicas: 2, readyReplicas: 2 },
    },
  ],
  pods: ['a1', 'b2'].map(suffix => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `developer-portal-7d9c-${suffix}`,
      namespace: 'developer-portal',
      uid: `pod-${suffix}`,
      labels,
      creationTimestamp: now,
      ownerReferences: [
        { kind: 'ReplicaSet', name: 'developer-portal-7d9c', uid: 'rs1' },
      ],
    },
    spec: {
      containers: [
        {
          name: 'backstage',
          image: 'registry.example.com/developer-portal:1.0.0',
          resources: {
            requests: { cpu: '250m', memory: '512Mi' },
            limits: { cpu: '1', memory: '1Gi' },
          },
        },
      ],
    },
    status: {
      phase: 'Running',
      startTime: now,
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [
        {
          name: 'backstage',
          ready: true,
          restartCount: 0,
          started: true,
          image: 'registry.example.com/developer-portal:1.0.0',
          imageID: '',
          state: { running: { startedAt: now } },
        },
      ],
    },
  })),
  services: [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'developer-portal',
        namespace: 'developer-portal',
        uid: 's1',
        labels,
        creationTimestamp: now,
      },
      spec: {
        type: 'ClusterIP',
        clusterIP: '172.30.0.10',
        ports: [{ port: 7007, protocol: 'TCP' }],
      },
    },
  ],
};

function listen(
  handler: (path: string) => { status: number; body: unknown },
): Promise<StandIn> {
  const requests: StandIn['requests'] = [];
  const server = http.createServer((req, res) => {
    const path = req.url ?? '/';
    requests.push({ method: req.method ?? 'GET', path });
    const { status, body } =
      req.method === 'GET'
        ? handler(path)
        : { status: 405, body: { message: 'read-only stand-in' } };
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  return new Promise(resolve => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        requests,
        close: () => new Promise(done => server.close(() => done())),
      });
    });
  });
}

/** Answers list calls like `GET /apis/apps/v1/namespaces/x/deployments`. */
export function startKubernetesStandIn(): Promise<StandIn> {
  return listen(path => {
    const [pathname, query = ''] = path.split('?');
    const selector = new URLSearchParams(query).get('labelSelector') ?? '';
    const plural = pathname.split('/').filter(Boolean).pop() ?? '';
    const matches =
      selector === '' ||
      selector === 'backstage.io/kubernetes-id=developer-portal';
    const items = matches ? kubernetesObjects[plural] ?? [] : [];
    return {
      status: 200,
      body: { kind: 'List', apiVersion: 'v1', metadata: {}, items },
    };
  });
}

/** Answers `GET /api/v1/applications/<name>` for `developer-portal`. */
export function startArgoCdStandIn(): Promise<StandIn> {
  return listen(path => {
    const match = /^\/api\/v1\/applications\/([^/?]+)/.exec(path);
    if (!match || match[1] !== 'developer-portal') {
      return {
        status: 404,
        body: { error: 'application not found', code: 5 },
      };
    }
    return {
      status: 200,
      body: {
        metadata: {
          name: 'developer-portal',
          namespace: 'openshift-gitops',
        },
        spec: { project: 'platform' },
        status: {
          sync: { status: 'Synced' },
          health: { status: 'Healthy' },
          operationState: { startedAt: now, finishedAt: now },
          history: [
            {
              id: 1,
              revision: 'c0ffee1',
              deployStartedAt: now,
              deployedAt: now,
            },
          ],
        },
      },
    };
  });
}
