import { expect, test } from '@playwright/test';
import {
  ARGOCD_STAND_IN_APPLICATIONS,
  ArgoCdStandIn,
  startArgoCdStandIn,
  OidcIssuer,
  keycloakProviderConfig,
  keycloakRedirectUri,
  startOidcIssuer,
} from '@internal/stand-ins';
import crypto from 'node:crypto';
import fs from 'node:fs';
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
 * The argocd backend plugin on the real backend: people of every role sign
 * in through the loopback OIDC issuer and read Argo CD (a stand-in answering
 * in Argo CD's shapes, with several teams' Applications) through
 * `/api/argocd`, against catalog entities of different teams.
 */

/** Who signs in, and the role the portal gives them. */
const USERS = {
  alice: 'platform-admin (platform-team)',
  bob: 'developer of team-payments',
  dave: 'developer of team-search, without a User entity',
  vera: 'viewer (engineering), without a User entity',
  erin: 'no role, without a User entity',
} as const;
type User = keyof typeof USERS;

const TOKEN = `argocd-e2e-token-${crypto.randomBytes(8).toString('hex')}`;
const PAYMENTS_SELECTOR =
  'portal.platform/team=team-payments,portal.platform/service=payments-api';
const PROD = 'team-payments.payments-api.prod';
const PROD_REVISION = ARGOCD_STAND_IN_APPLICATIONS.find(
  a => a.metadata.name === PROD,
)!.status.sync.revision;

function component(name: string, owner: string, annotation: object) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, annotations: annotation },
    spec: { type: 'service', lifecycle: 'production', owner },
  };
}

/** Test-only catalog: two teams' services, and one entity claiming another team's app. */
const ENTITIES = [
  component('payments-api', 'team-payments', {
    'argocd/app-selector': PAYMENTS_SELECTOR,
  }),
  component('payments-api-prod', 'team-payments', { 'argocd/app-name': PROD }),
  component('search-api', 'team-search', {
    'argocd/app-name': 'team-search.search-api.dev',
  }),
  component('search-claims-payments', 'team-search', {
    'argocd/app-name': 'team-payments.payments-api.test',
  }),
];

const enc = encodeURIComponent;
const A = 200;
const F = 403;

/** Route, then the status expected for alice, bob, dave, vera and erin. */
// prettier-ignore
const TABLE: Array<[string, number, number, number, number, number]> = [
  //                                                                    alice bob dave vera erin
  [`find/name/${PROD}`,                                                 A,    A,  F,   F,   F],
  [`argoInstance/main/applications/name/${PROD}`,                       A,    A,  F,   F,   F],
  [`argoInstance/main/applications/name/${PROD}/revisions/${PROD_REVISION}/metadata`, A, A, F, F, F],
  [`find/selector/${enc(PAYMENTS_SELECTOR)}`,                           A,    A,  F,   F,   F],
  [`argoInstance/main/applications/selector/${enc(PAYMENTS_SELECTOR)}`, A,    A,  F,   F,   F],
  ['entity-status?entityRef=component:default/payments-api',            A,    A,  F,   F,   F],
  ['argoInstance/main/applications/name/team-search.search-api.dev',    A,    F,  A,   F,   F],
  ['entity-status?entityRef=component:default/search-api',              A,    F,  A,   F,   F],
  // Named only by an entity of team-search, which does not own it.
  ['argoInstance/main/applications/name/team-payments.payments-api.test', A,  F,  F,   F,   F],
  // Named by no entity at all.
  ['argoInstance/main/applications/name/team-payments.payments-api.dev', A,   F,  F,   F,   F],
  ['find/name/developer-portal',                                        A,    F,  F,   F,   F],
  ['entity-status?entityRef=component:default/portal-backend',          A,    F,  F,   F,   F],
];

let dir: string;
let issuer: OidcIssuer;
let argocd: ArgoCdStandIn;
let backend: BackendProcess;
const tokens = {} as Record<User, string>;
/** Every answer the portal gave, to look for the token in. */
const answered: string[] = [];

async function get(user: User, route: string) {
  const res = await fetch(`${backend.baseUrl}/api/${route}`, {
    headers: { authorization: `Bearer ${tokens[user]}` },
  });
  const text = await res.text();
  answered.push(text);
  return { status: res.status, text, json: () => JSON.parse(text) };
}

/** Entity providers ingest asynchronously; wait (bounded) for the test entities. */
async function waitForCatalog() {
  await waitFor('the test catalog with resolved ownership', async () => {
    const token = await guestToken(backend.baseUrl);
    const res = await fetch(
      `${backend.baseUrl}/api/catalog/entities/by-name/component/default/search-claims-payments`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    if (res.status !== 200) {
      return false;
    }
    const entity = await res.json();
    return (entity.relations ?? []).some(
      (r: { type: string }) => r.type === 'ownedBy',
    );
  });
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(600_000);
  dir = scratchDir('argocd');
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  issuer = await startOidcIssuer({
    redirectUris: [keycloakRedirectUri(baseUrl)],
  });
  argocd = await startArgoCdStandIn({ token: TOKEN });
  const entities = path.join(dir, 'argocd-entities.yaml');
  fs.writeFileSync(
    entities,
    ENTITIES.map(e => JSON.stringify(e)).join('\n---\n'),
  );
  const overlay = writeConfig(dir, 'argocd.json', {
    ...listenConfig(port),
    auth: {
      session: { secret: 'argocd-e2e-session-secret' },
      providers: { keycloak: keycloakProviderConfig(issuer) },
      // Lets dave, vera and erin in with the groups of their Keycloak token.
      keycloak: { allowUsersWithoutCatalogEntity: true },
    },
    catalog: {
      locations: [
        { type: 'file', target: path.join(repoRoot, 'catalog-info.yaml') },
        {
          type: 'file',
          target: path.join(repoRoot, 'catalog/org.yaml'),
          rules: [{ allow: ['User', 'Group'] }],
        },
        { type: 'file', target: entities },
      ],
    },
    argocd: {
      appLocatorMethods: [
        {
          type: 'config',
          instances: [{ name: 'main', url: argocd.url, token: TOKEN }],
        },
      ],
      requestTimeout: { seconds: 2 },
      statusCacheTtl: { milliseconds: 100 },
    },
  });
  backend = spawnBackend({
    port,
    configFiles: [path.join(repoRoot, 'app-config.yaml'), overlay],
  });
  await waitUntilReady(backend);
  await waitForCatalog();
  for (const user of Object.keys(USERS) as User[]) {
    const { message, context } = await popupSignIn(
      browser,
      baseUrl,
      user,
      'development',
    );
    await context.close();
    expect(message.error, user).toBeUndefined();
    tokens[user] = message.response!.backstageIdentity.token;
  }
});

