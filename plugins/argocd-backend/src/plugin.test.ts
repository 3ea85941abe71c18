import { mockCredentials } from '@backstage/backend-test-utils';
import { ArgoCdStandIn, startArgoCdStandIn } from '@internal/stand-ins';
import request from 'supertest';
import {
  ARGOCD_TOKEN,
  argocdConfig,
  startArgoCdBackend,
} from './__testUtils__/testBackend';

type Server = Awaited<ReturnType<typeof startArgoCdBackend>>['server'];

const PROD = 'team-payments.payments-api.prod';
const PAYMENTS_SELECTOR =
  'portal.platform/team=team-payments,portal.platform/service=payments-api';
const enc = encodeURIComponent;

describe('argocd backend plugin', () => {
  let argocd: ArgoCdStandIn;
  let server: Server;
  /** Every body the plugin answered, to look for the token in. */
  const answered: string[] = [];

  beforeAll(async () => {
    argocd = await startArgoCdStandIn({ token: ARGOCD_TOKEN });
    ({ server } = await startArgoCdBackend(argocdConfig(argocd.url)));
  });

  afterAll(async () => {
    await argocd.close();
  });

  async function get(user: string | undefined, path: string) {
    const req = request(server).get(`/api/argocd${path}`);
    const res = await (user
      ? req.set(
          'Authorization',
          mockCredentials.user.header(`user:default/${user}`),
        )
      : req);
    answered.push(res.text);
    return res;
  }

  const cardRoutes = (app: string) => [
    `/find/name/${enc(app)}`,
    `/argoInstance/main/applications/name/${enc(app)}`,
  ];

  it('serves a developer the applications of entities their team owns', async () => {
    const found = await get('bob', `/find/name/${PROD}`);
    expect(found.status).toBe(200);
    expect(found.body).toEqual([
      { name: 'main', url: 'https://argocd.example.com', appName: [PROD] },
    ]);

    const app = await get(
      'bob',
      `/argoInstance/main/applications/name/${PROD}`,
    );
    expect(app.status).toBe(200);
    expect(app.body.metadata).toMatchObject({
      name: PROD,
      namespace: 'openshift-gitops',
    });
    expect(app.body.status).toMatchObject({
      sync: { status: 'Synced' },
      health: { status: 'Healthy' },
      operationState: { phase: 'Succeeded' },
    });
    expect(app.body.status.history).toHaveLength(1);
    // Only what the card reads: no sync policy, operation messages or results.
    expect(app.body.spec.syncPolicy).toBeUndefined();
    expect(app.body.status.operationState.message).toBeUndefined();
    expect(app.body.status.operationState.syncResult).toBeUndefined();

    const revision = app.body.status.history[0].revision;
    const metadata = await get(
      'bob',
      `/argoInstance/main/applications/name/${PROD}/revisions/${revision}/metadata`,
    );
    expect(metadata.status).toBe(200);
    expect(metadata.body).toMatchObject({ message: `Deploy ${PROD}` });
    const unknown = await get(
      'bob',
      `/argoInstance/main/applications/name/${PROD}/revisions/0000000/metadata`,
    );
    expect(unknown.status).toBe(404);
  });

  it('lists by selector in the shape of Argo CD lists', async () => {
    const found = await get('bob', `/find/selector/${enc(PAYMENTS_SELECTOR)}`);
    expect(found.body).toEqual([
      {
        name: 'main',
        url: 'https://argocd.example.com',
        appName: ['dev', 'test', 'prod'].map(
          e => `team-payments.payments-api.${e}`,
        ),
      },
    ]);
    const list = await get(
      'bob',
      `/argoInstance/main/applications/selector/${enc(PAYMENTS_SELECTOR)}`,
    );
    expect(list.status).toBe(200);
    expect(list.body.items.map((a: any) => a.metadata.name)).toHaveLength(3);
  });

  it.each([
    ['vic', 'a viewer'],
    ['nora', 'a user without a role'],
  ])('refuses %s (%s) on every route', async user => {
    const routes = [
      ...cardRoutes(PROD),
      `/argoInstance/main/applications/name/${PROD}/revisions/abc/metadata`,
      `/find/selector/${enc(PAYMENTS_SELECTOR)}`,
      `/argoInstance/main/applications/selector/${enc(PAYMENTS_SELECTOR)}`,
      '/entity-status?entityRef=component:default/payments-api',
    ];
    for (const route of routes) {
      const res = await get(user, route);
      expect({ route, status: res.status }).toEqual({ route, status: 403 });
      expect(res.body.error.message).toContain('argocd.application.read');
    }
  });

  it("refuses a developer another team's application", async () => {
    for (const route of [
      ...cardRoutes('team-search.search-api.dev'),
      '/entity-status?entityRef=component:default/search-api',
    ]) {
      expect((await get('bob', route)).status).toBe(403);
    }
    // The control: the search team's developer reads it.
    expect(
      (await get('sam', cardRoutes('team-search.search-api.dev')[1])).status,
    ).toBe(200);
  });

  it("refuses an entity claiming another team's application in its annotations", async () => {
    // "forged" is owned by team-search and names a payments application.
    for (const route of cardRoutes('team-payments.payments-api.test')) {
      expect((await get('sam', route)).status).toBe(403);
    }
    // A selector of the search team lists only the search team's applications.
    const list = await get(
      'sam',
      `/argoInstance/main/applications/selector/${enc(
        'portal.platform/env=dev',
      )}`,
    );
    expect(list.body.items.map((a: any) => a.metadata.name)).toEqual([
      'team-search.search-api.dev',
    ]);
    // The same selector for an admin lists every team's.
    const all = await get(
      'ada',
      `/argoInstance/main/applications/selector/${enc(
        'portal.platform/env=dev',
      )}`,
    );
    expect(all.body.items).toHaveLength(2);
  });

  it('serves an application no entity names to platform admins only', async () => {
    const app = 'team-payments.payments-api.dev';
    for (const route of cardRoutes(app)) {
      expect((await get('bob', route)).status).toBe(403);
      expect((await get('ada', route)).status).toBe(200);
    }
    const missing = await get(
      'ada',
      '/argoInstance/main/applications/name/no-such-app',
    );
    expect(missing.status).toBe(404);
    expect((await get('ada', '/find/name/no-such-app')).body).toEqual([]);
  });

  it('answers the status of every application of an entity from one cached list call', async () => {
    const listCalls = () =>
      argocd.requests.filter(r => r.path.startsWith('/api/v1/applications?'))
        .length;
    const before = listCalls();
    const first = await get(
      'bob',
      '/entity-status?entityRef=component:default/payments-api',
    );
    expect(first.status).toBe(200);
    expect(first.body.entityRef).toBe('component:default/payments-api');
    expect(first.body.applications).toEqual(
      ['dev', 'test', 'prod'].map(env => ({
        instance: 'main',
        name: `team-payments.payments-api.${env}`,
        environment: env,
        syncStatus: env === 'test' ? 'OutOfSync' : 'Synced',
        healthStatus: env === 'test' ? 'Progressing' : 'Healthy',
        revision: expect.stringMatching(/^[0-9a-f]{40}$/),
        lastOperationAt: expect.any(String),
      })),
    );
    const again = await get(
      'bob',
      '/entity-status?entityRef=component:default/payments-api',
    );
    expect(again.body).toEqual(first.body);
    expect(listCalls() - before).toBe(1);

    const byName = await get(
      'ada',
      '/entity-status?entityRef=component:default/portal-backend',
    );
    // Neither an env label nor a <team>.<service>.<env> name.
    expect(byName.body.applications).toEqual([
      expect.not.objectContaining({ environment: expect.anything() }),
    ]);
    expect(byName.body.applications[0].name).toBe('developer-portal');
    expect(
      (await get('ada', '/entity-status?entityRef=component:default/nope'))
        .status,
    ).toBe(404);
    expect(
      (await get('bob', '/entity-status?entityRef=component:default/nope'))
        .status,
    ).toBe(403);
  });

  it.each([
    ['/find/name/..%2F..%2Fsession', 'Argo CD application name'],
    [
      `/argoInstance/main/applications/name/${PROD}/revisions/a%20b/metadata`,
      'revision',
    ],
    ['/find/selector/a%3Bb', 'label selector'],
    ['/entity-status', 'entityRef'],
    ['/entity-status?entityRef=nope', 'entityRef'],
  ])('answers 400 to bad input: %s', async (route, what) => {
    const res = await get('ada', route);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(what);
  });

  it('serves nothing but its read routes, to signed-in users only', async () => {
    for (const route of [
      '/api/v1/applications',
      '/api/v1/session/userinfo',
      `/applications/${PROD}/pods/x/logs`,
      `/argoInstance/main/applications/name/${PROD}/resource-tree`,
    ]) {
      expect((await get('ada', route)).status).toBe(404);
    }
    const post = await request(server)
      .post(`/api/argocd/argoInstance/main/applications/name/${PROD}`)
      .set('Authorization', mockCredentials.user.header('user:default/ada'));
    expect(post.status).toBe(404);
    expect((await get(undefined, `/find/name/${PROD}`)).status).toBe(401);
    const service = await request(server)
      .get(`/api/argocd/find/name/${PROD}`)
      .set('Authorization', mockCredentials.service.header());
    expect(service.status).toBe(403);
    expect(argocd.requests.filter(r => r.method !== 'GET')).toEqual([]);
  });

  it('answers entity status to the GitOps backend as itself, and to no other plugin', async () => {
    const status = (subject: string) =>
      request(server)
        .get(
          '/api/argocd/entity-status?entityRef=component:default/payments-api',
        )
        .set(
          'Authorization',
          mockCredentials.service.header({
            onBehalfOf: mockCredentials.service(subject),
            targetPluginId: 'argocd',
          }),
        );
    const gitops = await status('plugin:gitops');
    expect(gitops.status).toBe(200);
    expect(gitops.body.applications.length).toBeGreaterThan(0);
    expect((await status('plugin:catalog')).status).toBe(403);
    expect((await status('external:ci-pipeline')).status).toBe(403);
  });

  it('uses the token towards Argo CD only', () => {
    expect(argocd.requests.length).toBeGreaterThan(0);
    for (const { authorization } of argocd.requests) {
      expect(authorization).toBe(`Bearer ${ARGOCD_TOKEN}`);
    }
    expect(answered.length).toBeGreaterThan(20);
    expect(answered.filter(body => body.includes(ARGOCD_TOKEN))).toEqual([]);
  });
});
