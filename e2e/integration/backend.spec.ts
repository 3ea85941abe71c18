import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import {
  BackendOptions,
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
  answers,
  PostgresCluster,
  startPostgres,
} from '@internal/test-harness';

const appConfig = path.join(repoRoot, 'app-config.yaml');
const productionConfig = path.join(repoRoot, 'app-config.production.yaml');

/**
 * One route of every plugin API the backend hosts. The auth plugin's sign-in
 * endpoints (`/api/auth/<provider>/...`) and its JWKS are public by design.
 */
const PROTECTED_ROUTES: Array<['GET' | 'POST', string]> = [
  ['GET', 'catalog/entities'],
  ['GET', 'catalog/locations'],
  ['POST', 'catalog/locations'],
  ['GET', 'scaffolder/v2/templates/default/template/x/parameter-schema'],
  ['GET', 'scaffolder/v2/tasks'],
  ['POST', 'scaffolder/v2/tasks'],
  ['GET', 'scaffolder/v2/actions'],
  ['GET', 'techdocs/metadata/entity/default/component/portal-backend'],
  ['GET', 'techdocs/static/docs/default/component/portal-backend/index.html'],
  ['GET', 'search/query?term=portal'],
  ['GET', 'kubernetes/clusters'],
  ['POST', 'kubernetes/services/portal-backend'],
  ['POST', 'permission/authorize'],
  ['GET', 'argocd/find/name/developer-portal'],
  ['GET', 'argocd/argoInstance/x/applications/name/developer-portal'],
  ['GET', 'argocd/entity-status?entityRef=component:default/portal-backend'],
  ['GET', 'user-settings/buckets/default/keys/x'],
  ['GET', 'auth/v1/userinfo'],
];

/** The CI caller of app-config.production.yaml, with the same restriction. */
const ciAccess = {
  type: 'static',
  options: { token: 'ci-token-for-integration-tests', subject: 'ci-pipeline' },
  accessRestrictions: [
    { plugin: 'catalog', permission: 'catalog.entity.read' },
  ],
};

let postgres: PostgresCluster;
let dir: string;

test.beforeAll(async () => {
  dir = scratchDir('integration');
  postgres = await startPostgres(dir);
});

test.afterAll(() => postgres?.destroy());

async function catalogNames(baseUrl: string, token: string, kind: string) {
  const res = await fetch(
    `${baseUrl}/api/catalog/entities/by-query?filter=kind=${kind}&fields=metadata.name`,
    { headers: { authorization: `Bearer ${token}` } },
  );
  expect(res.status).toBe(200);
  const body = await res.json();
  return body.items.map((e: { metadata: { name: string } }) => e.metadata.name);
}

