import { expect, test } from '@playwright/test';
import {
  KUBERNETES_SECRET_CANARIES,
  StandIn,
  startKubernetesStandIn,
  OidcIssuer,
  keycloakProviderConfig,
  keycloakRedirectUri,
  startOidcIssuer,
} from '@internal/stand-ins';
import path from 'node:path';
import {
  BackendProcess,
  guestToken,
  listenConfig,
  spawnBackend,
  waitUntilReady,
  repoRoot,
  scratchDir,
  writeConfig,
  freePort,
  waitFor,
} from '@internal/test-harness';
import { popupSignIn } from '../support/oidcSignIn';

/**
 * Secret contents never leave the backend through the Kubernetes plugin
 * (plugins/kubernetes-backend-module-secret-guard): the real backend reads a
 * stand-in of the Kubernetes API server that serves Secrets the way a
 * kubectl-applied cluster does (last-applied-configuration repeating `data`
 * and `stringData`, an OpenShift token Secret), and Keycloak users signed in
 * through the loopback OIDC issuer ask every Kubernetes route for them.
 */

const ENTITY_REF = 'component:default/portal-backend';
const NAMESPACE = 'developer-portal';
const SECRETS = [{ group: '', apiVersion: 'v1', plural: 'secrets' }];
const CONFIGMAPS = [{ group: '', apiVersion: 'v1', plural: 'configmaps' }];

/** Every form in which a value a Secret holds could show up. */
const SECRET_CANARIES = [
  KUBERNETES_SECRET_CANARIES.password,
  KUBERNETES_SECRET_CANARIES.passwordDecoded,
  KUBERNETES_SECRET_CANARIES.token,
  Buffer.from(KUBERNETES_SECRET_CANARIES.token).toString('base64'),
  KUBERNETES_SECRET_CANARIES.serviceAccountToken,
  Buffer.from(KUBERNETES_SECRET_CANARIES.serviceAccountToken).toString(
    'base64',
  ),
];

type Role = 'bob' | 'alice';

let issuer: OidcIssuer;
let kubernetes: StandIn;
let backend: BackendProcess;
const tokens = {} as Record<Role, string>;

test.beforeAll(async ({ browser }) => {
  const dir = scratchDir('kubernetes');
  const port = await freePort();
  kubernetes = await startKubernetesStandIn();
  issuer = await startOidcIssuer({
    redirectUris: [keycloakRedirectUri(`http://127.0.0.1:${port}`)],
  });
  const overlay = writeConfig(dir, 'kubernetes.json', {
    ...listenConfig(port),
    auth: {
      // The OIDC strategy keeps its PKCE verifier in the session.
      session: { secret: 'kubernetes-e2e-session-secret' },
      providers: { keycloak: keycloakProviderConfig(issuer) },
    },
    kubernetes: {
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: [
            {
              name: 'stand-in-cluster',
              url: kubernetes.url,
              authProvider: 'serviceAccount',
              serviceAccountToken: 'stand-in-token',
              skipMetricsLookup: true,
            },
          ],
        },
      ],
    },
  });
  backend = spawnBackend({
    port,
    configFiles: [path.join(repoRoot, 'app-config.yaml'), overlay],
  });
  await waitUntilReady(backend);
  // Sign-in needs the User entities, the routes need the component.
  await waitFor('the catalog with users and the portal component', async () => {
    const headers = {
      authorization: `Bearer ${await guestToken(backend.baseUrl)}`,
    };
    const names = [
      'user/default/alice',
      'user/default/bob',
      'component/default/portal-backend',
    ];
    const entities = `${backend.baseUrl}/api/catalog/entities/by-name`;
    const answers = await Promise.all(
      names.map(name => fetch(`${entities}/${name}`, { headers })),
    );
    return answers.every(res => res.status === 200);
  });
  for (const role of ['bob', 'alice'] as const) {
    const { message, context } = await popupSignIn(
      browser,
      backend.baseUrl,
      role,
      'development',
    );
    await context.close();
    expect(message.error).toBeUndefined();
    tokens[role] = message.response!.backstageIdentity.token;
  }
});

test.afterAll(async () => {
  await backend?.stop();
  await kubernetes?.close();
  await issuer?.close();
});

