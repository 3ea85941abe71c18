import { expect, test } from '@playwright/test';
import {
  KeycloakAdminStandIn,
  startKeycloakAdminStandIn,
  KEYCLOAK_PROVIDER_ID,
  OidcIssuer,
  keycloakProviderConfig,
  keycloakRedirectUri,
  startOidcIssuer,
} from '@internal/stand-ins';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import {
  guestToken,
  spawnBackend,
  SpawnedBackend,
  waitUntilReady,
  repoRoot,
  scratchDir,
  writeConfig,
  freePort,
  waitFor,
  PostgresCluster,
  startPostgres,
} from '@internal/test-harness';
import { popupSignIn } from '../support/oidcSignIn';

/**
 * The portal as the chart runs it: several backend replicas behind one
 * Service, on one PostgreSQL 15 database. Two real backends share a
 * throwaway cluster, with the production database layout (one database per
 * plugin) and one session secret; nothing else is shared between them. A
 * loopback stand-in plays the Service, the loopback OIDC issuer plays
 * Keycloak's login, and a stand-in of Keycloak's admin API feeds the org
 * provider. Which replica did what is read from PostgreSQL itself: each
 * replica connects under its own `application_name`, and a trigger records
 * who claimed or released each scheduled task run and scaffolder task.
 */
test.describe.configure({ mode: 'serial' });

const appConfig = path.join(repoRoot, 'app-config.yaml');
const TEMPLATE = 'replicas-test';
const KEYCLOAK_TASK = 'KeycloakOrgEntityProvider:standIn:refresh';
/** The portal's own scheduled tasks, which must run on one replica at a time. */
const PORTAL_TASKS = {
  gitops: ['change-request-poll'],
  catalog: ['gitops-repository:refresh', KEYCLOAK_TASK],
};
const ENDED = ['completed', 'failed', 'cancelled'];

type Replica = 'replica-a' | 'replica-b';
let postgres: PostgresCluster;
let issuer: OidcIssuer;
let keycloak: KeycloakAdminStandIn;
let service: Service;
let dir: string;
const replicas = {} as Record<Replica, SpawnedBackend>;
/** When the audit triggers were installed: runs before it are not recorded. */
let auditSince = 0;
/** The plugin databases with scheduled tasks, where the triggers record runs. */
const schedulerDatabases: string[] = [];

/** Test-only template: a log step, a wait of `waitSeconds`, another log step. */
const templateYaml = `apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: ${TEMPLATE}
  title: Replicas test (integration tests only)
spec:
  owner: group:default/platform-team
  type: service
  parameters:
    - properties:
        waitSeconds: { type: number }
  steps:
    - { id: before, name: Before, action: debug:log, input: { message: before the wait } }
    - { id: wait, name: Wait, action: debug:wait, input: { seconds: '\${{ parameters.waitSeconds }}' } }
    - { id: after, name: After, action: debug:log, input: { message: after the wait } }
`;

