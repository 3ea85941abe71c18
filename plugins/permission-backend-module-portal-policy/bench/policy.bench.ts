/*
 * Prints how long the portal policy takes per decision, and what its
 * conditional catalog read costs a developer listing 10,000 entities next to
 * an admin. Figures only, no assertions: they depend on the machine.
 *
 *   yarn workspace @internal/permission-backend-module-portal-policy bench
 */
import {
  AuditorService,
  BackstageUserInfo,
  BackstageUserPrincipal,
  HttpAuthService,
  UserInfoService,
  coreServices,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import scaffolderEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import {
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
} from '@backstage/plugin-catalog-common/alpha';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { kubernetesProxyPermission } from '@backstage/plugin-kubernetes-common';
import permissionPlugin from '@backstage/plugin-permission-backend';
import {
  Permission,
  createPermission,
} from '@backstage/plugin-permission-common';
import { taskCreatePermission } from '@backstage/plugin-scaffolder-common/alpha';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import permissionModulePortalPolicy from '../src';
import { parsePolicyFile } from '../src/policyFile';
import { PortalPolicy } from '../src/portalPolicy';

const POLICY_FILE = resolve(__dirname, '../../../permission-policy.yaml');
const DECISIONS = 100_000;
const ENTITIES = 10_000;
const TEAMS = ['platform-team', 'team-payments', 'team-search'];

/** Users of catalog/org.yaml and the groups sign-in puts in their tokens. */
const USERS: Record<string, BackstageUserInfo> = Object.fromEntries(
  [
    ['admin', 'user:default/alice', 'group:default/platform-team'],
    ['developer', 'user:default/bob', 'group:default/team-payments'],
    ['template-author', 'user:default/carol', 'group:default/team-search'],
    ['no role', 'user:default/dave'],
  ].map(([label, ref, ...groups]) => [
    label,
    { userEntityRef: ref, ownershipEntityRefs: [ref, ...groups] },
  ]),
);

const userInfo: UserInfoService = {
  async getUserInfo(credentials) {
    const ref = (credentials.principal as BackstageUserPrincipal).userEntityRef;
    return (
      Object.values(USERS).find(u => u.userEntityRef === ref) ?? {
        userEntityRef: ref,
        ownershipEntityRefs: [ref],
      }
    );
  },
};

function stats(samplesMs: number[]) {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const mean = sorted.reduce((sum, v) => sum + v, 0) / sorted.length;
  return { mean, p50: at(0.5), p99: at(0.99), n: sorted.length };
}

function row(label: string, samplesMs: number[], unit: 'ms' | 'µs') {
  const factor = unit === 'µs' ? 1000 : 1;
  const { mean, p50, p99, n } = stats(samplesMs);
  const f = (v: number) => (v * factor).toFixed(unit === 'µs' ? 2 : 1);
  return `${label.padEnd(46)} mean ${f(mean).padStart(8)} ${unit}  p50 ${f(
    p50,
  ).padStart(8)} ${unit}  p99 ${f(p99).padStart(8)} ${unit}  (n=${n})`;
}

async function benchPolicy() {
  const bindings = parsePolicyFile(
    readFileSync(POLICY_FILE, 'utf8'),
    POLICY_FILE,
  );
  // Auditing goes to a sink that drops events: the log transport is not
  // what is being measured.
  const auditor: AuditorService = {
    async createEvent() {
      return { success: async () => {}, fail: async () => {} };
    },
  };
  const policy = new PortalPolicy({ bindings, auditor, userInfo });
  const unknown = createPermission({ name: 'never.heard.of', attributes: {} });
  const cases: Array<[string, string, Permission]> = [
    ['admin', 'ALLOW', catalogEntityDeletePermission],
    ['developer', 'CONDITIONAL', catalogEntityDeletePermission],
    ['developer', 'ALLOW', taskCreatePermission],
    ['template-author', 'CONDITIONAL', catalogEntityReadPermission],
    ['developer', 'DENY', kubernetesProxyPermission],
    ['no role', 'DENY', catalogEntityReadPermission],
    ['admin', 'DENY (unknown)', unknown],
  ];

  console.log(
    `\nPolicy evaluation, ${DECISIONS} decisions per line (handle() with user info lookup and audit call)`,
  );
  const all: number[] = [];
  for (const [who, result, permission] of cases) {
    const user = {
      credentials: mockCredentials.user(USERS[who].userEntityRef),
      info: USERS[who],
    };
    for (let i = 0; i < 5_000; i++) {
      await policy.handle({ permission }, user);
    }
    const samples = new Array<number>(DECISIONS);
    for (let i = 0; i < DECISIONS; i++) {
      const start = process.hrtime.bigint();
      await policy.handle({ permission }, user);
      samples[i] = Number(process.hrtime.bigint() - start) / 1e6;
    }
    all.push(...samples);
    console.log(row(`${who}: ${permission.name} -> ${result}`, samples, 'µs'));
  }
  console.log(row('all of the above', all, 'µs'));
}

function entities(): Entity[] {
  const location = 'bench:portal-policy';
  const annotations = {
    'backstage.io/managed-by-location': location,
    'backstage.io/managed-by-origin-location': location,
  };
  const templates = 100;
  const components = Array.from(
    { length: ENTITIES - templates },
    (_, i): Entity => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: `component-${i}`, annotations },
      spec: {
        type: 'service',
        lifecycle: 'production',
        owner: `group:default/${TEAMS[i % TEAMS.length]}`,
      },
    }),
  );
  // Half of the templates are for the platform team only.
  const templateEntities = Array.from(
    { length: templates },
    (_, i): Entity => ({
      apiVersion: 'scaffolder.backstage.io/v1beta3',
      kind: 'Template',
      metadata: {
        name: `template-${i}`,
        annotations,
        tags: i % 2 === 0 ? ['platform-team-only'] : [],
      },
      spec: {
        type: 'service',
        owner: 'group:default/platform-team',
        steps: [],
      },
    }),
  );
  return [...components, ...templateEntities];
}

