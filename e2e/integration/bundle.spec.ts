import { Browser, expect, test } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import {
  BackendProcess,
  waitUntilReady,
  buildBundle,
  BuiltBundle,
  configVariables,
  productionVariables,
  spawnBundle,
  writableDirs,
  repoRoot,
  scratchDir,
  writeConfig,
  answers,
  freePort,
  waitFor,
  PostgresCluster,
  startPostgres,
} from '@internal/test-harness';
import {
  KeycloakAdminStandIn,
  startKeycloakAdminStandIn,
  ISSUER_ACCOUNTS,
  keycloakOrgUsers,
  IssuerUsername,
  keycloakRedirectUri,
  OidcIssuer,
  startOidcIssuer,
  GiteaStandIn,
  StandIn,
  startArgoCdStandIn,
  startGiteaStandIn,
  startKubernetesStandIn,
} from '@internal/stand-ins';
import { popupSignIn } from '../support/oidcSignIn';

/**
 * The production bundle, built by scripts/build-bundle.sh exactly as the
 * Dockerfile builds it, started as the image starts it (`node
 * packages/backend` with app-config.yaml and app-config.production.yaml,
 * NODE_ENV=production, as uid 1001 in group 0 with the bundle read-only to
 * it) against a real PostgreSQL 15, the loopback OIDC issuer and a Keycloak
 * admin API stand-in. The only config besides the image's is the listen
 * address, since production listens on 0.0.0.0:7007, and the plain-HTTP
 * address of the Gitea stand-in the templates are read from.
 */
test.describe.configure({ mode: 'serial' });

// productionVariables(..., 'bundle') sets these.
const CI_TOKEN = 'bundle-ci-token';
const SESSION_SECRET = 'bundle-session-secret';
const GIT_PASSWORD = 'bundle-gitops-password';
/** Keycloak realm groups, named as catalog/org.yaml and the policy file expect. */
const REALM_GROUPS = [
  '/engineering',
  '/engineering/platform-team',
  '/engineering/team-search',
  '/team-payments',
];

/** A figure worth keeping: in the report's annotations and on the console. */
function note(type: string, description: string) {
  test.info().annotations.push({ type, description });
  // eslint-disable-next-line no-console
  console.log(`bundle: ${type}: ${description}`);
}

let bundle: BuiltBundle;
let dir: string;
let postgres: PostgresCluster;
let issuer: OidcIssuer;
let keycloak: KeycloakAdminStandIn;
let kubernetes: StandIn;
let argocd: StandIn;
/** The platform team's repository with the golden-path templates. */
let templates: GiteaStandIn;
let port: number;
let env: NodeJS.ProcessEnv;
let configFiles: string[];
let backend: BackendProcess | undefined;
/** Set once the process has exited, whatever the reason. */
let exitCode: number | null | undefined;

/**
 * What app-config.production.yaml reads from the environment, set the way
 * the Helm chart sets it, pointed at the loopback services. A variable added
 * to the file later gets a placeholder (a closed port for addresses) so the
 * bundle still starts; the test names it in its annotations.
 */
function productionEnv(unknown: string[]): NodeJS.ProcessEnv {
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
    'bundle',
  );
  // The templates come from Git, not the image: from the stand-in, which is
  // the Gitea host the production config's gitea integration reads with.
  known.TEMPLATES_LOCATION_URL = templates.fileUrl(
    'templates/catalog-info.yaml',
  );
  known.GITOPS_GIT_HOST = templates.host;
  const placeholders: Record<string, string> = {};
  for (const name of unknown) {
    placeholders[name] = /_URL$/.test(name)
      ? 'http://127.0.0.1:1'
      : /_PORT$/.test(name)
      ? '1'
      : `bundle-${name.toLowerCase()}`;
  }
  return { ...placeholders, ...known };
}

