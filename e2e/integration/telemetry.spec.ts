import { Browser, expect, test } from '@playwright/test';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  BackendProcess,
  buildBundle,
  BuiltBundle,
  configVariables,
  freePort,
  imageNodeOptions,
  PostgresCluster,
  productionVariables,
  repoRoot,
  scratchDir,
  spawnBundle,
  startPostgres,
  waitFor,
  waitUntilReady,
  writableDirs,
  writeConfig,
} from '@internal/test-harness';
import {
  GiteaStandIn,
  keycloakOrgUsers,
  KeycloakAdminStandIn,
  keycloakRedirectUri,
  IssuerUsername,
  OidcIssuer,
  OtlpReceiver,
  ReceivedSpan,
  StandIn,
  startArgoCdStandIn,
  startGiteaStandIn,
  startKeycloakAdminStandIn,
  startKubernetesStandIn,
  startOidcIssuer,
  startOtlpReceiver,
} from '@internal/stand-ins';
import {
  chartDir,
  chartMetrics,
  portalContainer,
  render,
  seriesNames,
} from '../support/chart';
import { popupSignIn } from '../support/oidcSignIn';
import { analyze } from '../support/promql';
import { runTask, TaskOutcome } from '../support/tasks';

/**
 * Metrics and traces of the production bundle, started as the image starts
 * it (the Dockerfile's CMD, with the OpenTelemetry instrumentation file),
 * against real PostgreSQL 15, the loopback OIDC issuer, and stand-ins of
 * Keycloak's admin API, Kubernetes, Argo CD, the Git forge (GitOps and
 * templates repository) and an OpenTelemetry collector (OTLP/HTTP). Traffic
 * of every kind runs first: sign-ins, catalog reads, a permission denial,
 * Argo CD and Kubernetes views, and two golden-path change requests, one
 * merged and one closed. Then the metrics port is scraped, and the spans
 * the collector received are read.
 */
test.describe.configure({ mode: 'serial' });

const LABEL = 'telemetry';
/** productionVariables(..., LABEL) sets this Git password; the forge stand-in takes it. */
const GIT_PASSWORD = `${LABEL}-gitops-password`;
const TEMPLATE = 'template:default/deploy-service';
const REALM_GROUPS = [
  '/engineering',
  '/engineering/platform-team',
  '/engineering/team-search',
  '/team-payments',
];
const SERVICE = {
  team: 'group:default/team-payments',
  name: 'ledger',
  description: 'Keeps the books.',
  // The one registry app-config.production.yaml allows.
  image:
    'image-registry.openshift-image-registry.svc:5000/team-payments/ledger',
  tag: '1.0.0',
  port: 8080,
  healthPath: '/healthz',
  size: 'S',
  replicas: 2,
  autoscaling: false,
  maxReplicas: 5,
};
const branchOf = (name: string) =>
  `portal/deploy-service/team-payments/${name}`;

let bundle: BuiltBundle;
let dir: string;
let postgres: PostgresCluster;
let issuer: OidcIssuer;
let keycloak: KeycloakAdminStandIn;
let kubernetes: StandIn;
let argocd: StandIn;
let forge: GiteaStandIn;
let collector: OtlpReceiver;
let env: NodeJS.ProcessEnv;
let metricsPort: number;
let backend: BackendProcess | undefined;
const tokens = {} as Record<'alice' | 'bob' | 'erin', string>;

/** The GitOps repository with team-payments onboarded, and the templates beside it. */
function repositorySeed(): string {
  const seed = path.join(dir, 'repository');
  fs.cpSync(path.join(repoRoot, 'gitops'), seed, { recursive: true });
  fs.cpSync(
    path.join(
      repoRoot,
      'templates/onboard-team/fixtures/team-payments/expected',
    ),
    seed,
    { recursive: true },
  );
  fs.cpSync(path.join(repoRoot, 'templates'), path.join(seed, 'templates'), {
    recursive: true,
    verbatimSymlinks: true,
  });
  return seed;
}

