import { Browser, BrowserContext, expect, Page, test } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import {
  branchTip,
  commitAndPush,
  GitHttpServer,
  mergeBranch,
  seedRepository,
  startGitHttpServer,
} from '@internal/dev-git-server';
import {
  ARGOCD_STAND_IN_APPLICATIONS,
  FaultMode,
  FaultProxy,
  ISSUER_ACCOUNTS,
  keycloakProviderConfig,
  keycloakRedirectUri,
  OidcIssuer,
  StandIn,
  startArgoCdStandIn,
  startFaultProxy,
  startKeycloakAdminStandIn,
  startKubernetesStandIn,
  startOidcIssuer,
  KeycloakAdminStandIn,
} from '@internal/stand-ins';
import {
  BackendProcess,
  buildBundle,
  freePort,
  guestToken,
  listenConfig,
  PostgresCluster,
  repoRoot,
  scratchDir,
  spawnBackend,
  startPostgres,
  waitFor,
  waitUntilReady,
  writeConfig,
} from '@internal/test-harness';
import { popupSignIn } from '../support/oidcSignIn';
import { runTask, TaskOutcome } from '../support/tasks';

/**
 * A failing neighbour degrades only its own feature. The real backend (on
 * PostgreSQL 15, with its OpenTelemetry metrics) reaches each neighbour it
 * cannot have here (Argo CD, the Kubernetes API, Keycloak's OIDC issuer and
 * admin API: loopback stand-ins) and the loopback Git server through a
 * fault proxy that refuses connections (`down`) or accepts them and never
 * answers (`hang`). For each: the affected API answers within its timeout
 * with a clear error, the rest of the portal and readiness are unaffected,
 * the metric counts the failure, and once the neighbour is back the feature
 * works again without a restart. In Chromium: the sign-in page while
 * Keycloak is down, and an entity page while Argo CD hangs and the
 * Kubernetes API is down (screenshots in the run's scratch folder).
 */
test.describe.configure({ mode: 'serial' });

/** Every neighbour's timeout in the test overlay, in seconds. */
const TIMEOUT_S = 2;
/** What a loaded two-core machine may add to a timeout. */
const SLACK_MS = 4000;
const ARGOCD_TOKEN = 'degradation-argocd-token';
const KEYCLOAK_UNAVAILABLE =
  'Keycloak could not be reached, so nobody can sign in right now; try again in a few minutes';
const SYNC_ERROR = 'Error while syncing Keycloak users and groups';
const PORTAL = 'component:default/portal-backend';
const SERVICE = 'component:default/payments-api';
const LEDGER = {
  team: 'group:default/team-payments',
  name: 'ledger',
  description: 'Keeps the books.',
  image: 'quay.io/acme/ledger',
  tag: '1.0.0',
  port: 8080,
  healthPath: '/healthz',
  size: 'S',
  replicas: 2,
  autoscaling: false,
  maxReplicas: 5,
};
const LEDGER_BRANCH = 'portal/deploy-service/team-payments/ledger';

let dir: string;
let postgres: PostgresCluster;
let backend: BackendProcess;
let metricsPort: number;
let bare: string;
let issuer: OidcIssuer;
const standIns: {
  argocd?: StandIn;
  kubernetes?: StandIn;
  keycloakAdmin?: KeycloakAdminStandIn;
  git?: GitHttpServer;
} = {};
/** The neighbours as the portal reaches them. */
const at = {} as Record<
  'argocd' | 'kubernetes' | 'keycloak' | 'keycloakAdmin' | 'git',
  FaultProxy
>;
const tokens: Record<string, string> = {};
let bobSession: BrowserContext;

