import {
  HttpAuthService,
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
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import permissionPlugin from '@backstage/plugin-permission-backend';
import permissionModulePortalPolicy from '@internal/permission-backend-module-portal-policy';
import { Figure } from '../figures';
import { POLICY_FILE, USERS, stats, userInfo } from './users';

const TEAMS = ['platform-team', 'team-payments', 'team-search'];
const LOCATION = 'bench:portal-policy';

function entities(count: number): Entity[] {
  const annotations = {
    'backstage.io/managed-by-location': LOCATION,
    'backstage.io/managed-by-origin-location': LOCATION,
  };
  const templates = Math.min(100, Math.floor(count / 10));
  const components = Array.from(
    { length: count - templates },
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

function entityProvider(count: number) {
  return createBackendModule({
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
                entities: entities(count).map(entity => ({
                  entity,
                  locationKey: LOCATION,
                })),
              });
            },
          });
        },
      });
    },
  });
}

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

function startCatalog(count: number) {
  return startTestBackend({
    features: [
      catalogPlugin,
      scaffolderEntityModel,
      entityProvider(count),
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
}

/**
 * The catalog on SQLite with `count` entities, the real permission backend
 * and the portal's policy: list latency of a developer (CONDITIONAL) beside
 * an admin (ALLOW).
 */
export async function benchCatalog(
  count: number,
  rounds: number,
): Promise<Figure[]> {
  console.log(
    `\nCatalog on SQLite with ${count} entities, real permission backend and this policy`,
  );
  const ingestStart = Date.now();
  const backend = await startCatalog(count);
  const baseUrl = `http://localhost:${backend.server.port()}/api/catalog`;
  async function list(query: string, who?: string) {
    const header = who
      ? mockCredentials.user.header(USERS[who].userEntityRef)
      : mockCredentials.service.header();
    const start = process.hrtime.bigint();
    const res = await fetch(`${baseUrl}${query}`, {
      headers: { authorization: header },
    });
    const body = await res.json();
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (!res.ok) {
      throw new Error(
        `${query} answered ${res.status}: ${JSON.stringify(body)}`,
      );
    }
    return { ms, body };
  }
  const figures: Figure[] = [];
  try {
    // Bounded: ingestion of 10,000 entities takes well under ten minutes.
    for (let i = 0; ; i++) {
      const { body } = await list('/entities/by-query?limit=1');
      if (body.totalItems >= count) break;
      if (i >= 300) throw new Error(`only ${body.totalItems} ingested`);
      await new Promise(r => setTimeout(r, 2000));
    }
    figures.push({
      name: `catalog ingestion and stitching, ${count} entities`,
      unit: 's',
      portal: Math.round((Date.now() - ingestStart) / 100) / 10,
    });
    const queries: Array<[string, string, number]> = [
      ['first page of 100', '/entities/by-query?limit=100', rounds],
      ['whole catalog', '/entities', Math.max(3, Math.round(rounds / 5))],
    ];
    for (const [what, query, n] of queries) {
      for (const who of ['admin', 'developer']) {
        await list(query, who);
        const samples: number[] = [];
        let seen = 0;
        for (let i = 0; i < n; i++) {
          const { ms, body } = await list(query, who);
          samples.push(ms);
          seen = Array.isArray(body) ? body.length : body.totalItems;
        }
        const s = stats(samples);
        const decision = who === 'admin' ? 'ALLOW' : 'CONDITIONAL';
        console.log(
          `  ${what} (GET ${query}) as ${who} (${decision}), sees ${seen}: mean ${s.mean.toFixed(
            1,
          )} ms, p99 ${s.p99.toFixed(1)} ms (n=${s.n})`,
        );
        figures.push({
          name: `${what} of ${count}, ${who} (${decision}) mean`,
          unit: 'ms',
          portal: Math.round(s.mean * 10) / 10,
          note: `sees ${seen}; p50 ${s.p50.toFixed(1)}, p99 ${s.p99.toFixed(
            1,
          )} ms, n=${s.n}`,
        });
      }
    }
  } finally {
    await backend.stop();
  }
  return figures;
}