/** What the chart sets from the environment, pointed at the stand-ins. */
function bundleEnvironment(port: number): NodeJS.ProcessEnv {
  const known = productionVariables(
    {
      baseUrl: `http://127.0.0.1:${port}`,
      postgres,
      issuer,
      keycloak,
      kubernetes,
      argocd,
      writable: writableDirs(dir),
    },
    LABEL,
  );
  const placeholders = Object.fromEntries(
    configVariables(path.join(bundle.appDir, 'app-config.production.yaml'))
      .filter(name => !(name in known))
      .map(name => [name, /_URL$/.test(name) ? 'http://127.0.0.1:1' : name]),
  );
  return {
    ...placeholders,
    ...known,
    GITOPS_REPO_URL: forge.repoUrl,
    GITOPS_GIT_HOST: forge.host,
    TEMPLATES_LOCATION_URL: forge.fileUrl('templates/catalog-info.yaml'),
    // The image's metrics port, on loopback and a free port here.
    OTEL_METRICS_EXPORTER: 'prometheus',
    OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
    OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
    // Traces on, with the standard variables only, to the collector.
    OTEL_TRACES_EXPORTER: 'otlp',
    OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint,
    OTEL_BSP_SCHEDULE_DELAY: '500',
  };
}

test.beforeAll(async () => {
  test.setTimeout(40 * 60_000);
  bundle = buildBundle();
  dir = scratchDir('telemetry');
  postgres = await startPostgres(dir);
  const port = await freePort();
  metricsPort = await freePort();
  issuer = await startOidcIssuer({
    redirectUris: [keycloakRedirectUri(`http://127.0.0.1:${port}`)],
  });
  keycloak = await startKeycloakAdminStandIn({
    org: { listed: { users: keycloakOrgUsers(), groups: REALM_GROUPS } },
  });
  kubernetes = await startKubernetesStandIn();
  argocd = await startArgoCdStandIn();
  forge = await startGiteaStandIn({
    project: 'platform/gitops',
    seedDir: repositorySeed(),
    token: GIT_PASSWORD,
  });
  collector = await startOtlpReceiver();
  env = bundleEnvironment(port);
  const overlay = writeConfig(dir, 'telemetry.json', {
    backend: { listen: { port, host: '127.0.0.1' } },
    gitops: { changeRequests: { pollInterval: { seconds: 2 } } },
    // The production entry with the stand-in's plain-HTTP address: without
    // `baseUrl`, Gitea's integration assumes https://<host>.
    integrations: {
      gitea: [{ host: forge.host, baseUrl: forge.url, password: GIT_PASSWORD }],
    },
  });
  backend = spawnBundle({
    appDir: bundle.appDir,
    port,
    configFiles: ['app-config.yaml', 'app-config.production.yaml', overlay],
    env,
  });
  await waitUntilReady(backend);
});

test.afterEach(async ({}, testInfo) => {
  if (testInfo.status !== testInfo.expectedStatus && backend) {
    await testInfo.attach('backend output', {
      body: backend.output().slice(-20_000),
      contentType: 'text/plain',
    });
  }
});

test.afterAll(async () => {
  await backend?.stop();
  if (backend && dir) {
    fs.writeFileSync(path.join(dir, 'backend.log'), backend.output());
  }
  await issuer?.close();
  await keycloak?.close();
  await kubernetes?.close();
  await argocd?.close();
  await forge?.close();
  await collector?.close();
  postgres?.destroy();
});

async function api(
  who: keyof typeof tokens,
  route: string,
  init: RequestInit = {},
): Promise<Response> {
  return fetch(`${backend!.baseUrl}/api/${route}`, {
    ...init,
    headers: {
      authorization: `Bearer ${tokens[who]}`,
      'content-type': 'application/json',
      ...init.headers,
    },
  });
}

/** Signs in through the issuer as the app does; waits for Keycloak's groups to be resolved. */
async function signIn(browser: Browser, username: IssuerUsername) {
  let token = '';
  await waitFor(
    `${username}'s sign-in with resolved memberships`,
    async () => {
      const { message, context } = await popupSignIn(
        browser,
        backend!.baseUrl,
        username,
        'production',
      );
      await context.close();
      const identity = message.response?.backstageIdentity;
      token = identity?.token ?? '';
      return (
        username === 'erin' ||
        (identity?.identity.ownershipEntityRefs ?? []).some(ref =>
          ref.startsWith('group:'),
        )
      );
    },
    { attempts: 60, intervalMs: 1000 },
  );
  return token;
}

