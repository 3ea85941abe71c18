import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import {
  commitAndPush,
  GitHttpServer,
  seedRepository,
  startGitHttpServer,
} from '@internal/dev-git-server';
import {
  freePort,
  PostgresCluster,
  repoRoot,
  scratchDir,
  spawnBackend,
  SpawnedBackend,
  startPostgres,
  waitFor,
  waitUntilReady,
  writeConfig,
} from '@internal/test-harness';
import { pushPayload, serviceFiles, sign } from '../support/gitopsCatalog';

/**
 * The GitOps catalog provider on two replicas, as the chart runs it: two
 * real backends on one throwaway PostgreSQL 15 cluster (one database per
 * plugin), each with its own mirror of one real Git repository served over
 * HTTP on loopback. Which replica runs the provider's scheduled task is
 * steered from PostgreSQL itself: each replica connects under its own
 * `application_name`, and a trigger refuses the other replica's claims of
 * the task while one is pinned. Another trigger records every claim and
 * release, and each replica's log tells when its runs began and ended.
 */
test.describe.configure({ mode: 'serial' });

type Replica = 'replica-a' | 'replica-b';
const SECRET = 'gitops-catalog-replicas-webhook-secret';
const CI_TOKEN = 'gitops-catalog-replicas-ci-token';
const TASK = 'gitops-repository:refresh';
const CATALOG_DB = 'backstage_plugin_catalog';
/** Clock and rounding slack between the log's and PostgreSQL's times. */
const SLACK_MS = 25;

let dir: string;
let bare: string;
let git: GitHttpServer;
let postgres: PostgresCluster;
const replicas = {} as Record<Replica, SpawnedBackend>;

function replicaConfig(name: Replica, port: number) {
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    app: { baseUrl },
    backend: {
      baseUrl,
      listen: { port, host: '127.0.0.1' },
      cors: { origin: baseUrl },
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
      auth: {
        externalAccess: [
          {
            type: 'static',
            options: { token: CI_TOKEN, subject: 'gitops-replicas-spec' },
            accessRestrictions: [
              { plugin: 'catalog', permission: 'catalog.entity.read' },
            ],
          },
        ],
      },
    },
    gitops: {
      repoUrl: git.url('gitops.git'),
      mirrorDirectory: path.join(dir, `mirror-${name}`),
    },
    catalog: {
      locations: [],
      providers: {
        // Half an hour: every run in these tests was asked for by a push
        // (or a replica's start).
        gitops: {
          schedule: { frequency: { minutes: 30 }, timeout: { minutes: 5 } },
        },
      },
    },
    events: { modules: { gitops: { webhookSecret: SECRET } } },
  };
}

test.beforeAll(async () => {
  dir = scratchDir('gitops-catalog-replicas');
  const seed = path.join(dir, 'seed');
  for (const [file, content] of Object.entries(
    serviceFiles('team-payments', 'payments-api'),
  )) {
    fs.mkdirSync(path.dirname(path.join(seed, file)), { recursive: true });
    fs.writeFileSync(path.join(seed, file), content);
  }
  bare = await seedRepository(path.join(dir, 'repos'), 'gitops.git', seed);
  git = await startGitHttpServer({ root: path.join(dir, 'repos') });
  postgres = await startPostgres(dir);
  // Both at once on the empty database: the start-up lock orders them.
  for (const name of ['replica-a', 'replica-b'] as const) {
    const port = await freePort();
    const config = writeConfig(dir, `${name}.json`, replicaConfig(name, port));
    replicas[name] = spawnBackend({
      port,
      configFiles: [path.join(repoRoot, 'app-config.yaml'), config],
    });
  }
  await Promise.all(Object.values(replicas).map(r => waitUntilReady(r)));
  installPinAndAudit();
});