/** What every replica runs with; only the port and the connection's name differ. */
function replicaConfig(name: Replica, port: number, template: string) {
  return {
    app: { baseUrl: service.url },
    backend: {
      // One public address for all replicas, as BACKEND_BASE_URL in the chart.
      baseUrl: service.url,
      listen: { port, host: '127.0.0.1' },
      cors: { origin: service.url },
      database: {
        client: 'pg',
        pluginDivisionMode: 'database',
        connection: {
          host: postgres.host,
          port: postgres.port,
          user: postgres.user,
          password: postgres.password,
          application_name: name,
        },
        knexConfig: { pool: { min: 0, max: 10 } },
      },
    },
    auth: {
      // The OIDC strategy keeps its state in the session: shared through
      // the database, signed with this secret, so any replica may finish a
      // sign-in another one started.
      session: { secret: 'replicas-e2e-session-secret' },
      providers: { keycloak: keycloakProviderConfig(issuer) },
    },
    catalog: {
      locations: [
        {
          type: 'file',
          target: path.join(repoRoot, 'catalog/org.yaml'),
          rules: [{ allow: ['User', 'Group'] }],
        },
        { type: 'file', target: template, rules: [{ allow: ['Template'] }] },
      ],
      providers: {
        // Nothing serves app-config.yaml's GitOps repository here: each run
        // fails, which is still a run of the scheduled task.
        gitops: { schedule: { frequency: { seconds: 3 } } },
        keycloakOrg: {
          standIn: {
            baseUrl: keycloak.baseUrl,
            loginRealm: keycloak.loginRealm,
            realm: keycloak.realm,
            clientId: keycloak.clientId,
            clientSecret: keycloak.clientSecret,
            schedule: {
              frequency: { seconds: 3 },
              timeout: { seconds: 20 },
              initialDelay: { seconds: 0 },
            },
          },
        },
      },
    },
    gitops: { changeRequests: { pollInterval: { seconds: 3 } } },
    // A string replaces app-config.yaml's 1m. Long enough that a busy test
    // machine's pauses never make a live task look orphaned.
    scaffolder: { taskRecovery: { staleTimeout: '10s' } },
  };
}

/**
 * Stand-in for the Kubernetes Service in front of the pods: forwards each
 * request to the replica `route` picks for its path, and remembers which.
 */
interface Service {
  url: string;
  served: Array<{ path: string; by: Replica }>;
  route: (path: string) => Replica;
  close(): Promise<void>;
}