/** The GitOps repository: both teams onboarded, payments-api deployed. */
function seedDir(): string {
  const seed = path.join(dir, 'seed');
  fs.cpSync(path.join(repoRoot, 'gitops'), seed, { recursive: true });
  for (const fixture of [
    'onboard-team/fixtures/team-payments',
    'onboard-team/fixtures/team-search-small',
    'deploy-service/fixtures/payments-api',
  ]) {
    fs.cpSync(path.join(repoRoot, 'templates', fixture, 'expected'), seed, {
      recursive: true,
    });
  }
  return seed;
}

/** The frontend of the production bundle, served by this backend. */
function appPackage(): string {
  const target = path.join(dir, 'app');
  fs.cpSync(path.join(buildBundle().appDir, 'packages/app'), target, {
    recursive: true,
  });
  return target;
}

function overlay(port: number) {
  const base = listenConfig(port);
  return {
    ...base,
    app: {
      ...base.app,
      packageName: appPackage(),
      signInProviders: ['guest', 'keycloak'],
    },
    backend: {
      ...base.backend,
      database: {
        client: 'pg',
        connection: {
          host: postgres.host,
          port: postgres.port,
          user: postgres.user,
          password: postgres.password,
        },
      },
    },
    auth: {
      session: { secret: 'degradation-session-secret' },
      providers: {
        keycloak: {
          development: {
            ...keycloakProviderConfig(issuer).development,
            timeout: { seconds: TIMEOUT_S },
          },
        },
      },
    },
    catalog: {
      providers: {
        gitops: {
          schedule: { frequency: { seconds: 2 }, timeout: { seconds: 60 } },
        },
        keycloakOrg: {
          standIn: {
            baseUrl: at.keycloakAdmin.url,
            loginRealm: standIns.keycloakAdmin!.loginRealm,
            realm: standIns.keycloakAdmin!.realm,
            clientId: standIns.keycloakAdmin!.clientId,
            clientSecret: standIns.keycloakAdmin!.clientSecret,
            schedule: {
              frequency: { seconds: 3 },
              timeout: { seconds: TIMEOUT_S * 2 },
              initialDelay: { seconds: 0 },
            },
          },
        },
      },
    },
    gitops: {
      repoUrl: `${at.git.url}/gitops.git`,
      mirrorDirectory: path.join(dir, 'mirror'),
      gitTimeout: { seconds: TIMEOUT_S },
      changeRequests: { pollInterval: { seconds: 2 } },
    },
    argocd: {
      appLocatorMethods: [
        {
          type: 'config',
          instances: [
            { name: 'main', url: at.argocd.url, token: ARGOCD_TOKEN },
          ],
        },
      ],
      requestTimeout: { seconds: TIMEOUT_S },
      statusCacheTtl: { milliseconds: 100 },
    },
    kubernetes: {
      requestTimeout: { seconds: TIMEOUT_S },
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: [
            {
              name: 'stand-in',
              url: at.kubernetes.url,
              authProvider: 'serviceAccount',
              serviceAccountToken: 'stand-in-token',
              skipMetricsLookup: true,
            },
          ],
        },
      ],
    },
  };
}

/** The backend with the OpenTelemetry SDK loaded, as `yarn start` and the image do. */
function spawn(port: number, config: string) {
  const nodeOptions = [
    require.resolve('@backstage/cli-node/config/nodeTransform.cjs', {
      paths: [repoRoot],
    }),
    path.join(repoRoot, 'packages/backend/src/instrumentation.js'),
  ];
  return spawnBackend({
    port,
    configFiles: [path.join(repoRoot, 'app-config.yaml'), config],
    env: {
      NODE_OPTIONS: nodeOptions.map(file => `--require ${file}`).join(' '),
      OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
    },
  });
}