const KNOWN_VARIABLES = new Set([
  'APP_BASE_URL',
  'BACKEND_BASE_URL',
  'POSTGRES_HOST',
  'POSTGRES_PORT',
  'POSTGRES_USER',
  'POSTGRES_PASSWORD',
  'AUTH_SESSION_SECRET',
  'KEYCLOAK_METADATA_URL',
  'KEYCLOAK_CLIENT_ID',
  'KEYCLOAK_CLIENT_SECRET',
  'KEYCLOAK_BASE_URL',
  'KEYCLOAK_REALM',
  'KEYCLOAK_ORG_CLIENT_ID',
  'KEYCLOAK_ORG_CLIENT_SECRET',
  'K8S_CLUSTER_NAME',
  'K8S_CLUSTER_URL',
  'K8S_SA_TOKEN',
  'ARGOCD_URL',
  'ARGOCD_AUTH_TOKEN',
  'CI_EXTERNAL_ACCESS_TOKEN',
  'GITOPS_REPO_URL',
  'GITOPS_GIT_HOST',
  'GITOPS_GIT_USERNAME',
  'GITOPS_GIT_PASSWORD',
  'TEMPLATES_LOCATION_URL',
]);

test.beforeAll(async () => {
  // A fresh build takes minutes (install, type check, frontend and backend
  // builds, production install); later runs reuse it.
  test.setTimeout(40 * 60_000);
  bundle = buildBundle();
  note(
    'bundle build',
    bundle.reused
      ? `reused ${bundle.appDir}`
      : `${bundle.seconds}s into ${bundle.appDir}`,
  );

  dir = scratchDir('bundle');
  postgres = await startPostgres(dir);
  port = await freePort();
  issuer = await startOidcIssuer({
    redirectUris: [keycloakRedirectUri(`http://127.0.0.1:${port}`)],
  });
  keycloak = await startKeycloakAdminStandIn({
    org: { listed: { users: keycloakOrgUsers(), groups: REALM_GROUPS } },
  });
  kubernetes = await startKubernetesStandIn();
  argocd = await startArgoCdStandIn();
  const seed = path.join(dir, 'templates-repository');
  fs.cpSync(path.join(repoRoot, 'templates'), path.join(seed, 'templates'), {
    recursive: true,
    verbatimSymlinks: true,
  });
  templates = await startGiteaStandIn({
    project: 'platform/developer-portal',
    seedDir: seed,
    token: GIT_PASSWORD,
  });

  const productionConfig = path.join(
    bundle.appDir,
    'app-config.production.yaml',
  );
  const unknown = configVariables(productionConfig).filter(
    name => !KNOWN_VARIABLES.has(name),
  );
  if (unknown.length > 0) {
    note('placeholder variables', unknown.join(', '));
  }
  env = productionEnv(unknown);
  configFiles = [
    'app-config.yaml',
    'app-config.production.yaml',
    writeConfig(dir, 'listen.json', {
      backend: { listen: { port, host: '127.0.0.1' } },
      // The stand-in speaks plain HTTP; a real Gitea host is read over
      // HTTPS, the integration's default for GITOPS_GIT_HOST.
      integrations: {
        gitea: [
          {
            host: templates.host,
            baseUrl: templates.url,
            password: GIT_PASSWORD,
          },
        ],
      },
    }),
  ];

  const started = Date.now();
  backend = spawnBundle({ appDir: bundle.appDir, port, configFiles, env });
  backend.exited.then(code => (exitCode = code));
  await waitUntilReady(backend);
  note('cold start to ready', `${Date.now() - started}ms`);
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
  // Everything started here is stopped here, whichever step failed.
  await backend?.stop();
  if (backend && dir) {
    fs.writeFileSync(path.join(dir, 'backend.log'), backend.output());
  }
  await issuer?.close();
  await keycloak?.close();
  await kubernetes?.close();
  await argocd?.close();
  await templates?.close();
  postgres?.destroy();
});