async function startService(port: number): Promise<Service> {
  let next: Replica = 'replica-a';
  const service: Service = {
    url: `http://127.0.0.1:${port}`,
    served: [],
    // Round robin, like kube-proxy's spread of new connections.
    route: () => (next = next === 'replica-a' ? 'replica-b' : 'replica-a'),
    close: () =>
      new Promise(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = http.createServer((req, res) => {
    const by = service.route(req.url ?? '/');
    service.served.push({ path: req.url ?? '/', by });
    const upstream = http.request(
      `${replicas[by].baseUrl}${req.url}`,
      { method: req.method, headers: req.headers },
      answer => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>(resolve => server.listen(port, '127.0.0.1', resolve));
  return service;
}

test.beforeAll(async () => {
  dir = scratchDir('replicas');
  postgres = await startPostgres(dir);
  service = await startService(await freePort());
  issuer = await startOidcIssuer({
    redirectUris: [keycloakRedirectUri(service.url)],
  });
  keycloak = await startKeycloakAdminStandIn({
    org: { generated: { users: 3, groups: 1 } },
  });
  const template = path.join(dir, 'template.yaml');
  fs.writeFileSync(template, templateYaml);
  // Both at once on the empty database, as a first install with two pods
  // does: the start-up lock lets one run every migration while the other
  // waits (docs/deploying.md, several replicas).
  const names = ['replica-a', 'replica-b'] as const;
  for (const name of names) {
    const port = await freePort();
    const config = writeConfig(
      dir,
      `${name}.json`,
      replicaConfig(name, port, template),
    );
    replicas[name] = spawnBackend({ port, configFiles: [appConfig, config] });
  }
  await Promise.all(names.map(name => waitUntilReady(replicas[name])));
  installAudit();
});

test.afterAll(async () => {
  for (const [name, backend] of Object.entries(replicas)) {
    await backend.stop();
    fs.writeFileSync(path.join(dir, `${name}.log`), backend.output());
  }
  await service?.close();
  await issuer?.close();
  await keycloak?.close();
  postgres?.destroy();
});

test.afterEach(async ({}, testInfo) => {
  if (testInfo.status !== testInfo.expectedStatus) {
    for (const [name, backend] of Object.entries(replicas)) {
      await testInfo.attach(`${name} output`, {
        body: backend.output().slice(-20_000),
        contentType: 'text/plain',
      });
    }
  }
});

/** Records, in each plugin database, which replica claimed and released what. */
function installAudit() {
  const audit = `
    CREATE TABLE replica_audit (
      seq bigserial PRIMARY KEY, row_id text NOT NULL, event text NOT NULL,
      ticket text, replica text NOT NULL, at timestamptz DEFAULT clock_timestamp());
    CREATE FUNCTION replica_audit() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO replica_audit (row_id, event, ticket, replica) VALUES (
        NEW.id::text,
        CASE TG_ARGV[0] WHEN 'status' THEN to_jsonb(NEW) ->> 'status' ELSE TG_ARGV[0] END,
        coalesce(to_jsonb(NEW) ->> 'current_run_ticket', to_jsonb(OLD) ->> 'current_run_ticket'),
        current_setting('application_name'));
      RETURN NULL;
    END $$;`;
  const scheduler = 'backstage_backend_tasks__tasks';
  const databases = postgres.query(
    'postgres',
    "SELECT datname FROM pg_database WHERE datname LIKE 'backstage_plugin_%'",
  );
  for (const database of databases) {
    const [tables] = postgres.query(
      database,
      `SELECT to_regclass('${scheduler}') IS NOT NULL, to_regclass('tasks') IS NOT NULL`,
    );
    const [hasScheduler, hasTasks] = tables.split('|').map(v => v === 't');
    if (!hasScheduler && !hasTasks) continue;
    const triggers = [];
    if (hasScheduler) {
      schedulerDatabases.push(database);
      triggers.push(
        `CREATE TRIGGER claim AFTER UPDATE ON ${scheduler} FOR EACH ROW WHEN (OLD.current_run_ticket IS NULL AND NEW.current_run_ticket IS NOT NULL) EXECUTE FUNCTION replica_audit('claim');`,
        `CREATE TRIGGER release AFTER UPDATE ON ${scheduler} FOR EACH ROW WHEN (OLD.current_run_ticket IS NOT NULL AND NEW.current_run_ticket IS NULL) EXECUTE FUNCTION replica_audit('release');`,
      );
    }
    if (database === 'backstage_plugin_scaffolder' && hasTasks) {
      triggers.push(
        `CREATE TRIGGER status AFTER UPDATE ON tasks FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION replica_audit('status');`,
      );
    }
    postgres.query(database, audit + triggers.join('\n'));
  }
  auditSince = Date.now();
}

interface AuditRow {
  rowId: string;
  event: string;
  ticket: string;
  replica: Replica;
  at: number;
}

function auditOf(database: string): AuditRow[] {
  return postgres
    .query(
      database,
      `SELECT row_id, event, coalesce(ticket, ''), replica, (extract(epoch FROM at) * 1000)::bigint FROM replica_audit ORDER BY seq`,
    )
    .map(line => {
      const [rowId, event, ticket, replica, at] = line.split('|');
      return { rowId, event, ticket, replica: replica as Replica, at: +at };
    });
}

interface ScheduledRun {
  replica: Replica;
  ticket: string;
  claimed: number;
  released?: number;
  releasedBy?: Replica;
}

/**
 * The recorded runs of each scheduled task of a plugin, by task id. A claim
 * only ever follows the release of the run before: one holder at a time.
 */
function scheduledRuns(database: string): Map<string, ScheduledRun[]> {
  const runs = new Map<string, ScheduledRun[]>();
  for (const row of auditOf(database)) {
    if (row.event !== 'claim' && row.event !== 'release') continue;
    const taskRuns = runs.get(row.rowId) ?? [];
    runs.set(row.rowId, taskRuns);
    const last = taskRuns.at(-1);
    if (row.event === 'claim') {
      expect(
        !last || last.released !== undefined,
        `${database}: ${row.rowId} claimed by ${row.replica} while ${last?.replica} held it`,
      ).toBe(true);
      taskRuns.push({
        replica: row.replica,
        ticket: row.ticket,
        claimed: row.at,
      });
    } else if (last) {
      expect(row.ticket, `${row.rowId}: release of another run`).toBe(
        last.ticket,
      );
      last.released = row.at;
      last.releasedBy = row.replica;
    }
  }
  return runs;
}

/** Each replica's log, without colours, as lines `{ at, text }`. */
function logLines(name: Replica) {
  return (
    replicas[name]
      .output()
      // eslint-disable-next-line no-control-regex
      .replace(/\x1b\[[0-9;]*m/g, '')
      .split('\n')
      .map(text => ({ at: Date.parse(text.slice(0, 24)), text }))
  );
}

async function api(
  baseUrl: string,
  token: string,
  route: string,
  init: RequestInit = {},
) {
  return fetch(`${baseUrl}/api/${route}`, {
    ...init,
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
    },
  });
}

/** A guest token once catalog/org.yaml is in: it then carries platform-team. */
async function adminToken(backend: SpawnedBackend) {
  let token = '';
  await waitFor(`${backend.baseUrl}: the guest in platform-team`, async () => {
    token = await guestToken(backend.baseUrl);
    const info = await api(backend.baseUrl, token, 'auth/v1/userinfo');
    return (await info.json()).claims?.ent?.includes(
      'group:default/platform-team',
    );
  });
  return token;
}

function kid(token: string): string {
  return JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString())
    .kid;
}

test("both replicas sign the guest in, serve reads and accept each other's tokens", async () => {
  // Replica B signs the guest in first and checks its own token, so it has
  // fetched and cached its signing keys before replica A makes its own.
  const b = replicas['replica-b'];
  const a = replicas['replica-a'];
  const fromB = await adminToken(b);
  expect((await api(b.baseUrl, fromB, 'catalog/entities?limit=1')).status).toBe(
    200,
  );
  const fromA = await adminToken(a);
  expect((await api(a.baseUrl, fromA, 'catalog/entities?limit=1')).status).toBe(
    200,
  );
  // Each replica signs with a key of its own, published through the shared
  // key store (auth.keyStore: database, the default).
  expect(kid(fromA)).not.toBe(kid(fromB));
  for (const [token, other] of [
    [fromA, b],
    [fromB, a],
  ] as const) {
    const read = await api(other.baseUrl, token, 'catalog/entities?limit=1');
    expect(read.status).toBe(200);
    const info = await api(other.baseUrl, token, 'auth/v1/userinfo');
    expect((await info.json()).claims.sub).toBe('user:default/guest');
  }

  // A token is accepted for its signature, not for looking like one: a
  // tampered signature, or a key the store does not hold, is refused.
  const [header, payload] = fromA.split('.');
  const { privateKey } = crypto.generateKeyPairSync('ec', {
    namedCurve: 'P-256',
  });
  const forgedHeader = Buffer.from(
    JSON.stringify({ alg: 'ES256', kid: crypto.randomUUID() }),
  ).toString('base64url');
  const forged = `${forgedHeader}.${payload}.${crypto
    .sign('sha256', Buffer.from(`${forgedHeader}.${payload}`), {
      key: privateKey,
      dsaEncoding: 'ieee-p1363',
    })
    .toString('base64url')}`;
  const tampered = `${header}.${payload}.${Buffer.alloc(64).toString(
    'base64url',
  )}`;
  for (const bad of [forged, tampered]) {
    for (const replica of [a, b]) {
      expect(
        (await api(replica.baseUrl, bad, 'catalog/entities?limit=1')).status,
      ).toBe(401);
    }
  }
});

test('a Keycloak sign-in started on one replica finishes on the other', async ({
  browser,
}) => {
  // Through the Service: the popup's start lands on A, Keycloak's redirect
  // back on B, and the next page load's refresh on A again.
  const auth = `/api/auth/${KEYCLOAK_PROVIDER_ID}`;
  const pins: Record<string, Replica> = {
    [`${auth}/start`]: 'replica-a',
    [`${auth}/handler/frame`]: 'replica-b',
    [`${auth}/refresh`]: 'replica-a',
  };
  const roundRobin = service.route;
  service.route = url => pins[url.split('?')[0]] ?? roundRobin(url);
  const signIn = popupSignIn(browser, service.url, 'alice', 'development');
  const { message, context } = await signIn.catch(error => {
    service.route = roundRobin;
    throw error;
  });
  try {
    expect(message.error).toBeUndefined();
    const servedBy = (route: string) =>
      service.served.filter(s => s.path.startsWith(route)).map(s => s.by);
    expect(servedBy(`${auth}/start`)).toEqual(['replica-a']);
    expect(servedBy(`${auth}/handler/frame`)).toEqual(['replica-b']);
    const alice = message.response!.backstageIdentity;
    expect(alice.identity.userEntityRef).toBe('user:default/alice');
    const read = await api(
      replicas['replica-a'].baseUrl,
      alice.token,
      'catalog/entities?limit=1',
    );
    expect(read.status).toBe(200);
    const refresh = await context.request.post(
      `${service.url}${auth}/refresh?env=development`,
      { headers: { 'x-requested-with': 'XMLHttpRequest' } },
    );
    expect(refresh.status()).toBe(200);
    expect(servedBy(`${auth}/refresh`)).toEqual(['replica-a']);
    expect(
      (await refresh.json()).backstageIdentity.identity.userEntityRef,
    ).toBe('user:default/alice');
  } finally {
    await context.close();
    service.route = roundRobin;
  }
});

/** POST /v2/tasks of the test template; returns the task id. */
async function startTask(baseUrl: string, token: string, waitSeconds: number) {
  const res = await api(baseUrl, token, 'scaffolder/v2/tasks', {
    method: 'POST',
    body: JSON.stringify({
      templateRef: `template:default/${TEMPLATE}`,
      values: { waitSeconds },
    }),
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()).id as string;
}

function taskStatus(taskId: string) {
  return postgres.query(
    'backstage_plugin_scaffolder',
    `SELECT status FROM tasks WHERE id = '${taskId}'`,
  )[0];
}

/** The task's events as `<type> <stepId> <status>` lines, in order. */
function taskEvents(taskId: string) {
  return postgres.query(
    'backstage_plugin_scaffolder',
    `SELECT event_type || ' ' || coalesce(body::json ->> 'stepId', '-') || ' ' || coalesce(body::json ->> 'status', '-') FROM task_events WHERE task_id = '${taskId}' ORDER BY id`,
  );
}

/** Which replicas moved the task to which status, in order. */
function taskAudit(taskId: string) {
  return auditOf('backstage_plugin_scaffolder')
    .filter(row => row.rowId === taskId)
    .map(row => `${row.event} ${row.replica}`);
}

test('each scaffolder task runs exactly once, on one replica', async () => {
  const tokens = await Promise.all(
    (['replica-a', 'replica-b'] as const).map(name =>
      adminToken(replicas[name]),
    ),
  );
  // Six tasks at once, three through each replica: both task workers race
  // for whatever is open.
  const started = await Promise.all(
    [0, 1, 2, 3, 4, 5].map(async i => {
      const name = i % 2 ? 'replica-b' : 'replica-a';
      const taskId = await startTask(replicas[name].baseUrl, tokens[i % 2], 1);
      return { taskId, via: name };
    }),
  );
  await waitFor(
    'the six tasks to end',
    async () => started.every(t => ENDED.includes(taskStatus(t.taskId))),
    { attempts: 120, intervalMs: 500 },
  );
  const ranOn: string[] = [];
  for (const { taskId } of started) {
    expect(taskStatus(taskId)).toBe('completed');
    // Claimed once, by one replica, which also completed it.
    const audit = taskAudit(taskId);
    expect(audit).toHaveLength(2);
    const replica = audit[0].split(' ')[1] as Replica;
    expect(audit).toEqual([`processing ${replica}`, `completed ${replica}`]);
    ranOn.push(replica);
    // Every step ran once; one completion.
    const events = taskEvents(taskId);
    const count = (event: string) => events.filter(e => e === event).length;
    for (const step of ['before', 'wait', 'after']) {
      expect(count(`log ${step} processing`), step).toBe(1);
      expect(count(`log ${step} completed`), step).toBe(1);
    }
    expect(events.filter(e => e.startsWith('completion '))).toHaveLength(1);
    // The scaffolder's audit log of the execution is in that replica's log
    // only: the other never started it.
    for (const name of ['replica-a', 'replica-b'] as const) {
      const executions = logLines(name).filter(
        l => l.text.includes(taskId) && l.text.includes('"execution"'),
      );
      expect(executions.length > 0, `${taskId} in ${name}'s log`).toBe(
        name === replica,
      );
    }
  }
  test.info().annotations.push({
    type: 'tasks',
    description: started
      .map((t, i) => `${t.taskId} via ${t.via}, ran on ${ranOn[i]}`)
      .join('; '),
  });
});

/** The plugins a replica started, from its own start-up log. */
function pluginIds(name: Replica): string[] {
  const line = logLines(name).find(l =>
    l.text.includes('Plugin initialization started:'),
  );
  return [...(line?.text.matchAll(/'([^']+)'/g) ?? [])].map(m => m[1]);
}

/** Keycloak org syncs in a replica's log: start and end of each run. */
function keycloakSyncs(name: Replica) {
  const syncs = new Map<string, { start: number; end?: number }>();
  for (const { at, text } of logLines(name)) {
    const id = text.match(/taskInstanceId="([^"]+)"/)?.[1];
    if (!id || !text.includes(KEYCLOAK_TASK)) continue;
    if (text.includes('Reading Keycloak users and groups')) {
      syncs.set(id, { start: at });
    } else if (/Committed|Error while syncing/.test(text)) {
      syncs.get(id)!.end = at;
    }
  }
  return [...syncs.values()].filter(s => s.start >= auditSince && s.end);
}

test('scheduled tasks run on one replica at a time', async () => {
  // Every task of every plugin is global on both replicas: a local task
  // would run on each replica at once, and leave no row in the database.
  for (const name of ['replica-a', 'replica-b'] as const) {
    const { baseUrl } = replicas[name];
    const token = await adminToken(replicas[name]);
    const plugins = pluginIds(name);
    expect(plugins).toEqual(expect.arrayContaining(Object.keys(PORTAL_TASKS)));
    for (const plugin of plugins) {
      const res = await api(
        baseUrl,
        token,
        `${plugin}/.backstage/scheduler/v1/tasks`,
      );
      if (res.status === 404) continue; // no scheduler in this plugin
      expect(res.status).toBe(200);
      const tasks: Array<{ taskId: string; scope: string }> = (await res.json())
        .tasks;
      for (const task of tasks) {
        expect(task.scope, `${name}: ${plugin} ${task.taskId}`).toBe('global');
      }
      const ids = tasks.map(t => t.taskId);
      expect(ids).toEqual(
        expect.arrayContaining(
          PORTAL_TASKS[plugin as keyof typeof PORTAL_TASKS] ?? [],
        ),
      );
      // Each has its one row in the plugin's database, shared by both.
      const rows = postgres.query(
        `backstage_plugin_${plugin}`,
        'SELECT id FROM backstage_backend_tasks__tasks',
      );
      expect(rows).toEqual(expect.arrayContaining(ids));
    }
  }

  // In every plugin, one holder per task at a time (scheduledRuns checks
  // that), and each run released by the replica that claimed it.
  const summary: string[] = [];
  for (const database of schedulerDatabases) {
    for (const [id, runs] of scheduledRuns(database)) {
      for (const run of runs.filter(r => r.released)) {
        expect(run.releasedBy, `${id} released by another`).toBe(run.replica);
      }
      const by = (r: Replica) => runs.filter(run => run.replica === r).length;
      summary.push(`${id}: ${by('replica-a')} on A, ${by('replica-b')} on B`);
    }
  }
  test
    .info()
    .annotations.push({ type: 'runs', description: summary.join('; ') });

  // The Keycloak sync, as each replica's log tells it: every sync lies
  // within a run its replica claimed in the database, one sync per run,
  // and no two syncs overlap.
  const allSyncs = () =>
    (['replica-a', 'replica-b'] as const).flatMap(name =>
      keycloakSyncs(name).map(sync => ({ ...sync, name })),
    );
  await waitFor(
    'three Keycloak syncs since the audit began',
    async () => allSyncs().length >= 3,
    { attempts: 60, intervalMs: 500 },
  );
  const syncs = allSyncs();
  const runs =
    scheduledRuns('backstage_plugin_catalog').get(KEYCLOAK_TASK) ?? [];
  const matched = syncs.map(sync =>
    runs.findIndex(
      run =>
        run.replica === sync.name &&
        run.claimed <= sync.start + 1 &&
        run.released !== undefined &&
        sync.end! <= run.released + 1,
    ),
  );
  expect(matched).not.toContain(-1);
  expect(new Set(matched).size).toBe(matched.length);
  const ordered = [...syncs].sort((x, y) => x.start - y.start);
  for (let i = 1; i < ordered.length; i++) {
    expect(ordered[i].start).toBeGreaterThanOrEqual(ordered[i - 1].end!);
  }
});

test('a replica killed mid-task: the other one finishes the task', async () => {
  const a = replicas['replica-a'];
  const b = replicas['replica-b'];
  const taskId = await startTask(a.baseUrl, await adminToken(a), 6);
  await waitFor(
    'the slow step to run on replica A',
    async () =>
      taskEvents(taskId).includes('log wait processing') &&
      taskAudit(taskId).includes('processing replica-a'),
    { attempts: 120, intervalMs: 250 },
  );
  const killedAt = Date.now();
  await a.kill();
  expect(taskStatus(taskId)).toBe('processing');

  // Replica B takes it up once its heartbeat is older than staleTimeout
  // (10 s here); its recovery loop looks every 10 s.
  await waitFor(
    'the orphaned task to end',
    async () => ENDED.includes(taskStatus(taskId)),
    { attempts: 120, intervalMs: 500 },
  );
  test.info().annotations.push({
    type: 'recovery',
    description: `task ended ${
      Date.now() - killedAt
    } ms after replica A was killed`,
  });
  expect(taskStatus(taskId)).toBe('completed');
  expect(taskAudit(taskId)).toEqual([
    'processing replica-a',
    'open replica-b',
    'processing replica-b',
    'completed replica-b',
  ]);
  // It resumed after the last completed step (B logs it as skipped) and ran
  // the interrupted one again.
  const events = taskEvents(taskId);
  const count = (event: string) => events.filter(e => e === event).length;
  expect(events.filter(e => e.startsWith('recovered'))).toHaveLength(1);
  expect(count('log before processing')).toBe(1);
  expect(count('log wait processing')).toBe(2);
  expect(count('log wait completed')).toBe(1);
  expect(count('log after processing')).toBe(1);
  expect(count('log after completed')).toBe(1);

  // B goes on serving, and takes over the scheduled work; a run A held
  // when it died stays held until its timeout (20 s here) has passed and
  // the scheduler's janitor (every minute) has freed it.
  const token = await adminToken(b);
  expect((await api(b.baseUrl, token, 'catalog/entities?limit=1')).status).toBe(
    200,
  );
  await waitFor(
    'replica B to run the Keycloak sync',
    async () =>
      (scheduledRuns('backstage_plugin_catalog').get(KEYCLOAK_TASK) ?? []).some(
        run => run.replica === 'replica-b' && run.claimed > killedAt,
      ),
    { attempts: 180, intervalMs: 500 },
  );
});