test.beforeAll(async () => {
  test.setTimeout(900_000);
  dir = scratchDir('degradation');
  postgres = await startPostgres(dir);
  const port = await freePort();
  metricsPort = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;

  standIns.argocd = await startArgoCdStandIn({ token: ARGOCD_TOKEN });
  standIns.kubernetes = await startKubernetesStandIn();
  standIns.keycloakAdmin = await startKeycloakAdminStandIn({
    org: { generated: { users: 10, groups: 3, roots: 1, branching: 2 } },
  });
  bare = await seedRepository(path.join(dir, 'repos'), 'gitops.git', seedDir());
  standIns.git = await startGitHttpServer({ root: path.join(dir, 'repos') });
  at.argocd = await startFaultProxy({ target: standIns.argocd.url });
  at.kubernetes = await startFaultProxy({ target: standIns.kubernetes.url });
  at.keycloakAdmin = await startFaultProxy({
    target: standIns.keycloakAdmin.baseUrl,
  });
  at.git = await startFaultProxy({ target: `127.0.0.1:${standIns.git.port}` });
  // The issuer names the proxy as its origin, so every call to it, the
  // browser's included, goes through the proxy.
  const keycloakPort = await freePort();
  const issuerPort = await freePort();
  issuer = await startOidcIssuer({
    port: issuerPort,
    origin: `http://127.0.0.1:${keycloakPort}`,
    redirectUris: [keycloakRedirectUri(baseUrl)],
  });
  at.keycloak = await startFaultProxy({
    target: `127.0.0.1:${issuerPort}`,
    port: keycloakPort,
  });
  // Keycloak is down while the portal starts.
  await at.keycloak.set('down');

  backend = spawn(port, writeConfig(dir, 'degradation.json', overlay(port)));
  await waitUntilReady(backend);
  tokens.guest = await waitForCatalog();
});

test.afterAll(async () => {
  await bobSession?.close();
  await backend?.stop();
  if (backend) {
    fs.writeFileSync(path.join(dir, 'backend.log'), backend.output());
  }
  for (const proxy of Object.values(at)) await proxy?.close();
  await standIns.argocd?.close();
  await standIns.kubernetes?.close();
  await standIns.keycloakAdmin?.close();
  await standIns.git?.stop();
  await issuer?.close();
  postgres?.destroy();
});

test.afterEach(async ({}, testInfo) => {
  if (testInfo.status !== testInfo.expectedStatus && backend) {
    await testInfo.attach('backend output', {
      body: backend.output().slice(-30_000),
      contentType: 'text/plain',
    });
  }
});

/** The catalog with the portal's own entities and the GitOps repository's. */
async function waitForCatalog(): Promise<string> {
  let token = '';
  await waitFor(
    'the catalog with users, the portal and the GitOps services',
    async () => {
      // A fresh token: one issued before the guest's User entity has no groups.
      token = await guestToken(backend.baseUrl);
      const found = await Promise.all(
        ['user:default/bob', PORTAL, SERVICE, `user:default/user-00`].map(ref =>
          entity(token, ref),
        ),
      );
      return found.every(Boolean);
    },
    { attempts: 240, intervalMs: 500 },
  );
  return token;
}

async function entity(token: string, ref: string) {
  const [kind, rest] = ref.split(':');
  const res = await api(token, `catalog/entities/by-name/${kind}/${rest}`);
  return res.status === 200 ? res.json() : undefined;
}