const benchEntityProvider = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'portal-policy-bench',
  register(reg) {
    reg.registerInit({
      deps: { catalog: catalogProcessingExtensionPoint },
      async init({ catalog }) {
        catalog.addEntityProvider({
          getProviderName: () => 'portal-policy-bench',
          async connect(connection) {
            await connection.applyMutation({
              type: 'full',
              entities: entities().map(entity => ({
                entity,
                locationKey: 'bench:portal-policy',
              })),
            });
          },
        });
      },
    });
  },
});

/*
 * The mock auth of backend-test-utils drops the caller from a token a plugin
 * gets on behalf of a user; real auth keeps it as the principal's actor, and
 * the permission backend needs it to accept the catalog's list queries
 * (conditional decisions without a resourceRef).
 */
const onBehalfOfHttpAuth = createServiceFactory({
  service: coreServices.httpAuth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }) {
    const inner = mockServices.httpAuth({ pluginId: plugin.getId() });
    const service: HttpAuthService = {
      credentials: (async (req, options) => {
        const credentials = await inner.credentials(req, options);
        const token = req.headers.authorization ?? '';
        const start = token.indexOf('{');
        const obo = start >= 0 ? JSON.parse(token.slice(start)).obo : undefined;
        return obo &&
          (credentials.principal as { type: string }).type === 'user'
          ? mockCredentials.user(obo, { actor: { subject: 'plugin:caller' } })
          : credentials;
      }) as HttpAuthService['credentials'],
      issueUserCookie: (res, options) => inner.issueUserCookie(res, options),
    };
    return service;
  },
});

async function benchCatalog() {
  console.log(
    `\nCatalog on SQLite with ${ENTITIES} entities, real permission backend and this policy`,
  );
  const ingestStart = Date.now();
  const backend = await startTestBackend({
    features: [
      catalogPlugin,
      scaffolderEntityModel,
      benchEntityProvider,
      permissionPlugin,
      permissionModulePortalPolicy,
      mockServices.rootConfig.factory({
        data: {
          backend: {
            database: { client: 'better-sqlite3', connection: ':memory:' },
          },
          catalog: { processingInterval: { hours: 24 } },
          permission: {
            enabled: true,
            portalPolicy: { policyFile: POLICY_FILE },
          },
        },
      }),
      onBehalfOfHttpAuth,
      createServiceFactory({
        service: coreServices.userInfo,
        deps: {},
        factory: () => userInfo,
      }),
    ],
  });
  const baseUrl = `http://localhost:${backend.server.port()}/api/catalog`;

  async function list(path: string, who?: string) {
    const header = who
      ? mockCredentials.user.header(USERS[who].userEntityRef)
      : mockCredentials.service.header();
    const start = process.hrtime.bigint();
    const res = await fetch(`${baseUrl}${path}`, {
      headers: { authorization: header },
    });
    const body = await res.json();
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (!res.ok) {
      throw new Error(
        `${path} answered ${res.status}: ${JSON.stringify(body)}`,
      );
    }
    return { ms, body };
  }

  for (;;) {
    const { body } = await list('/entities/by-query?limit=1');
    if (body.totalItems >= ENTITIES) {
      break;
    }
    process.stdout.write(`  ingested ${body.totalItems}/${ENTITIES}\r`);
    await new Promise(r => setTimeout(r, 2000));
  }
  console.log(
    `  ingestion and stitching took ${(
      (Date.now() - ingestStart) /
      1000
    ).toFixed(0)} s`,
  );

  const queries: Array<[string, string, number]> = [
    ['first page of 100 with total', '/entities/by-query?limit=100', 50],
    ['whole catalog in one list', '/entities', 10],
  ];
  for (const [what, path, rounds] of queries) {
    console.log(`  ${what} (GET ${path}), ${rounds} rounds`);
    for (const who of ['admin', 'developer']) {
      await list(path, who);
      const samples: number[] = [];
      let count = 0;
      for (let i = 0; i < rounds; i++) {
        const { ms, body } = await list(path, who);
        samples.push(ms);
        count = Array.isArray(body) ? body.length : body.totalItems;
      }
      console.log(
        `  ${row(
          `${who} (${
            who === 'admin' ? 'ALLOW' : 'CONDITIONAL'
          }), sees ${count}`,
          samples,
          'ms',
        )}`,
      );
    }
  }
  await backend.stop();
}

benchPolicy()
  .then(benchCatalog)
  .catch(error => {
    console.error(error);
    process.exitCode = 1;
  });
