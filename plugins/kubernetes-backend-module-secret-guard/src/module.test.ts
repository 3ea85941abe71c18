import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import {
  ObjectFetchParams,
  ObjectToFetch,
  kubernetesFetcherExtensionPoint,
} from '@backstage/plugin-kubernetes-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  KUBERNETES_SECRET_CANARIES,
  StandIn,
  startKubernetesStandIn,
} from '@internal/stand-ins';
import request from 'supertest';
import kubernetesModuleSecretGuard from './index';

const ADMIN = 'user:default/ada';
const DEVELOPER = 'user:default/dev';

/** ada holds every Kubernetes permission; dev all but the proxy and Secrets. */
const permissions = mockServices.permissions.mock({
  async authorize(requests, options) {
    const principal = options?.credentials.principal as {
      userEntityRef?: string;
    };
    return requests.map(({ permission }) => ({
      result:
        principal.userEntityRef === ADMIN ||
        (principal.userEntityRef === DEVELOPER &&
          permission.name === 'kubernetes.resources.read')
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
    }));
  },
});

/** A list of the stand-in, read with plain fetch as the API server's client would. */
async function fetchList(params: ObjectFetchParams, resource: ObjectToFetch) {
  const { group, apiVersion, plural, objectType } = resource;
  const path = [
    group ? `/apis/${group}/${apiVersion}` : `/api/${apiVersion}`,
    params.namespace ? `/namespaces/${params.namespace}` : '',
    `/${plural}`,
  ].join('');
  const res = await fetch(
    `${params.clusterDetails.url}${path}?${new URLSearchParams({
      labelSelector: params.labelSelector ?? '',
    })}`,
  );
  const { kind, items } = await res.json();
  // Like the plugin's fetcher: custom resources get the list's kind.
  const kindOfItems = String(kind).replace(/List$/, '');
  return {
    type: objectType,
    resources:
      objectType === 'customresources'
        ? items.map((item: object) => ({ ...item, kind: kindOfItems }))
        : items,
  } as any;
}

/*
 * The plugin's own fetcher loads @kubernetes/client-node, an ES module that
 * Jest cannot import without experimental flags; this one reads the same
 * stand-in. e2e/integration/kubernetes.spec.ts runs the real fetcher and
 * proxy against it.
 */
const standInFetcher = createBackendModule({
  pluginId: 'kubernetes',
  moduleId: 'stand-in-fetcher',
  register(reg) {
    reg.registerInit({
      deps: { fetchers: kubernetesFetcherExtensionPoint },
      async init({ fetchers }) {
        fetchers.addFetcher({
          async fetchObjectsForService(params) {
            const resources = [
              ...params.objectTypesToFetch,
              ...params.customResources,
            ];
            return {
              errors: [],
              responses: await Promise.all(
                resources.map(resource => fetchList(params, resource)),
              ),
            };
          },
          async fetchPodMetricsByNamespaces() {
            return { errors: [], responses: [] };
          },
        });
      },
    });
  },
});

const ENTITY_REF = 'component:default/portal-backend';

/** Every form in which a secret value of the stand-in could leak. */
const CANARIES = Object.values(KUBERNETES_SECRET_CANARIES).flatMap(value => [
  value,
  Buffer.from(value).toString('base64'),
]);

function expectNoCanary(body: unknown) {
  const text = JSON.stringify(body);
  for (const canary of CANARIES) {
    expect(text).not.toContain(canary);
  }
}