/** One call to the backend; never waits past 30 s, so a hang fails the test. */
async function api(
  token: string | undefined,
  route: string,
  init: RequestInit = {},
) {
  const started = Date.now();
  const res = await fetch(`${backend.baseUrl}/api/${route}`, {
    ...init,
    headers: {
      ...(token && { authorization: `Bearer ${token}` }),
      ...(init.body ? { 'content-type': 'application/json' } : {}),
    },
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  return {
    status: res.status,
    ms: Date.now() - started,
    text,
    json: () => JSON.parse(text),
  };
}

/** Within one neighbour's timeout, with room for a loaded machine. */
function withinTimeout(ms: number) {
  expect(ms).toBeLessThan(TIMEOUT_S * 1000 + SLACK_MS);
}

/** What the rest of the portal must keep doing while a neighbour fails. */
async function expectUnaffected() {
  const readiness = await fetch(
    `${backend.baseUrl}/.backstage/health/v1/readiness`,
  );
  expect(readiness.status).toBe(200);
  const catalog = await api(
    tokens.guest,
    'catalog/entities/by-name/component/default/portal-backend',
  );
  expect(catalog.status).toBe(200);
  expect(catalog.ms).toBeLessThan(SLACK_MS);
}

/** The sum of a metric's series with these labels, from the backend's Prometheus endpoint. */
async function metric(name: string, labels: Record<string, string> = {}) {
  const text = await (
    await fetch(`http://127.0.0.1:${metricsPort}/metrics`)
  ).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    const match = /^([\w:]+)(?:\{(.*)\})? (\S+)/.exec(line);
    if (!match || match[1] !== name) continue;
    const series = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map(m => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([k, v]) => series[k] === v)) {
      sum += Number(match[3]);
    }
  }
  return sum;
}

/** Waits (bounded) for a line of the backend's log written after `mark`. */
async function logged(mark: number, text: string, seconds = 20) {
  await waitFor(
    `"${text}" in the backend log`,
    async () => backend.output().slice(mark).includes(text),
    { attempts: seconds * 4, intervalMs: 250 },
  );
  return backend.output().slice(mark);
}

test.describe('Keycloak sign-in', () => {
  test('starts while Keycloak is down, says so on the sign-in page, and signs in once Keycloak is back', async ({
    browser,
  }) => {
    await expectUnaffected();
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(backend.baseUrl);
    const started = Date.now();
    await page.getByRole('button', { name: 'Sign In' }).click();
    await expect(
      page.getByText(KEYCLOAK_UNAVAILABLE, { exact: false }),
    ).toBeVisible({ timeout: 15_000 });
    withinTimeout(Date.now() - started);
    await page.screenshot({ path: path.join(dir, 'keycloak-down.png') });

    await at.keycloak.set('up');
    const [popup] = await Promise.all([
      page.waitForEvent('popup'),
      page.getByRole('button', { name: 'Sign In' }).click(),
    ]);
    await popup.locator('#username').fill('bob');
    await popup.locator('#password').fill(ISSUER_ACCOUNTS.bob.password);
    await popup.locator('#kc-login').click();
    await expect(
      page.getByRole('link', { name: 'Catalog' }).first(),
    ).toBeVisible({ timeout: 30_000 });
    await context.close();

    for (const person of ['alice', 'bob'] as const) {
      const { message, context: signedIn } = await popupSignIn(
        browser,
        backend.baseUrl,
        person,
        'development',
      );
      expect(message.error, person).toBeUndefined();
      tokens[person] = message.response!.backstageIdentity.token;
      if (person === 'bob') bobSession = signedIn;
      else await signedIn.close();
    }
  });

  for (const mode of ['hang', 'down'] as const) {
    test(`answers a session refresh within the timeout while Keycloak is ${mode}, and refreshes once it is back`, async () => {
      const refresh = async () => {
        const started = Date.now();
        const res = await bobSession.request.post(
          `${backend.baseUrl}/api/auth/keycloak/refresh?env=development`,
          {
            headers: { 'x-requested-with': 'XMLHttpRequest' },
            timeout: 30_000,
          },
        );
        return {
          status: res.status(),
          ms: Date.now() - started,
          body: await res.text(),
        };
      };
      await at.keycloak.set(mode);
      const failed = await refresh();
      withinTimeout(failed.ms);
      expect(failed.status).toBe(401);
      expect(failed.body).toContain(KEYCLOAK_UNAVAILABLE);
      // Signed-in people keep working with the token they have.
      expect(
        (
          await api(
            tokens.bob,
            `catalog/entities/by-name/component/default/payments-api`,
          )
        ).status,
      ).toBe(200);
      await expectUnaffected();

      await at.keycloak.set('up');
      const refreshed = await refresh();
      expect(refreshed.status).toBe(200);
      expect(
        JSON.parse(refreshed.body).backstageIdentity.identity.userEntityRef,
      ).toBe('user:default/bob');
    });
  }
});

