import http from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * Loopback stand-ins for the platform APIs the portal reads but that cannot
 * run on a test machine. The Kubernetes API server's answers in the shapes
 * of the real API for one workload, `developer-portal` (Argo CD's is in
 * argoCdStandIn.ts); every request is recorded so tests can assert the
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

/**
 * Values that must never leave the portal's backend: tests look for them in
 * every answer of the portal's Kubernetes routes.
 */
export const KUBERNETES_SECRET_CANARIES = {
  /** The database password, as the Secret's `data` holds it (base64). */
  password: Buffer.from('canary-db-password-4f1d').toString('base64'),
  /** The same password decoded. */
  passwordDecoded: 'canary-db-password-4f1d',
  /** A token applied through `stringData`. */
  token: 'canary-stringdata-token-9b3e',
  /** A service account token in OpenShift's `token-secret.value` annotation. */
  serviceAccountToken: 'canary-openshift-sa-token-77c2',
  /** A password that a ConfigMap once held inline, now only in last-applied. */
  stalePassword: 'canary-stale-configmap-password-2a6b',
};

/** What `kubectl apply` keeps of the manifest it applied, as the real annotation. */
function lastApplied(manifest: object) {
  return {
    'kubectl.kubernetes.io/last-applied-configuration': `${JSON.stringify(
      manifest,
    )}\n`,
  };
}

const dbSecretManifest = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: {
    name: 'developer-portal-db',
    namespace: 'developer-portal',
    labels,
  },
  type: 'Opaque',
  data: { password: KUBERNETES_SECRET_CANARIES.password },
  stringData: { token: KUBERNETES_SECRET_CANARIES.token },
};

const settingsManifest = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: {
    name: 'developer-portal-settings',
    namespace: 'developer-portal',
    labels,
  },
  data: {
    LOG_LEVEL: 'info',
    DB_PASSWORD: KUBERNETES_SECRET_CANARIES.stalePassword,
  },
};

/**
 * Objects that carry secret values the way real clusters do: Secrets applied
 * with kubectl (the last-applied annotation repeats `data` and `stringData`),
 * an OpenShift service account token Secret, and a ConfigMap whose inline
 * password was later patched away but stays in its last-applied annotation.
 * Lists as the real API server sends them: the kind on the list only.
 */
const secretCarryingLists: Record<string, { kind: string; items: object[] }> = {
  secrets: {
    kind: 'SecretList',
    items: [
      {
        metadata: {
          ...dbSecretManifest.metadata,
          uid: 'sec1',
          creationTimestamp: now,
          annotations: lastApplied(dbSecretManifest),
        },
        type: 'Opaque',
        data: {
          password: KUBERNETES_SECRET_CANARIES.password,
          token: Buffer.from(KUBERNETES_SECRET_CANARIES.token).toString(
            'base64',
          ),
        },
      },
      {
        metadata: {
          name: 'developer-portal-token-x7k2p',
          namespace: 'developer-portal',
          uid: 'sec2',
          labels,
          creationTimestamp: now,
          annotations: {
            'kubernetes.io/service-account.name': 'developer-portal',
            'openshift.io/token-secret.name': 'developer-portal-token-x7k2p',
            'openshift.io/token-secret.value':
              KUBERNETES_SECRET_CANARIES.serviceAccountToken,
          },
        },
        type: 'kubernetes.io/service-account-token',
        data: {
          token: Buffer.from(
            KUBERNETES_SECRET_CANARIES.serviceAccountToken,
          ).toString('base64'),
        },
      },
    ],
  },
  configmaps: {
    kind: 'ConfigMapList',
    items: [
      {
        metadata: {
          ...settingsManifest.metadata,
          uid: 'cm1',
          creationTimestamp: now,
          annotations: lastApplied(settingsManifest),
        },
        data: { LOG_LEVEL: 'info' },
      },
    ],
  },
};

/** The list the Kubernetes stand-in answers for one resource. */
function kubernetesList(plural: string, selected: boolean) {
  const own = secretCarryingLists[plural];
  const items = selected
    ? [...(kubernetesObjects[plural] ?? []), ...(own?.items ?? [])]
    : [];
  return { kind: own?.kind ?? 'List', apiVersion: 'v1', metadata: {}, items };
}

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
    return { status: 200, body: kubernetesList(plural, matches) };
  });
}