describe('kubernetesModuleSecretGuard', () => {
  let standIn: StandIn;
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];

  beforeAll(async () => {
    standIn = await startKubernetesStandIn();
    ({ server } = await startTestBackend({
      features: [
        kubernetesPlugin,
        kubernetesModuleSecretGuard,
        standInFetcher,
        permissions.factory,
        catalogServiceMock.factory({
          entities: [
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Component',
              metadata: {
                name: 'portal-backend',
                namespace: 'default',
                annotations: {
                  'backstage.io/kubernetes-id': 'developer-portal',
                  'backstage.io/kubernetes-namespace': 'developer-portal',
                },
              },
              spec: { type: 'service', owner: 'platform-team' },
            },
          ],
        }),
        mockServices.rootConfig.factory({
          data: {
            kubernetes: {
              serviceLocatorMethod: { type: 'multiTenant' },
              clusterLocatorMethods: [
                {
                  type: 'config',
                  clusters: [
                    {
                      name: 'stand-in',
                      url: standIn.url,
                      // The service account strategy loads the client too.
                      authProvider: 'localKubectlProxy',
                      skipMetricsLookup: true,
                    },
                  ],
                },
              ],
            },
          },
        }),
      ],
    }));
  });

  afterAll(async () => {
    await standIn.close();
  });

  beforeEach(() => {
    standIn.requests.length = 0;
  });

  function post(path: string, user: string, body: object) {
    return request(server)
      .post(`/api/kubernetes${path}`)
      .set('authorization', mockCredentials.user.header(user))
      .send(body);
  }

  function customQuery(user: string, customResources: unknown) {
    return post('/resources/custom/query', user, {
      entityRef: ENTITY_REF,
      customResources,
    });
  }

  const secrets = [{ group: '', apiVersion: 'v1', plural: 'secrets' }];

  it('refuses a custom query for Secrets to a developer, before asking the cluster', async () => {
    const res = await customQuery(DEVELOPER, [
      { group: '', apiVersion: 'v1', plural: 'pods' },
      ...secrets,
    ]);
    expect(res.status).toBe(403);
    expect(res.body.error).toEqual(
      expect.objectContaining({
        name: 'NotAllowedError',
        message:
          'Querying Kubernetes Secrets requires the kubernetes.secrets.read permission',
      }),
    );
    expect(standIn.requests).toEqual([]);
  });

  it('gives a platform admin the Secrets of a custom query without what they hold', async () => {
    const res = await customQuery(ADMIN, secrets);
    expect(res.status).toBe(200);
    expectNoCanary(res.body);
    const [found] = res.body.items[0].resources;
    expect(found.resources.map((s: any) => s.metadata.name)).toEqual([
      'developer-portal-db',
      'developer-portal-token-x7k2p',
    ]);
    for (const secret of found.resources) {
      expect(Object.keys(secret).sort()).toEqual(['kind', 'metadata', 'type']);
      expect(secret.metadata.annotations).toBeUndefined();
    }
  });

  it('refuses a custom resource that names another path than a resource list', async () => {
    const res = await customQuery(ADMIN, [
      { group: '', apiVersion: 'v1', plural: 'secrets/developer-portal-db' },
    ]);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      'customResources[0].plural must be a lowercase Kubernetes name, not "secrets/developer-portal-db"',
    );
    expect(standIn.requests).toEqual([]);
  });

  it.each([
    ['workloads', '/resources/workloads/query', { entityRef: ENTITY_REF }],
    [
      'services',
      '/services/developer-portal',
      { entity: { kind: 'Component', metadata: { name: 'portal-backend' } } },
    ],
  ])(
    'strips last-applied from what the %s route returns, for everyone',
    async (_name, path, body) => {
      for (const user of [DEVELOPER, ADMIN]) {
        const res = await post(path, user, body);
        expect(res.status).toBe(200);
        expectNoCanary(res.body);
        const configMaps = res.body.items[0].resources.find(
          (r: { type: string }) => r.type === 'configmaps',
        );
        expect(configMaps.resources[0].metadata.annotations).toEqual({});
        expect(configMaps.resources[0].data).toEqual({ LOG_LEVEL: 'info' });
      }
    },
  );

  it('keeps Secrets out of the get-kubernetes-resources-for-entity action', async () => {
    const res = await post(
      '/.backstage/actions/v1/actions/kubernetes:get-kubernetes-resources-for-entity/invoke',
      ADMIN,
      { name: 'portal-backend' },
    );
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).toContain('developer-portal-settings');
    expectNoCanary(res.body);
  });

  it('refuses Secrets through the proxy even to a platform admin', async () => {
    for (const path of [
      '/api/v1/namespaces/developer-portal/secrets',
      '/api/v1/namespaces/developer-portal/%73ecrets',
    ]) {
      const res = await request(server)
        .get(`/api/kubernetes/proxy${path}`)
        .set('authorization', mockCredentials.user.header(ADMIN))
        .set('backstage-kubernetes-cluster', 'stand-in');
      expect(res.status).toBe(403);
      expectNoCanary(res.body);
    }
    expect(standIn.requests).toEqual([]);
  });

  it('registers kubernetes.secrets.read with the Kubernetes plugin', async () => {
    const res = await request(server).get(
      '/api/kubernetes/.well-known/backstage/permissions/metadata',
    );
    expect(res.status).toBe(200);
    expect(res.body.permissions).toContainEqual(
      expect.objectContaining({ name: 'kubernetes.secrets.read' }),
    );
  });
});