test.describe('Keycloak org sync (admin API)', () => {
  for (const mode of ['hang', 'down'] as const) {
    test(`fails the sync within its timeout while Keycloak is ${mode}, keeps the org, and syncs once it is back`, async () => {
      const failures = await metric('portal_keycloak_sync_runs_total', {
        result: 'failure',
      });
      const mark = backend.output().length;
      await at.keycloakAdmin.set(mode);
      // A run takes at most its schedule timeout, then the next one starts.
      const log = await logged(mark, SYNC_ERROR, 30);
      if (mode === 'hang') expect(log).toMatch(/abort/i);
      expect(await entity(tokens.guest, 'user:default/user-00')).toBeTruthy();
      await expectUnaffected();
      expect(
        await metric('portal_keycloak_sync_runs_total', { result: 'failure' }),
      ).toBeGreaterThan(failures);

      const healed = backend.output().length;
      await at.keycloakAdmin.set('up');
      await logged(healed, 'Committed');
      expect(await entity(tokens.guest, 'user:default/user-00')).toBeTruthy();
    });
  }
});

const enc = encodeURIComponent;
const SELECTOR =
  'portal.platform/team=team-payments,portal.platform/service=payments-api';
const REVISION = ARGOCD_STAND_IN_APPLICATIONS[0].status.sync.revision;
/** Every route of the argocd backend plugin. */
const ARGOCD_ROUTES = [
  'find/name/developer-portal',
  'argoInstance/main/applications/name/developer-portal',
  `argoInstance/main/applications/name/developer-portal/revisions/${REVISION}/metadata`,
  `find/selector/${enc(SELECTOR)}`,
  `argoInstance/main/applications/selector/${enc(SELECTOR)}`,
  `entity-status?entityRef=${PORTAL}`,
];

test.describe('Argo CD', () => {
  for (const [mode, status, outcome, message] of [
    [
      'hang',
      504,
      'timeout',
      `Argo CD instance "main" did not answer within ${TIMEOUT_S} seconds`,
    ],
    ['down', 502, 'error', 'Argo CD instance "main" could not be reached'],
  ] as const) {
    test(`answers every route within the timeout while Argo CD is ${mode}, and reads it again once it is back`, async () => {
      const counted = await metric('portal_argocd_requests_total', { outcome });
      await at.argocd.set(mode as FaultMode);
      // Past the entity status cache's time to live (statusCacheTtl).
      await new Promise(resolve => setTimeout(resolve, 200));
      const answers = await Promise.all(
        ARGOCD_ROUTES.map(route => api(tokens.alice, `argocd/${route}`)),
      );
      for (const [i, answer] of answers.entries()) {
        withinTimeout(answer.ms);
        expect({ route: ARGOCD_ROUTES[i], status: answer.status }).toEqual({
          route: ARGOCD_ROUTES[i],
          status,
        });
        expect(answer.json().error.message).toBe(message);
        expect(answer.text).not.toContain(String(at.argocd.port));
      }
      await expectUnaffected();
      expect(
        await metric('portal_argocd_requests_total', { outcome }),
      ).toBeGreaterThanOrEqual(counted + ARGOCD_ROUTES.length);

      await at.argocd.set('up');
      const back = await api(
        tokens.alice,
        `argocd/entity-status?entityRef=${PORTAL}`,
      );
      expect(back.status).toBe(200);
      expect(back.json().applications.map((a: any) => a.name)).toEqual([
        'developer-portal',
      ]);
    });
  }
});