async function catalogNames(token: string, kind: string): Promise<string[]> {
  const res = await fetch(
    `${
      backend!.baseUrl
    }/api/catalog/entities/by-query?filter=kind=${kind}&fields=metadata.name&limit=500`,
    { headers: { authorization: `Bearer ${token}` } },
  );
  expect(res.status, `catalog query for ${kind}`).toBe(200);
  const body = await res.json();
  return body.items
    .map((e: { metadata: { name: string } }) => e.metadata.name)
    .sort();
}

/** The popup sign-in the app performs, in Chromium, through the loopback issuer. */
async function signIn(browser: Browser, username: IssuerUsername) {
  const { message, context } = await popupSignIn(
    browser,
    backend!.baseUrl,
    username,
    'production',
  );
  await context.close();
  return message;
}

let aliceToken: string;
const LOCATION_TARGET =
  'https://gitops.example.com/developer-portal/catalog-info.yaml';
let taskId: string;
let locationId: string;

/** Files matching `pattern` (relative, `*` within one path segment) below `root`. */
function expand(root: string, pattern: string): string[] {
  let found = [root];
  for (const segment of path.normalize(pattern).split('/')) {
    if (segment === '.' || segment === '') continue;
    const re = new RegExp(
      `^${segment
        .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '[^/]*')}$`,
    );
    found = found.flatMap(dir =>
      segment.includes('*')
        ? fs.existsSync(dir) && fs.statSync(dir).isDirectory()
          ? fs
              .readdirSync(dir)
              .filter(name => re.test(name))
              .map(name => path.join(dir, name))
          : []
        : [path.join(dir, segment)].filter(file => fs.existsSync(file)),
    );
  }
  return found;
}

test('holds every file the production config points at', () => {
  // Relative paths in the config resolve against /app, where the image
  // starts the backend.
  const production = yaml.parse(
    fs.readFileSync(
      path.join(bundle.appDir, 'app-config.production.yaml'),
      'utf8',
    ),
  );
  const files: string[] = [];
  for (const location of production.catalog?.locations ?? []) {
    if (location.type === 'file') files.push(location.target);
  }
  if (production.permission?.portalPolicy?.policyFile) {
    files.push(production.permission.portalPolicy.policyFile);
  }
  expect(files).toContain('./permission-policy.yaml');
  for (const file of files) {
    expect(expand(bundle.appDir, file), file).not.toEqual([]);
  }
  // TechDocs of the portal's own entities (backstage.io/techdocs-ref: dir:.).
  expect(fs.existsSync(path.join(bundle.appDir, 'mkdocs.yml'))).toBe(true);
  expect(fs.existsSync(path.join(bundle.appDir, 'docs/index.md'))).toBe(true);
  // The golden-path templates are read from Git, not from the image.
  expect(fs.existsSync(path.join(bundle.appDir, 'templates'))).toBe(false);
});

test('serves the built frontend with the production config injected', async () => {
  const res = await fetch(`${backend!.baseUrl}/catalog`);
  expect(res.status).toBe(200);
  const html = await res.text();
  expect(html).toContain('<div id="root">');
  // app-backend renders index.html.tmpl in memory: nothing is written to the
  // read-only bundle, and the browser gets the frontend-visible config only.
  expect(html).toContain('backstage.io/config');
  expect(html).toContain(env.APP_BASE_URL);
  expect(html).not.toContain(SESSION_SECRET);
  expect(html).not.toContain(postgres.password);
});

/** Entity refs the catalog has processed, straight from its database. */
function catalogRefs(): string[] {
  return postgres.query(
    'backstage_plugin_catalog',
    'SELECT r.entity_ref FROM refresh_state r JOIN final_entities f ON f.entity_id = r.entity_id WHERE f.final_entity IS NOT NULL ORDER BY 1',
  );
}