test.afterAll(async () => {
  for (const [name, backend] of Object.entries(replicas)) {
    await backend.stop();
    fs.writeFileSync(path.join(dir, `${name}.log`), backend.output());
  }
  await git?.stop();
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

/**
 * In the catalog's database: `e2e_pin` names the one replica that may
 * claim the provider's task (none: either), and `e2e_claims` records who
 * claimed and released it, when.
 */
function installPinAndAudit() {
  postgres.query(
    CATALOG_DB,
    `CREATE TABLE e2e_pin (replica text NOT NULL);
    CREATE TABLE e2e_claims (
      seq bigserial PRIMARY KEY, event text NOT NULL, replica text NOT NULL,
      at timestamptz DEFAULT clock_timestamp());
    CREATE FUNCTION e2e_pin() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.id = '${TASK}' AND OLD.current_run_ticket IS NULL
        AND NEW.current_run_ticket IS NOT NULL
        AND EXISTS (SELECT 1 FROM e2e_pin
          WHERE replica <> current_setting('application_name')) THEN
        RETURN NULL;
      END IF;
      RETURN NEW;
    END $$;
    CREATE FUNCTION e2e_claims() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO e2e_claims (event, replica)
        VALUES (TG_ARGV[0], current_setting('application_name'));
      RETURN NULL;
    END $$;
    CREATE TRIGGER e2e_pin BEFORE UPDATE ON backstage_backend_tasks__tasks
      FOR EACH ROW EXECUTE FUNCTION e2e_pin();
    CREATE TRIGGER e2e_claim AFTER UPDATE ON backstage_backend_tasks__tasks
      FOR EACH ROW WHEN (NEW.id = '${TASK}' AND OLD.current_run_ticket IS NULL
        AND NEW.current_run_ticket IS NOT NULL)
      EXECUTE FUNCTION e2e_claims('claim');
    CREATE TRIGGER e2e_release AFTER UPDATE ON backstage_backend_tasks__tasks
      FOR EACH ROW WHEN (NEW.id = '${TASK}' AND OLD.current_run_ticket IS NOT NULL
        AND NEW.current_run_ticket IS NULL)
      EXECUTE FUNCTION e2e_claims('release');`,
  );
}

function pin(replica: Replica | undefined) {
  postgres.query(
    CATALOG_DB,
    `DELETE FROM e2e_pin;${
      replica ? ` INSERT INTO e2e_pin VALUES ('${replica}');` : ''
    }`,
  );
}

/** Claims of the task, each with its release once there is one. */
function claims() {
  const result: Array<{ replica: string; claimed: number; released?: number }> =
    [];
  for (const line of postgres.query(
    CATALOG_DB,
    'SELECT event, replica, (extract(epoch FROM at) * 1000)::bigint FROM e2e_claims ORDER BY seq',
  )) {
    const [event, replica, at] = line.split('|');
    if (event === 'claim') result.push({ replica, claimed: +at });
    // A run under way when the trigger was installed shows as a release.
    else if (result.length) result[result.length - 1].released = +at;
  }
  return result;
}

/** A merge to main, made in the forge: no request reaches the server. */
async function merge(files: Record<string, string>, remove: string[] = []) {
  const { commit } = await commitAndPush({
    repoUrl: `file://${bare}`,
    branch: 'main',
    files,
    remove,
  });
  return commit;
}

/** The Git server's push webhook for a commit, sent to one replica. */
async function announce(replica: Replica, commit: string) {
  const body = pushPayload(git.url('gitops.git'), commit);
  const res = await fetch(
    `${replicas[replica].baseUrl}/api/events/http/gitops`,
    {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-gitea-event': 'push',
        'x-hub-signature-256': sign(body, SECRET),
      },
      body,
    },
  );
  expect(res.status).toBe(202);
}

/** The provider's runs that did something, from a replica's log. */
function loggedRuns(replica: Replica) {
  return (
    replicas[replica]
      .output()
      // eslint-disable-next-line no-control-regex
      .replace(/\x1b\[[0-9;]*m/g, '')
      .split('\n')
      .flatMap(text => {
        const run = text.match(
          /GitOps catalog: (full|delta) run to ([0-9a-f]{12}):.*\((\d+) ms, git/,
        );
        if (!run) return [];
        const end = Date.parse(text.slice(0, 24));
        return [
          { replica, kind: run[1], commit: run[2], start: end - +run[3], end },
        ];
      })
  );
}

async function ranTo(replica: Replica, commit: string) {
  await waitFor(
    `${replica} to run to ${commit.slice(0, 12)}`,
    async () =>
      loggedRuns(replica).some(run => run.commit === commit.slice(0, 12)),
    { attempts: 120, intervalMs: 500 },
  );
}

async function component(name: string) {
  const res = await fetch(
    `${replicas['replica-b'].baseUrl}/api/catalog/entities/by-name/component/default/${name}`,
    { headers: { authorization: `Bearer ${CI_TOKEN}` } },
  );
  expect([200, 404]).toContain(res.status);
  return res.status === 200;
}

test('a burst of pushes to both replicas: runs one after the other, each inside its claim of the task', async () => {
  const since = Date.now();
  const names: string[] = [];
  for (let i = 0; i < 6; i++) {
    names.push(`burst-${i}`);
    const commit = await merge(serviceFiles('team-payments', `burst-${i}`));
    await Promise.all([
      announce('replica-a', commit),
      announce('replica-b', commit),
      announce('replica-a', commit),
    ]);
    // Spread over several runs, so pushes also land while one is under way.
    await new Promise(resolve => setTimeout(resolve, 1500));
  }
  await waitFor(
    'every burst service in the catalog',
    async () => (await Promise.all(names.map(component))).every(Boolean),
    { attempts: 120, intervalMs: 500 },
  );
  const runs = [...loggedRuns('replica-a'), ...loggedRuns('replica-b')]
    .filter(run => run.start >= since - SLACK_MS)
    .sort((x, y) => x.start - y.start);
  test.info().annotations.push({
    type: 'runs',
    description: runs
      .map(r => `${r.kind} to ${r.commit} on ${r.replica}`)
      .join('; '),
  });
  expect(runs.length).toBeGreaterThan(1);
  for (let i = 1; i < runs.length; i++) {
    expect(
      runs[i].start,
      `${runs[i].replica}'s run overlaps ${runs[i - 1].replica}'s`,
    ).toBeGreaterThanOrEqual(runs[i - 1].end - SLACK_MS);
  }
  const held = claims();
  for (const run of runs) {
    expect(
      held.some(
        claim =>
          claim.replica === run.replica &&
          claim.claimed <= run.start + SLACK_MS &&
          claim.released !== undefined &&
          run.end <= claim.released + SLACK_MS,
      ),
      `${run.kind} run to ${run.commit} on ${run.replica} within its claim`,
    ).toBe(true);
  }
});

test('an entity added on one replica and removed on the other is gone once the first is stopped', async () => {
  // Each replica applies a merge of its own: B's last run is before the
  // entity exists.
  for (const replica of ['replica-b', 'replica-a'] as const) {
    const merged = await merge({ 'README.md': `# Last run by ${replica}\n` });
    pin(replica);
    await announce(replica, merged);
    await ranTo(replica, merged);
  }

  // Replica A adds the entity...
  const added = await merge(serviceFiles('team-payments', 'ephemeral'));
  pin('replica-a');
  await announce('replica-a', added);
  await ranTo('replica-a', added);
  await waitFor('ephemeral in the catalog', () => component('ephemeral'), {
    attempts: 60,
    intervalMs: 500,
  });
  // ...and goes away before it runs again.
  await replicas['replica-a'].stop();
  pin(undefined);

  // Replica B, whose last own run was before the entity was added, applies
  // its removal.
  const removed = await merge({}, ['services/team-payments/ephemeral']);
  await announce('replica-b', removed);
  await ranTo('replica-b', removed);
  await waitFor(
    'ephemeral to leave the catalog',
    async () => !(await component('ephemeral')),
    { attempts: 20, intervalMs: 500 },
  );
});