test.describe('Kubernetes API', () => {
  const workloads = () =>
    api(tokens.alice, 'kubernetes/resources/workloads/query', {
      method: 'POST',
      body: JSON.stringify({ entityRef: PORTAL }),
    });

  for (const [mode, outcome, message] of [
    [
      'hang',
      'timeout',
      `Cluster "stand-in" timed out: no answer within ${TIMEOUT_S} seconds`,
    ],
    ['down', 'error', 'Cluster "stand-in" could not be reached'],
  ] as const) {
    test(`says which cluster failed within the timeout while it is ${mode}, and reads it again once it is back`, async () => {
      const counted = await metric('portal_kubernetes_requests_total', {
        outcome,
      });
      await at.kubernetes.set(mode as FaultMode);
      const answer = await workloads();
      withinTimeout(answer.ms);
      expect(answer.status).toBe(200);
      expect(answer.json().items).toEqual([
        expect.objectContaining({
          cluster: { name: 'stand-in' },
          errors: [{ errorType: 'FETCH_ERROR', message }],
        }),
      ]);
      expect(answer.text).not.toContain(String(at.kubernetes.port));
      await expectUnaffected();
      expect(
        await metric('portal_kubernetes_requests_total', { outcome }),
      ).toBeGreaterThan(counted);

      await at.kubernetes.set('up');
      const back = await workloads();
      expect(back.json().items[0].errors).toEqual([]);
      expect(back.text).toContain('developer-portal-7d9c-a1');
    });
  }
});

test.describe('Git server', () => {
  test('keeps the GitOps catalog while Git is down or hangs, and reads it again once it is back', async () => {
    const failures = () =>
      metric('portal_gitops_provider_runs_total', { result: 'failure' });
    for (const mode of ['down', 'hang'] as const) {
      const before = await failures();
      const mark = backend.output().length;
      await at.git.set(mode);
      // A run fails within the Git timeout, and the next one is due soon.
      await waitFor(
        `a failed GitOps catalog run while Git is ${mode}`,
        async () => (await failures()) > before,
        { attempts: 60, intervalMs: 250 },
      );
      if (mode === 'hang') {
        expect(backend.output().slice(mark)).toContain(
          `git fetch failed: no answer within ${TIMEOUT_S} s`,
        );
      }
      expect((await entity(tokens.guest, SERVICE))?.metadata.description).toBe(
        'Takes card payments.',
      );
      // The GitOps card reads the portal's own records, not Git.
      const summary = await api(
        tokens.bob,
        `gitops/entity-summary?entityRef=${SERVICE}`,
      );
      expect(summary.status).toBe(200);
      expect(summary.ms).toBeLessThan(SLACK_MS);
      await expectUnaffected();
    }
    // A change the portal could not see while Git was out of its reach
    // reaches the catalog at the first run after Git is back.
    const file = 'services/team-payments/payments-api/catalog-info.yaml';
    const original = fs.readFileSync(path.join(dir, 'seed', file), 'utf8');
    await commitAndPush({
      repoUrl: standIns.git!.url('gitops.git'),
      branch: 'main',
      files: {
        [file]: original.replace('Takes card payments.', 'Takes cards.'),
      },
    });
    await at.git.set('up');
    await waitFor(
      'the change in the catalog',
      async () =>
        (await entity(tokens.guest, SERVICE))?.metadata.description ===
        'Takes cards.',
      { attempts: 120, intervalMs: 500 },
    );
  });

  test('fails a golden path cleanly while Git hangs, pushes nothing, and a re-run succeeds', async () => {
    await at.git.set('hang');
    const started = Date.now();
    const failed = (await runTask(
      backend.baseUrl,
      tokens.bob,
      'deploy-service',
      LEDGER,
    )) as TaskOutcome;
    expect(failed.status).toBe('failed');
    expect(failed.log.join('\n')).toContain(`no answer within ${TIMEOUT_S} s`);
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(await branchTip(bare, LEDGER_BRANCH)).toBeUndefined();
    await expectUnaffected();

    await at.git.set('up');
    const rerun = (await runTask(
      backend.baseUrl,
      tokens.bob,
      'deploy-service',
      LEDGER,
    )) as TaskOutcome;
    expect(rerun.status).toBe('completed');
    expect(await branchTip(bare, LEDGER_BRANCH)).toMatch(/^[0-9a-f]{40}$/);
  });

  test('follows the change request again once Git is back', async () => {
    const state = async () => {
      const list = await api(tokens.bob, 'gitops/change-requests?scope=mine');
      return list.json().items.find((r: any) => r.branch === LEDGER_BRANCH)
        ?.state;
    };
    expect(await state()).toBe('open');
    await at.git.set('down');
    const mark = backend.output().length;
    await mergeBranch(bare, LEDGER_BRANCH);
    await logged(mark, `Could not follow change request`);
    expect(await state()).toBe('open');

    await at.git.set('up');
    await waitFor(
      'the merge seen by the portal',
      async () => (await state()) === 'merged',
      {
        attempts: 60,
        intervalMs: 500,
      },
    );
    // And the catalog provider reads the merged service.
    await waitFor(
      'the merged service in the catalog',
      async () =>
        Boolean(await entity(tokens.guest, 'component:default/ledger')),
      { attempts: 60, intervalMs: 500 },
    );
  });
});