/** One call to a Kubernetes route, as the app makes it. */
async function call(
  role: Role,
  route: string,
  body?: object,
): Promise<{ status: number; text: string }> {
  const res = await fetch(`${backend.baseUrl}/api/kubernetes${route}`, {
    method: body ? 'POST' : 'GET',
    headers: {
      authorization: `Bearer ${tokens[role]}`,
      'backstage-kubernetes-cluster': 'stand-in-cluster',
      ...(body && { 'content-type': 'application/json' }),
    },
    body: body && JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
}

/** Requests that reached the stand-in for Secrets, by any path. */
function secretRequests() {
  return kubernetes.requests.filter(r =>
    /secrets/i.test(decodeURIComponent(r.path)),
  );
}

interface Probe {
  name: string;
  route: string;
  body?: object;
  /** What the route answers each role, so no probe passes by failing. */
  status: Record<Role, number>;
}

const OK = { bob: 200, alice: 200 };
const REFUSED = { bob: 403, alice: 403 };

/** Every route of the Kubernetes plugin, asked for Secrets where it can be. */
const PROBES: Probe[] = [
  { name: 'clusters', route: '/clusters', status: OK },
  {
    name: 'workloads',
    route: '/resources/workloads/query',
    body: { entityRef: ENTITY_REF },
    status: OK,
  },
  {
    name: 'services',
    route: '/services/developer-portal',
    body: {
      entity: { kind: 'Component', metadata: { name: 'portal-backend' } },
    },
    status: OK,
  },
  {
    name: 'custom query for Secrets',
    route: '/resources/custom/query',
    body: { entityRef: ENTITY_REF, customResources: SECRETS },
    status: { bob: 403, alice: 200 },
  },
  {
    name: 'custom query for ConfigMaps',
    route: '/resources/custom/query',
    body: { entityRef: ENTITY_REF, customResources: CONFIGMAPS },
    status: OK,
  },
  {
    name: 'entity action',
    route:
      '/.backstage/actions/v1/actions/kubernetes:get-kubernetes-resources-for-entity/invoke',
    body: { name: 'portal-backend' },
    status: OK,
  },
  ...[
    `/api/v1/namespaces/${NAMESPACE}/secrets`,
    `/api/v1/namespaces/${NAMESPACE}/%73ecrets`,
    `/api/v1/namespaces/${NAMESPACE}/secrets/developer-portal-db`,
    '/api/v1/secrets',
  ].map(route => ({
    name: `proxy ${route}`,
    route: `/proxy${route}`,
    status: REFUSED,
  })),
];

for (const role of ['bob', 'alice'] as const) {
  test(`no Kubernetes route answers ${role} with what a Secret holds`, async () => {
    for (const probe of PROBES) {
      const { status, text } = await call(role, probe.route, probe.body);
      expect(status, `${probe.name} for ${role}: ${text}`).toBe(
        probe.status[role],
      );
      for (const canary of SECRET_CANARIES) {
        expect(text, `${probe.name} for ${role}`).not.toContain(canary);
      }
    }
  });
}

test('the workloads and custom routes drop last-applied from every kind', async () => {
  for (const role of ['bob', 'alice'] as const) {
    for (const body of [
      { entityRef: ENTITY_REF },
      { entityRef: ENTITY_REF, customResources: CONFIGMAPS },
    ]) {
      const route = body.customResources
        ? '/resources/custom/query'
        : '/resources/workloads/query';
      const { status, text } = await call(role, route, body);
      expect(status).toBe(200);
      expect(text).toContain('developer-portal-settings');
      expect(text).not.toContain('last-applied-configuration');
      expect(text).not.toContain(KUBERNETES_SECRET_CANARIES.stalePassword);
    }
  }
});

test('a developer may not query Secrets, and the cluster is not asked', async () => {
  const before = secretRequests().length;
  const { status, text } = await call('bob', '/resources/custom/query', {
    entityRef: ENTITY_REF,
    customResources: [...CONFIGMAPS, ...SECRETS],
  });
  expect(status).toBe(403);
  expect(JSON.parse(text).error).toMatchObject({
    name: 'NotAllowedError',
    message:
      'Querying Kubernetes Secrets requires the kubernetes.secrets.read permission',
  });
  expect(secretRequests().length).toBe(before);
});

test('a platform admin sees which Secrets exist, and nothing they hold', async () => {
  const { status, text } = await call('alice', '/resources/custom/query', {
    entityRef: ENTITY_REF,
    customResources: SECRETS,
  });
  expect(status).toBe(200);
  const [cluster] = JSON.parse(text).items;
  const secrets = cluster.resources[0].resources;
  expect(
    secrets.map((s: { metadata: { name: string } }) => s.metadata.name),
  ).toEqual(['developer-portal-db', 'developer-portal-token-x7k2p']);
  for (const secret of secrets) {
    expect(secret.data).toBeUndefined();
    expect(secret.stringData).toBeUndefined();
    expect(secret.metadata.annotations).toBeUndefined();
  }
});

test('the proxy refuses Secrets even to a platform admin and serves the rest', async () => {
  const before = secretRequests().length;
  for (const route of [
    `/proxy/api/v1/namespaces/${NAMESPACE}/secrets`,
    `/proxy/api/v1/namespaces/${NAMESPACE}/%73ecrets`,
    `/proxy/api/v1/namespaces/${NAMESPACE}%2Fsecrets`,
  ]) {
    const { status, text } = await call('alice', route);
    expect(status, route).toBe(403);
    expect(JSON.parse(text).error.message).toBe(
      'The Kubernetes proxy does not serve Secrets; Secret contents stay in the cluster',
    );
  }
  expect(secretRequests().length).toBe(before);

  const pods = await call(
    'alice',
    `/proxy/api/v1/namespaces/${NAMESPACE}/pods`,
  );
  expect(pods.status).toBe(200);
  expect(JSON.parse(pods.text).items).toHaveLength(2);
  // The proxy stays the platform team's alone.
  expect(
    (await call('bob', `/proxy/api/v1/namespaces/${NAMESPACE}/pods`)).status,
  ).toBe(403);
});