test('ingests users and groups from Keycloak beside the portal entities', async () => {
  // Nobody can sign in before the users are in, so this waits on the
  // catalog's own tables.
  await waitFor(
    'the Keycloak org and catalog-info.yaml in the catalog',
    async () => {
      const refs = catalogRefs();
      return (
        refs.includes('user:default/alice') &&
        refs.includes('group:default/platform-team') &&
        refs.includes('component:default/portal-app') &&
        refs.includes('component:default/portal-backend')
      );
    },
    { attempts: 240, intervalMs: 500 },
  );
  const refs = catalogRefs();
  expect(refs.filter(ref => ref.startsWith('group:'))).toEqual(
    ['engineering', 'platform-team', 'team-payments', 'team-search']
      .map(name => `group:default/${name}`)
      .sort(),
  );
  // No sample org in production: every user comes from Keycloak.
  expect(refs.filter(ref => ref.startsWith('user:'))).toEqual(
    Object.keys(ISSUER_ACCOUNTS)
      .map(name => `user:default/${name}`)
      .sort(),
  );
  expect(refs).toContain('system:default/developer-portal');
  expect(keycloak.requests).toContain(
    'POST /realms/portal/protocol/openid-connect/token',
  );
});

test('signs alice in through the OIDC issuer with her Keycloak groups', async ({
  browser,
}) => {
  // Membership relations are resolved a moment after ingestion.
  let message: any;
  await waitFor(
    'a sign-in with resolved memberships',
    async () => {
      message = await signIn(browser, 'alice');
      return (
        message.response?.backstageIdentity.identity.ownershipEntityRefs ?? []
      ).includes('group:default/platform-team');
    },
    { attempts: 20, intervalMs: 1000 },
  );
  expect(message.error).toBeUndefined();
  expect(message.response.backstageIdentity.identity.userEntityRef).toBe(
    'user:default/alice',
  );
  expect(issuer.logins).toContain('alice');
  aliceToken = message.response.backstageIdentity.token;
  expect(await catalogNames(aliceToken, 'component')).toEqual([
    'portal-app',
    'portal-backend',
  ]);
});

test('records catalog data, a user setting and a scaffolder task in PostgreSQL', async () => {
  const headers = {
    authorization: `Bearer ${aliceToken}`,
    'content-type': 'application/json',
  };
  const created = await fetch(`${backend!.baseUrl}/api/catalog/locations`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ type: 'url', target: LOCATION_TARGET }),
  });
  expect(created.status, await created.clone().text()).toBe(201);
  locationId = (await created.json()).location.id;

  const setting = await fetch(
    `${backend!.baseUrl}/api/user-settings/buckets/bundle/keys/theme`,
    { method: 'PUT', headers, body: JSON.stringify({ value: 'dark' }) },
  );
  expect(setting.status).toBe(200);

  // Stored in PostgreSQL, one database per plugin (pluginDivisionMode).
  expect(
    postgres.query(
      'backstage_plugin_catalog',
      `SELECT target FROM locations WHERE id = '${locationId}'`,
    ),
  ).toEqual([LOCATION_TARGET]);

  // A scaffolder task from a template the catalog read from Git. It fails at
  // its first step (the GitOps remote is a closed port); what counts is that
  // it is kept.
  await waitFor('the templates in the catalog', async () =>
    catalogRefs().includes('template:default/promote-image'),
  );
  const task = await fetch(`${backend!.baseUrl}/api/scaffolder/v2/tasks`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      templateRef: 'template:default/promote-image',
      values: {
        team: 'group:default/team-payments',
        service: 'payments-api',
        env: 'prod',
        tag: '1.5.0',
      },
    }),
  });
  expect(task.status, await task.clone().text()).toBe(201);
  taskId = (await task.json()).id;
  expect(
    postgres.query(
      'backstage_plugin_scaffolder',
      `SELECT created_by FROM tasks WHERE id = '${taskId}'`,
    ),
  ).toEqual(['user:default/alice']);
});

