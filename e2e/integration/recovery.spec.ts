import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import {
  guestToken,
  listenConfig,
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

/**
 * A scaffolder task whose backend is killed mid-step (SIGKILL, as an OOM
 * kill or a lost node ends it) is taken up again by the next backend on the
 * same PostgreSQL 15 database, instead of staying "processing" for the
 * scaffolder's 24-hour janitor. Recovery is switched on by app-config.yaml;
 * this test only shortens its timeout.
 */
const appConfig = path.join(repoRoot, 'app-config.yaml');
const TEMPLATE = 'recovery-test';

/** Test-only template: a slow first step to kill the backend in, then one more. */
function templateYaml() {
  return [
    'apiVersion: scaffolder.backstage.io/v1beta3',
    'kind: Template',
    'metadata:',
    `  name: ${TEMPLATE}`,
    '  title: Recovery test (integration tests only)',
    'spec:',
    '  owner: group:default/platform-team',
    '  type: service',
    '  steps:',
    '    - id: wait',
    '      name: Wait',
    '      action: debug:wait',
    '      input:',
    '        seconds: 8',
    '    - id: log',
    '      name: Log',
    '      action: debug:log',
    '      input:',
    '        message: after the wait',
    '',
  ].join('\n');
}

let postgres: PostgresCluster;
let dir: string;
let configFiles: string[];
let port: number;
let backend: SpawnedBackend | undefined;

test.beforeAll(async () => {
  dir = scratchDir('recovery');
  postgres = await startPostgres(dir);
  const template = path.join(dir, 'template.yaml');
  fs.writeFileSync(template, templateYaml());
  port = await freePort();
  const listen = listenConfig(port);
  configFiles = [
    appConfig,
    writeConfig(dir, 'recovery.json', {
      ...listen,
      backend: {
        ...listen.backend,
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
      catalog: {
        locations: [
          {
            type: 'file',
            target: path.join(repoRoot, 'catalog/org.yaml'),
            rules: [{ allow: ['User', 'Group'] }],
          },
          { type: 'file', target: template, rules: [{ allow: ['Template'] }] },
        ],
      },
      // Short, so the test does not wait a minute for the heartbeat to age.
      // A string replaces app-config.yaml's value; an object would be merged
      // into it field by field.
      scaffolder: { taskRecovery: { staleTimeout: '3s' } },
    }),
  ];
});

test.afterAll(async () => {
  await backend?.stop();
  postgres?.destroy();
});

async function startBackend() {
  backend = spawnBackend({ port, configFiles });
  await waitUntilReady(backend);
  return backend;
}

function taskRow(taskId: string) {
  return postgres.query(
    'backstage_plugin_scaffolder',
    `SELECT status FROM tasks WHERE id = '${taskId}'`,
  )[0];
}

function eventsOf(taskId: string) {
  return postgres
    .query(
      'backstage_plugin_scaffolder',
      `SELECT event_type || ' ' || body FROM task_events WHERE task_id = '${taskId}' ORDER BY id`,
    )
    .map(line => {
      const [type, ...body] = line.split(' ');
      return { type, body: JSON.parse(body.join(' ')) };
    });
}

/** Starts the template as the guest, once sign-in carries the platform team. */
async function startTask(baseUrl: string): Promise<string> {
  let taskId = '';
  await waitFor('the guest to be allowed to run the template', async () => {
    const res = await fetch(`${baseUrl}/api/scaffolder/v2/tasks`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await guestToken(baseUrl)}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        templateRef: `template:default/${TEMPLATE}`,
        values: {},
      }),
    });
    if (res.status !== 201) {
      return false;
    }
    taskId = (await res.json()).id;
    return true;
  });
  return taskId;
}

test('a task whose backend is killed mid-step is finished by the next backend', async () => {
  const first = await startBackend();
  const taskId = await startTask(first.baseUrl);
  await waitFor(
    'the slow step to start',
    async () =>
      eventsOf(taskId).some(
        e => e.body.stepId === 'wait' && e.body.status === 'processing',
      ),
    { attempts: 120, intervalMs: 250 },
  );
  await first.kill();

  // Orphaned: processing, heartbeat frozen, the slow step never finished.
  expect(taskRow(taskId)).toBe('processing');
  expect(
    eventsOf(taskId).some(
      e => e.body.stepId === 'wait' && e.body.status === 'completed',
    ),
  ).toBe(false);

  const second = await startBackend();
  const restarted = Date.now();
  // The recovery loop looks every 10 s; then the 8 s step runs once more.
  await waitFor(
    'the orphaned task to end',
    async () => ['completed', 'failed'].includes(taskRow(taskId)),
    { attempts: 120, intervalMs: 500 },
  ).catch(error => {
    throw new Error(
      `${error.message}: ${taskRow(taskId)}, events ${JSON.stringify(
        eventsOf(taskId),
      )}\n${second.output().slice(-6000)}`,
    );
  });
  test.info().annotations.push({
    type: 'recovery',
    description: `task ended ${
      Date.now() - restarted
    } ms after the second backend was ready`,
  });

  const events = eventsOf(taskId);
  expect(events.map(e => e.type)).toContain('recovered');
  expect(taskRow(taskId)).toBe('completed');
  expect(
    events.some(e => e.body.stepId === 'log' && e.body.status === 'completed'),
  ).toBe(true);

  // The task's owner sees it finished through the API as well.
  const res = await fetch(
    `${second.baseUrl}/api/scaffolder/v2/tasks/${taskId}`,
    {
      headers: { authorization: `Bearer ${await guestToken(second.baseUrl)}` },
    },
  );
  expect(res.status).toBe(200);
  expect((await res.json()).status).toBe('completed');
});