function completed(outcome: Awaited<ReturnType<typeof runTask>>): TaskOutcome {
  expect('status' in outcome && outcome.status, JSON.stringify(outcome)).toBe(
    'completed',
  );
  return outcome as TaskOutcome;
}

/** Waits until bob's change request on the branch is in `state`. */
async function changeRequestState(branch: string, state: string) {
  await waitFor(
    `${branch} ${state}`,
    async () => {
      const list = await (
        await api('bob', 'gitops/change-requests?scope=mine')
      ).json();
      return list.items?.some(
        (r: { branch: string; state: string }) =>
          r.branch === branch && r.state === state,
      );
    },
    { attempts: 120, intervalMs: 500 },
  );
}

/** Reads, and denials: a developer registering a location, a person without a role starting a task. */
async function catalogReadsAndDenials() {
  for (const who of ['alice', 'bob'] as const) {
    const read = await api(who, 'catalog/entities/by-query?limit=20');
    expect(read.status, who).toBe(200);
  }
  const location = await api('bob', 'catalog/locations', {
    method: 'POST',
    body: JSON.stringify({
      type: 'url',
      target: 'https://git.example.com/catalog-info.yaml',
    }),
  });
  expect(location.status).toBe(403);
  const task = await runTask(
    backend!.baseUrl,
    tokens.erin,
    'deploy-service',
    SERVICE,
  );
  expect(task).toMatchObject({ refused: 403 });
}

/** The read-only views: Argo CD and Kubernetes through their plugins. */
async function views() {
  const status = await api(
    'alice',
    'argocd/entity-status?entityRef=component:default/portal-backend',
  );
  expect(status.status, await status.clone().text()).toBe(200);
  const workloads = await api('alice', 'kubernetes/resources/workloads/query', {
    method: 'POST',
    body: JSON.stringify({ entityRef: 'component:default/portal-backend' }),
  });
  expect(workloads.status, await workloads.clone().text()).toBe(200);
}

/** Waits for the templates the catalog reads from the forge; names the reason if they do not come. */
async function templatesInCatalog() {
  await waitFor('the templates in the catalog', async () =>
    postgres
      .query(
        'backstage_plugin_catalog',
        `SELECT entity_ref FROM refresh_state WHERE entity_ref = '${TEMPLATE}'`,
      )
      .includes(TEMPLATE),
  ).catch(error => {
    const locations = postgres.query(
      'backstage_plugin_catalog',
      "SELECT entity_ref || ': ' || coalesce(errors, '') FROM refresh_state WHERE entity_ref LIKE 'location:%'",
    );
    throw new Error(`${error.message}\n${locations.join('\n')}`);
  });
}

/** Two change requests of bob's team: one merged, one closed unmerged. */
async function changeRequests() {
  await templatesInCatalog();
  for (const name of ['ledger', 'journal']) {
    completed(
      await runTask(backend!.baseUrl, tokens.bob, 'deploy-service', {
        ...SERVICE,
        name,
      }),
    );
    await changeRequestState(branchOf(name), 'open');
  }
  await forge.repository.merge(branchOf('ledger'), 'main', true);
  await forge.repository.deleteBranch(branchOf('journal'));
  await changeRequestState(branchOf('ledger'), 'merged');
  await changeRequestState(branchOf('journal'), 'closed');
}

test('serves people, the catalog, the views and golden paths (the traffic the metrics count)', async ({
  browser,
}) => {
  test.setTimeout(10 * 60_000);
  // Nobody signs in before Keycloak's users are in the catalog.
  await waitFor(
    'the Keycloak org in the catalog',
    async () =>
      postgres
        .query(
          'backstage_plugin_catalog',
          "SELECT entity_ref FROM refresh_state WHERE entity_ref = 'user:default/bob'",
        )
        .includes('user:default/bob'),
    { attempts: 240, intervalMs: 500 },
  );
  tokens.alice = await signIn(browser, 'alice');
  tokens.bob = await signIn(browser, 'bob');
  tokens.erin = await signIn(browser, 'erin');
  await catalogReadsAndDenials();
  await views();
  await changeRequests();
});