/** Entity providers ingest asynchronously; wait (bounded) for the portal's own entities. */
async function expectPortalCatalog(baseUrl: string) {
  let token = '';
  await waitFor('the catalog to ingest catalog-info.yaml', async () => {
    // A fresh token each time: one issued before the guest User entity was
    // ingested carries no groups, and the policy grants by group.
    token = await guestToken(baseUrl);
    const res = await fetch(
      `${baseUrl}/api/catalog/entities/by-query?filter=kind=component&fields=metadata.name`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    if (res.status !== 200) {
      return false;
    }
    const names = (await res.json()).items.map(
      (e: { metadata: { name: string } }) => e.metadata.name,
    );
    return names.includes('portal-app') && names.includes('portal-backend');
  });
  expect(await catalogNames(baseUrl, token, 'system')).toEqual([
    'developer-portal',
  ]);
  expect(await catalogNames(baseUrl, token, 'group')).toContain(
    'platform-team',
  );
}

for (const database of ['sqlite', 'postgres'] as const) {
  test.describe(`backend on ${database}`, () => {
    let backend: BackendProcess;

    test.beforeAll(async () => {
      const port = await freePort();
      const databaseConfig =
        database === 'sqlite'
          ? { client: 'better-sqlite3', connection: ':memory:' }
          : {
              client: 'pg',
              connection: {
                host: postgres.host,
                port: postgres.port,
                user: postgres.user,
                password: postgres.password,
              },
            };
      const overlay = writeConfig(dir, `${database}.json`, {
        ...listenConfig(port),
        backend: {
          ...listenConfig(port).backend,
          database: databaseConfig,
          auth: { externalAccess: [ciAccess] },
        },
      });
      backend = spawnBackend({ port, configFiles: [appConfig, overlay] });
      await waitUntilReady(backend);
    });

    test.afterAll(async () => backend?.stop());

    test('serves the portal catalog to a signed-in user', async () => {
      await expectPortalCatalog(backend.baseUrl);
      if (database === 'postgres') {
        // The catalog really lives in PostgreSQL, one database per plugin.
        expect(
          postgres.query(
            'backstage_plugin_catalog',
            "SELECT entity_ref FROM refresh_state WHERE entity_ref LIKE 'component:default/portal-%' ORDER BY 1",
          ),
        ).toEqual([
          'component:default/portal-app',
          'component:default/portal-backend',
        ]);
      }
    });

    test('refuses every plugin API without a token', async () => {
      for (const [method, api] of PROTECTED_ROUTES) {
        const res = await fetch(`${backend.baseUrl}/api/${api}`, {
          method,
          headers: { 'content-type': 'application/json' },
          body: method === 'GET' ? undefined : '{}',
        });
        expect(res.status, `${method} /api/${api}`).toBe(401);
      }
    });

    test('lets the CI token read the catalog and nothing else', async () => {
      const headers = {
        authorization: `Bearer ${ciAccess.options.token}`,
        'content-type': 'application/json',
      };
      const read = await fetch(
        `${backend.baseUrl}/api/catalog/entities/by-query?limit=1`,
        { headers },
      );
      expect(read.status).toBe(200);
      const register = await fetch(`${backend.baseUrl}/api/catalog/locations`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          type: 'url',
          target: 'https://example.com/x.yaml',
        }),
      });
      expect(register.status).toBe(403);
      const tasks = await fetch(`${backend.baseUrl}/api/scaffolder/v2/tasks`, {
        headers,
      });
      // Authenticated, but the access restriction names no scaffolder permission.
      expect(tasks.status).toBe(403);
    });

    test('denies a permission no role grants, even to the platform team', async () => {
      let token = '';
      const decide = async (name: string) => {
        const res = await fetch(`${backend.baseUrl}/api/permission/authorize`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify({
            items: [
              { id: name, permission: { type: 'basic', name, attributes: {} } },
            ],
          }),
        });
        expect(res.status).toBe(200);
        return (await res.json()).items[0].result;
      };
      // The guest is in platform-team once catalog/org.yaml is in.
      await waitFor('the guest to hold the platform-admin role', async () => {
        token = await guestToken(backend.baseUrl);
        return (await decide('catalog.location.create')) === 'ALLOW';
      });
      expect(await decide('portal.never.heard.of')).toBe('DENY');
    });

    if (database === 'postgres') {
      test('readiness follows the database and recovers without a restart', async () => {
        const readiness = `${backend.baseUrl}/.backstage/health/v1/readiness`;
        const liveness = `${backend.baseUrl}/.backstage/health/v1/liveness`;
        postgres.stop();
        try {
          await waitFor(
            'readiness to fail',
            async () => answers(readiness, 503),
            {
              attempts: 40,
              intervalMs: 250,
            },
          );
          expect(await answers(liveness, 200)).toBe(true);
        } finally {
          postgres.start();
        }
        await waitFor(
          'readiness to recover',
          async () => answers(readiness, 200),
          {
            attempts: 40,
            intervalMs: 250,
          },
        );
        await expectPortalCatalog(backend.baseUrl);
      });
    }
  });
}