test('refuses the local guest sign-in', async () => {
  const res = await fetch(`${backend!.baseUrl}/api/auth/guest/refresh`, {
    method: 'POST',
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  expect(res.status).toBe(403);
  expect(await res.text()).not.toContain('backstageIdentity');
});

test('accepts the CI token for catalog reads and nothing else', async () => {
  const headers = {
    authorization: `Bearer ${CI_TOKEN}`,
    'content-type': 'application/json',
  };
  const read = await fetch(
    `${backend!.baseUrl}/api/catalog/entities/by-query?limit=10`,
    { headers },
  );
  expect(read.status).toBe(200);
  expect((await read.json()).items.length).toBeGreaterThan(0);
  const register = await fetch(`${backend!.baseUrl}/api/catalog/locations`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ type: 'url', target: LOCATION_TARGET }),
  });
  expect(register.status).toBe(403);
});

test('readiness follows PostgreSQL and recovers without a restart', async () => {
  const readiness = `${backend!.baseUrl}/.backstage/health/v1/readiness`;
  const liveness = `${backend!.baseUrl}/.backstage/health/v1/liveness`;
  postgres.stop();
  let unreadyAfterMs = 0;
  try {
    const stopped = Date.now();
    await waitFor('readiness to fail', async () => answers(readiness, 503), {
      attempts: 40,
      intervalMs: 250,
    });
    unreadyAfterMs = Date.now() - stopped;
    // Still serving, and still running some seconds into the outage.
    expect(await answers(liveness, 200)).toBe(true);
    await new Promise(r => setTimeout(r, 5000));
    expect(exitCode).toBeUndefined();
    expect(await answers(readiness, 503)).toBe(true);
  } finally {
    postgres.start();
  }
  const restarted = Date.now();
  await waitFor('readiness to recover', async () => answers(readiness, 200), {
    attempts: 120,
    intervalMs: 250,
  });
  note(
    'database outage',
    `unready ${unreadyAfterMs}ms after stop, ready ${
      Date.now() - restarted
    }ms after start`,
  );
  expect(exitCode).toBeUndefined();

  // Same process, same data.
  const headers = { authorization: `Bearer ${aliceToken}` };
  expect(await catalogNames(aliceToken, 'component')).toEqual([
    'portal-app',
    'portal-backend',
  ]);
  expect(await catalogNames(aliceToken, 'user')).toContain('alice');
  const location = await fetch(
    `${backend!.baseUrl}/api/catalog/locations/${locationId}`,
    { headers },
  );
  expect(location.status).toBe(200);
  expect((await location.json()).target).toBe(LOCATION_TARGET);
  const setting = await fetch(
    `${backend!.baseUrl}/api/user-settings/buckets/bundle/keys/theme`,
    { headers },
  );
  expect(setting.status).toBe(200);
  expect((await setting.json()).value).toBe('dark');
  const task = await fetch(
    `${backend!.baseUrl}/api/scaffolder/v2/tasks/${taskId}`,
    {
      headers,
    },
  );
  expect(task.status).toBe(200);
  expect(await task.json()).toMatchObject({
    id: taskId,
    createdBy: 'user:default/alice',
    spec: { templateInfo: { entityRef: 'template:default/promote-image' } },
  });
});

test('writes nothing into the bundle', async () => {
  test.skip(
    process.getuid?.() !== 0,
    'the bundle runs as the image user only when the tests run as root',
  );
  // The image's user has no write access to the bundle here (it stands in
  // for the read-only root filesystem), so a write there would have failed
  // one of the steps above and been logged.
  expect(backend!.output()).not.toMatch(/EACCES|EROFS/);
  const owner = fs.statSync(path.join(bundle.appDir, 'packages')).uid;
  expect(owner).not.toBe(1001);
});

test('refuses to start without a required variable and names the setting', async () => {
  const missing = { ...env };
  delete missing.AUTH_SESSION_SECRET;
  const refused = spawnBundle({
    appDir: bundle.appDir,
    port: await freePort(),
    configFiles,
    env: missing,
  });
  try {
    const code = await Promise.race([
      refused.exited,
      new Promise(r => setTimeout(() => r('still running after 60s'), 60_000)),
    ]);
    expect(code).toBe(1);
  } finally {
    await refused.stop();
  }
  expect(refused.output()).toContain(
    'auth.session.secret needs environment variable AUTH_SESSION_SECRET',
  );
});