/** Signs in to the app with the local guest sign-in (a platform admin). */
async function openApp(browser: Browser, route: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${backend.baseUrl}${route}`);
  await page.getByRole('button', { name: 'Enter' }).click();
  return page;
}

test.describe('The entity page in Chromium', () => {
  test('renders with Argo CD hanging and the Kubernetes API down, and shows data after they return', async ({
    browser,
  }) => {
    await at.argocd.set('hang');
    await at.kubernetes.set('down');
    const page = await openApp(
      browser,
      '/catalog/default/component/payments-api',
    );
    await expect(
      page.getByRole('heading', { name: 'payments-api' }).first(),
    ).toBeVisible();
    await expect(page.getByText('About').first()).toBeVisible();
    // The portal's GitOps card: its own records, and Argo CD's failure.
    await expect(
      page.getByText('Folder in the GitOps repository'),
    ).toBeVisible();
    await expect(
      page.getByText(
        `Argo CD unavailable: Argo CD instance "main" did not answer within ${TIMEOUT_S} seconds`,
      ),
    ).toBeVisible({ timeout: 15_000 });
    // Roadie's Argo CD card says it in its own words.
    await expect(
      page.getByText('Error occurred while fetching data'),
    ).toBeVisible({ timeout: 15_000 });
    await page.screenshot({
      path: path.join(dir, 'degraded-entity.png'),
      fullPage: true,
    });

    await page.goto(
      `${backend.baseUrl}/catalog/default/component/portal-backend/kubernetes`,
    );
    const problem = page.getByText(
      'There was a problem retrieving Kubernetes objects',
    );
    await expect(problem).toBeVisible({ timeout: 15_000 });
    await problem.click();
    await expect(
      page.getByText('Cluster "stand-in" could not be reached').first(),
    ).toBeVisible();
    await page.screenshot({
      path: path.join(dir, 'degraded-kubernetes.png'),
      fullPage: true,
    });

    await at.argocd.set('up');
    await at.kubernetes.set('up');
    await page.reload();
    await expect(page.getByText('2 pods').first()).toBeVisible({
      timeout: 15_000,
    });
    await page.goto(
      `${backend.baseUrl}/catalog/default/component/payments-api`,
    );
    await expect(page.getByText('OutOfSync').first()).toBeVisible({
      timeout: 15_000,
    });
    await expect(
      page.getByText('Error occurred while fetching data'),
    ).toHaveCount(0);
    await page.screenshot({
      path: path.join(dir, 'recovered-entity.png'),
      fullPage: true,
    });
    await page.close();
  });
});