// ---------------------------------------------------------------------------
// The scrape

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Prometheus's text format, samples only. */
function parseScrape(text: string): Sample[] {
  return text
    .split('\n')
    .filter(line => line && !line.startsWith('#'))
    .map(line => {
      const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
      if (!match) throw new Error(`not a sample: ${line}`);
      const labels: Record<string, string> = {};
      for (const [, key, value] of (match[2] ?? '').matchAll(
        /(\w+)="((?:[^"\\]|\\.)*)"/g,
      )) {
        labels[key] = JSON.parse(`"${value}"`);
      }
      return { name: match[1], labels, value: Number(match[3]) };
    });
}

let scrapeText = '';
let samples: Sample[] = [];

async function scrape() {
  const res = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
  expect(res.status).toBe(200);
  scrapeText = await res.text();
  samples = parseScrape(scrapeText);
}

/** Samples of a series, optionally with some label values. */
function series(name: string, labels: Record<string, string> = {}) {
  return samples.filter(
    s =>
      s.name === name &&
      Object.entries(labels).every(([key, value]) => s.labels[key] === value),
  );
}

/** The sum of a series' samples with those labels. */
function total(name: string, labels: Record<string, string> = {}) {
  return series(name, labels).reduce((sum, s) => sum + s.value, 0);
}

test('counts the traffic: the change-request transitions and a Keycloak sync are in', async () => {
  await waitFor(
    'every counter of the traffic',
    async () => {
      await scrape();
      return (
        total('portal_change_requests_closed_total') > 0 &&
        total('portal_keycloak_sync_runs_total') > 0
      );
    },
    { attempts: 60, intervalMs: 1000 },
  );
});

test("serves the permission policy's decisions and their time, by result and deciding role", () => {
  for (const name of [
    'portal_permission_decisions_total',
    'portal_permission_decision_duration_count',
  ]) {
    expect(
      total(name, { result: 'ALLOW', role: 'platform-admin' }),
    ).toBeGreaterThan(0);
    expect(
      total(name, { result: 'CONDITIONAL', role: 'developer' }),
    ).toBeGreaterThan(0);
    expect(total(name, { result: 'DENY', role: 'none' })).toBeGreaterThan(0);
  }
  expect(
    series('portal_permission_decision_duration_bucket', { le: '+Inf' }).length,
  ).toBeGreaterThan(0);
  expect(total('portal_permission_decision_duration_sum')).toBeGreaterThan(0);
});

test('serves every used plugin pool, sized as the production config says, and readiness', () => {
  for (const name of ['used', 'pending', 'max']) {
    expect(
      series(`portal_database_pool_connections_${name}`, { plugin: 'catalog' }),
      name,
    ).toHaveLength(1);
  }
  expect(
    total('portal_database_pool_connections_max', { plugin: 'catalog' }),
  ).toBe(10);
  for (const plugin of ['auth', 'scaffolder', 'gitops']) {
    expect(
      series('portal_database_pool_connections_max', { plugin }),
      plugin,
    ).toHaveLength(1);
  }
  expect(series('portal_readiness')).toEqual([
    expect.objectContaining({ value: 1 }),
  ]);
});

test('serves the catalog syncs, the golden paths and the views as they happened', () => {
  // Broken entities: a number, whatever it is.
  expect(series('portal_catalog_processing_errors')).toHaveLength(1);
  for (const name of [
    'portal_gitops_provider_runs_total',
    'portal_gitops_provider_run_duration_count',
    'portal_keycloak_sync_runs_total',
  ]) {
    expect(total(name, { result: 'success' }), name).toBeGreaterThan(0);
  }
  const changes = (state: string) =>
    total(`portal_change_requests_${state}_total`, { template: TEMPLATE });
  expect([changes('opened'), changes('merged'), changes('closed')]).toEqual([
    2, 1, 1,
  ]);
  for (const system of ['argocd', 'kubernetes']) {
    expect(
      total(`portal_${system}_requests_total`, { outcome: 'ok' }),
      system,
    ).toBeGreaterThan(0);
    expect(
      total(`portal_${system}_request_duration_count`, { outcome: 'ok' }),
    ).toBeGreaterThan(0);
  }
});