test.afterAll(async () => {
  await backend?.stop();
  if (backend) {
    fs.writeFileSync(path.join(dir, 'backend.log'), backend.output());
  }
  await argocd?.close();
  await issuer?.close();
});

test.describe('Argo CD behind argocd.application.read', () => {
  for (const [index, user] of (Object.keys(USERS) as User[]).entries()) {
    test(`answers ${user}, ${USERS[user]}, on every route`, async () => {
      const got = [];
      const want = [];
      for (const [route, ...statuses] of TABLE) {
        got.push(`${(await get(user, `argocd/${route}`)).status} ${route}`);
        want.push(`${statuses[index]} ${route}`);
      }
      expect(got).toEqual(want);
    });
  }

  test('serves a developer their services in Argo CD shapes, per environment', async () => {
    const list = await get(
      'bob',
      `argocd/argoInstance/main/applications/selector/${enc(
        PAYMENTS_SELECTOR,
      )}`,
    );
    expect(list.json().items.map((a: any) => a.metadata.name)).toEqual(
      ['dev', 'test', 'prod'].map(env => `team-payments.payments-api.${env}`),
    );
    const status = await get(
      'bob',
      'argocd/entity-status?entityRef=component:default/payments-api',
    );
    expect(status.json()).toEqual({
      entityRef: 'component:default/payments-api',
      applications: ['dev', 'test', 'prod'].map(env => ({
        instance: 'main',
        name: `team-payments.payments-api.${env}`,
        environment: env,
        syncStatus: env === 'test' ? 'OutOfSync' : 'Synced',
        healthStatus: env === 'test' ? 'Progressing' : 'Healthy',
        revision: expect.stringMatching(/^[0-9a-f]{40}$/),
        lastOperationAt: expect.any(String),
      })),
    });
    const metadata = await get('bob', `argocd/${TABLE[2][0]}`);
    expect(metadata.json()).toMatchObject({ message: `Deploy ${PROD}` });
    const refused = await get('vera', `argocd/${TABLE[1][0]}`);
    expect(refused.json().error.message).toContain('argocd.application.read');
  });

  test('has no raw proxy to Argo CD any more', async () => {
    for (const route of [
      'proxy/argocd/api/applications',
      'proxy/argocd/api/session/userinfo',
      `proxy/argocd/api/applications/${PROD}/pods/payments-api-0/logs`,
      'argocd/api/v1/applications',
      `argocd/applications/${PROD}/pods/payments-api-0/logs`,
    ]) {
      expect({ route, status: (await get('alice', route)).status }).toEqual({
        route,
        status: 404,
      });
    }
    for (const [route] of TABLE) {
      const anonymous = await fetch(`${backend.baseUrl}/api/argocd/${route}`);
      expect({ route, status: anonymous.status }).toEqual({
        route,
        status: 401,
      });
    }
  });

  test('uses the Argo CD token towards Argo CD only, and only to read', () => {
    expect(argocd.requests.length).toBeGreaterThan(10);
    expect(argocd.requests.filter(r => r.method !== 'GET')).toEqual([]);
    expect(
      argocd.requests.filter(r => r.authorization !== `Bearer ${TOKEN}`),
    ).toEqual([]);
    expect(answered.length).toBeGreaterThan(50);
    expect(answered.filter(body => body.includes(TOKEN))).toEqual([]);
    expect(backend.output()).not.toContain(TOKEN);
  });

  test('answers clearly within the timeout when Argo CD hangs, fails or is down', async () => {
    const route = 'argocd/argoInstance/main/applications/name/developer-portal';
    try {
      argocd.setFault('hang');
      const started = Date.now();
      const hung = await get('alice', route);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(hung.status).toBe(504);
      expect(hung.json().error.message).toBe(
        'Argo CD instance "main" did not answer within 2 seconds',
      );
      // The rest of the portal does not wait for Argo CD.
      expect((await get('alice', 'catalog/entities?limit=1')).status).toBe(200);

      argocd.setFault('error');
      const failed = await get('alice', route);
      expect(failed.status).toBe(502);
      expect(failed.text).not.toContain(argocd.url);
    } finally {
      argocd.setFault(undefined);
    }
    expect((await get('alice', route)).status).toBe(200);

    await argocd.close();
    const down = await get(
      'alice',
      'argocd/entity-status?entityRef=component:default/portal-backend',
    );
    expect(down.status).toBe(502);
    expect(down.json().error.message).toBe(
      'Argo CD instance "main" could not be reached',
    );
  });
});