test.describe('start-up checks', () => {
  const productionEnv = () => ({
    // As the image runs it: the guest provider refuses only outside development.
    NODE_ENV: 'production',
    APP_BASE_URL: 'http://127.0.0.1:3000',
    BACKEND_BASE_URL: 'http://127.0.0.1:7007',
    POSTGRES_HOST: postgres.host,
    POSTGRES_PORT: String(postgres.port),
    POSTGRES_USER: postgres.user,
    POSTGRES_PASSWORD: postgres.password,
    AUTH_SESSION_SECRET: 'integration-session-secret',
    KEYCLOAK_METADATA_URL:
      'http://127.0.0.1:1/realms/platform/.well-known/openid-configuration',
    KEYCLOAK_CLIENT_ID: 'developer-portal',
    KEYCLOAK_CLIENT_SECRET: 'integration-client-secret',
    K8S_CLUSTER_NAME: 'stand-in',
    K8S_CLUSTER_URL: 'http://127.0.0.1:1',
    K8S_SA_TOKEN: 'integration-token',
    ARGOCD_URL: 'http://127.0.0.1:1',
    ARGOCD_AUTH_TOKEN: 'integration-token',
    CI_EXTERNAL_ACCESS_TOKEN: 'integration-ci-token',
    KEYCLOAK_BASE_URL: 'http://127.0.0.1:1',
    KEYCLOAK_REALM: 'platform',
    KEYCLOAK_ORG_CLIENT_ID: 'developer-portal-org',
    KEYCLOAK_ORG_CLIENT_SECRET: 'integration-org-secret',
    GITOPS_REPO_URL: 'http://127.0.0.1:1/gitops.git',
    GITOPS_GIT_HOST: '127.0.0.1:1',
    GITOPS_GIT_USERNAME: 'portal',
    GITOPS_GIT_PASSWORD: 'integration-git-password',
    TEMPLATES_LOCATION_URL:
      'http://127.0.0.1:1/platform/developer-portal/src/branch/main/templates/catalog-info.yaml',
    GITOPS_WEBHOOK_SECRET: 'integration-webhook-secret',
  });

  async function refusedStart(env: NodeJS.ProcessEnv) {
    const port = await freePort();
    const backend = spawnBackend({
      port,
      configFiles: [appConfig, productionConfig],
      env,
    });
    const code = await backend.exited;
    return { code, output: backend.output() };
  }

  test('names the setting whose environment variable is missing', async () => {
    const env: NodeJS.ProcessEnv = productionEnv();
    delete env.POSTGRES_PASSWORD;
    delete env.KEYCLOAK_CLIENT_SECRET;
    const { code, output } = await refusedStart({
      ...env,
      POSTGRES_PASSWORD: '',
    });
    expect(code).toBe(1);
    expect(output).toContain(
      'backend.database.connection.password needs environment variable POSTGRES_PASSWORD',
    );
    expect(output).toContain(
      'auth.providers.keycloak.production.clientSecret needs environment variable KEYCLOAK_CLIENT_SECRET',
    );
    expect(output).not.toContain('integration-session-secret');
  });

  test('refuses a policy file with an unknown role, naming the line', async () => {
    const policyFile = path.join(dir, 'bad-policy.yaml');
    fs.writeFileSync(
      policyFile,
      [
        'bindings:',
        '  - role: developer',
        '    groups: [group:default/team-payments]',
        '  - role: superuser',
        '    groups: [group:default/platform-team]',
        '',
      ].join('\n'),
    );
    const port = await freePort();
    const backend = spawnBackend({
      port,
      configFiles: [
        appConfig,
        writeConfig(dir, 'bad-policy.json', {
          ...listenConfig(port),
          permission: { portalPolicy: { policyFile } },
        }),
      ],
    });
    const code = await backend.exited;
    expect(code).not.toBe(0);
    expect(backend.output()).toContain(
      `Permission policy file ${policyFile}, line 4: unknown role "superuser"`,
    );
    expect(
      await answers(`${backend.baseUrl}/.backstage/health/v1/liveness`),
    ).toBe(false);
  });

  test('names the database setting when PostgreSQL is unreachable', async () => {
    const closedPort = await freePort();
    const { code, output } = await refusedStart({
      ...productionEnv(),
      POSTGRES_PORT: String(closedPort),
    });
    expect(code).toBe(1);
    expect(output).toContain(
      `Cannot reach the database in backend.database.connection (127.0.0.1:${closedPort})`,
    );
    expect(output).not.toContain(postgres.password);
  });

  /**
   * Starts a backend that should refuse to start. One that becomes ready
   * instead is stopped again and reported as 'started', so a missing check
   * fails the test instead of hanging it.
   */
  async function outcomeOf(options: BackendOptions) {
    const backend = spawnBackend(options);
    const started = waitUntilReady(backend).then(
      () => 'started' as const,
      () => new Promise<never>(() => {}),
    );
    const code = await Promise.race([backend.exited, started]);
    await backend.stop();
    return { code, output: backend.output() };
  }

  test('refuses every dangerously* switch in production, naming each', async () => {
    const port = await freePort();
    const listen = listenConfig(port);
    const switches = writeConfig(dir, 'dangerously.json', {
      ...listen,
      backend: {
        ...listen.backend,
        auth: { dangerouslyDisableDefaultAuthPolicy: true },
      },
      auth: {
        experimentalRefreshToken: {
          dangerouslyDisableCatalogPresenceCheck: true,
        },
      },
      kubernetes: {
        clusterLocatorMethods: [
          { type: 'config', clusters: [], dangerouslyAllowSkipTLSVerify: true },
        ],
      },
      techdocs: {
        generator: { mkdocs: { dangerouslyAllowAdditionalKeys: ['hooks'] } },
      },
      proxy: {
        endpoints: {
          '/open': {
            target: 'http://127.0.0.1:1',
            credentials: 'dangerously-allow-unauthenticated',
          },
        },
      },
      scaffolder: {
        taskRecovery: { database: { dangerouslyEnableInProduction: true } },
      },
      // Found by name: a switch no Backstage release has yet.
      future: { plugin: { dangerouslyDoAnything: true } },
    });
    const { code, output } = await outcomeOf({
      port,
      configFiles: [appConfig, productionConfig, switches],
      env: productionEnv(),
    });
    expect(code).toBe(1);
    expect(output).toContain(
      'Start-up refused: A production configuration may not turn on any dangerously* switch',
    );
    for (const setting of [
      'backend.auth.dangerouslyDisableDefaultAuthPolicy',
      'auth.experimentalRefreshToken.dangerouslyDisableCatalogPresenceCheck',
      'kubernetes.clusterLocatorMethods.0.dangerouslyAllowSkipTLSVerify',
      'techdocs.generator.mkdocs.dangerouslyAllowAdditionalKeys',
      'proxy.endpoints./open.credentials: dangerously-allow-unauthenticated',
      'scaffolder.taskRecovery.database.dangerouslyEnableInProduction',
      'future.plugin.dangerouslyDoAnything',
    ]) {
      expect(output).toContain(`  ${setting}\n`);
    }
  });

  test('runs the production checks without --config, on APP_CONFIG_* variables', async () => {
    const port = await freePort();
    const { code, output } = await outcomeOf({
      port,
      // The default app-config.yaml of the repository, as `node
      // packages/backend` alone would read it.
      configFiles: [],
      env: {
        NODE_ENV: 'production',
        APP_CONFIG_backend_baseUrl: `http://127.0.0.1:${port}`,
        APP_CONFIG_backend_listen_host: '127.0.0.1',
        APP_CONFIG_backend_listen_port: String(port),
        APP_CONFIG_backend_auth_dangerouslyDisableDefaultAuthPolicy: 'true',
      },
    });
    expect(code).toBe(1);
    expect(output).toContain(
      '  backend.auth.dangerouslyDisableDefaultAuthPolicy',
    );
  });

  test('development still starts with a dangerously* switch and guest sign-in', async () => {
    const port = await freePort();
    const listen = listenConfig(port);
    const backend = spawnBackend({
      port,
      configFiles: [
        appConfig,
        writeConfig(dir, 'development-dangerously.json', {
          ...listen,
          backend: {
            ...listen.backend,
            auth: { dangerouslyDisableDefaultAuthPolicy: true },
          },
        }),
      ],
    });
    try {
      await waitUntilReady(backend);
      expect(await guestToken(backend.baseUrl)).toMatch(/^ey/);
    } finally {
      await backend.stop();
    }
  });
});