test("keeps Backstage's own metrics: catalog, scaffolder, scheduler, HTTP", () => {
  expect(total('catalog_entities_count')).toBeGreaterThan(0);
  expect(total('catalog_processed_entities_count_total')).toBeGreaterThan(0);
  expect(
    total('scaffolder_task_count_total', { template: TEMPLATE, result: 'ok' }),
  ).toBe(2);
  expect(
    total('backend_tasks_task_runs_count_total', {
      taskId: 'KeycloakOrgEntityProvider:production:refresh',
      result: 'completed',
    }),
  ).toBeGreaterThan(0);
  expect(total('http_server_request_duration_count')).toBeGreaterThan(0);
});

test('puts no secret, token or person into the metrics', () => {
  const secrets = Object.entries(env)
    .filter(([name]) => /SECRET|PASSWORD|TOKEN/.test(name))
    .map(([, value]) => value!);
  expect(secrets.length).toBeGreaterThan(5);
  for (const secret of [...secrets, ...Object.values(tokens)]) {
    expect(scrapeText).not.toContain(secret);
  }
  expect(scrapeText).not.toMatch(/user:default\//);
  expect(scrapeText).not.toContain('@example.com');
  // Resource attributes come from the environment and the host only: no
  // command line, no config paths.
  expect(scrapeText).not.toContain('--config');
});

test('serves metrics on their own port only: not on the public port, not beyond loopback here', async () => {
  const publicPort = await fetch(`${backend!.baseUrl}/metrics`);
  const body = await publicPort.text();
  expect(body).not.toContain('# TYPE');
  expect(body).not.toContain('portal_');
  const external = Object.values(os.networkInterfaces())
    .flat()
    .find(address => address && address.family === 'IPv4' && !address.internal);
  test.skip(!external, 'no address beyond loopback on this machine');
  const reached = await fetch(
    `http://${external!.address}:${metricsPort}/metrics`,
  )
    .then(() => true)
    .catch(() => false);
  expect(reached).toBe(false);
});

// ---------------------------------------------------------------------------
// Traces

/** Waits until the collector has spans that satisfy `found`. */
async function spansUntil(
  what: string,
  found: (spans: ReceivedSpan[]) => boolean,
) {
  await waitFor(what, async () => found(collector.spans), {
    attempts: 60,
    intervalMs: 500,
  });
  return collector.spans;
}

test('traces one request across the catalog and permission plugins', async () => {
  // A request that carries its own trace context, so its trace is known.
  const traceId = crypto.randomBytes(16).toString('hex');
  const res = await api('bob', 'catalog/entities/by-query?limit=5', {
    headers: {
      traceparent: `00-${traceId}-${crypto.randomBytes(8).toString('hex')}-01`,
    },
  });
  expect(res.status).toBe(200);
  const trace = () => collector.spans.filter(s => s.traceId === traceId);
  await spansUntil('the trace of the catalog read', () =>
    trace().some(s => s.name === 'portal.permission.decide'),
  );
  const server = trace().filter(s => s.kind === 2);
  expect(server.map(s => s.attributes['url.path'])).toEqual(
    expect.arrayContaining([
      '/api/catalog/entities/by-query',
      '/api/permission/authorize',
    ]),
  );
  const decision = trace().find(s => s.name === 'portal.permission.decide')!;
  expect(decision.scope).toBe('backstage-plugin-permission');
  expect(decision.attributes).toMatchObject({
    'portal.permission.name': 'catalog.entity.read',
    'portal.permission.result': 'CONDITIONAL',
    'portal.permission.role': 'developer',
  });
  // The catalog's call to the permission plugin, in the same trace.
  expect(
    trace().some(
      s =>
        s.kind === 3 &&
        String(s.attributes['url.full']).includes('/api/permission/authorize'),
    ),
  ).toBe(true);
});

test("traces the portal's own work and its calls to every neighbour", () => {
  const spans = collector.spans;
  const names = new Set(spans.map(s => s.name));
  for (const name of [
    'portal.gitops.provider.run',
    'git fetch',
    'git push',
    'scaffolder.action gitops:repo:fetch',
    'scaffolder.action gitops:change:publish',
  ]) {
    expect(names, name).toContain(name);
  }
  const clientPorts = new Set(
    spans
      .filter(s => s.kind === 3)
      .map(s => Number(s.attributes['server.port'])),
  );
  for (const [name, url] of [
    ['Argo CD', argocd.url],
    ['Kubernetes', kubernetes.url],
    ['Keycloak', keycloak.baseUrl],
    ['the forge (templates)', forge.url],
  ]) {
    expect(clientPorts.has(Number(new URL(url).port)), name).toBe(true);
  }
});

test('puts no secret, token or sign-in code into a span', () => {
  const recorded = JSON.stringify(
    collector.spans.map(s => ({
      name: s.name,
      attributes: s.attributes,
      status: s.status,
    })),
  );
  const secrets = Object.entries(env)
    .filter(([name]) => /SECRET|PASSWORD|TOKEN/.test(name))
    .map(([, value]) => value!);
  for (const secret of [...secrets, ...Object.values(tokens)]) {
    expect(recorded).not.toContain(secret);
  }
  // The sign-in callbacks were traced, with their code and state hidden.
  const callbacks = collector.spans.filter(s =>
    String(s.attributes['url.path'] ?? '').endsWith('/handler/frame'),
  );
  expect(callbacks.length).toBeGreaterThan(0);
  for (const span of callbacks) {
    expect(span.attributes['url.query']).toMatch(/code=REDACTED/);
    expect(span.attributes['url.query']).not.toMatch(/code=(?!REDACTED)/);
  }
});

// ---------------------------------------------------------------------------
// The chart's alerts and dashboard against the real scrape

test('serves every metric the chart declares and its alert rules query', async () => {
  await scrape();
  const served = new Set(samples.map(s => s.name));
  const missing: string[] = [];
  for (const metric of chartMetrics()) {
    for (const name of seriesNames(metric)) {
      if (!served.has(name)) missing.push(name);
    }
  }
  expect(missing).toEqual([]);
  // Every label a query uses is on the served series.
  for (const metric of chartMetrics()) {
    const [sample] = series(seriesNames(metric).slice(-1)[0]);
    for (const label of Object.keys(metric.labels)) {
      expect(sample.labels, `${metric.name} ${label}`).toHaveProperty(label);
    }
  }

  // The alert rules as the chart renders them, whatever they are: the
  // monitoring scenario, with the PrometheusRule the chart has a template of.
  const scenario = path.join(chartDir, 'ci', 'monitoring-values.yaml');
  const objects = await render(fs.existsSync(scenario) ? [scenario] : []);
  const rules = objects
    .filter(o => o.kind === 'PrometheusRule')
    .flatMap(o => o.spec.groups.flatMap((g: { rules: object[] }) => g.rules));
  if (fs.existsSync(path.join(chartDir, 'templates/prometheusrule.yaml'))) {
    expect(rules.length).toBeGreaterThan(0);
  }
  const queried = new Set(
    rules.flatMap((rule: { expr: string }) =>
      analyze(String(rule.expr)).selectors.map(s => s.series),
    ),
  );
  expect([...queried].filter(name => !served.has(name))).toEqual([]);
});

test("the chart's container loads the instrumentation as the image's CMD does", async () => {
  const objects = await render([]);
  const container = portalContainer(objects);
  const started = [...(container.command ?? []), ...(container.args ?? [])];
  const entry = started.indexOf('packages/backend');
  expect(entry, JSON.stringify(started)).toBeGreaterThan(0);
  expect(started.slice(1, entry)).toEqual(imageNodeOptions());
});
