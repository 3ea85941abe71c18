import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { guardedSchedulerServiceFactory } from './guardedSchedulerServiceFactory';

/** A plugin with one scheduled task and one route of its own. */
const plugin = createBackendPlugin({
  pluginId: 'sample',
  register(env) {
    env.registerInit({
      deps: {
        scheduler: coreServices.scheduler,
        httpRouter: coreServices.httpRouter,
      },
      async init({ scheduler, httpRouter }) {
        await scheduler.scheduleTask({
          id: 'sample-sync',
          frequency: { hours: 1 },
          timeout: { minutes: 1 },
          initialDelay: { hours: 1 },
          fn: async () => {},
        });
        httpRouter.use((_req, res) => {
          res.json({ own: true });
        });
      },
    });
  },
});

async function backend(result: AuthorizeResult.ALLOW | AuthorizeResult.DENY) {
  const { server } = await startTestBackend({
    features: [
      plugin,
      guardedSchedulerServiceFactory,
      mockServices.permissions.factory({ result }),
    ],
  });
  return server;
}

const TASKS = '/api/sample/.backstage/scheduler/v1/tasks';

describe('the scheduler task API', () => {
  it('refuses callers without portal.scheduler.manage, and changes nothing', async () => {
    const server = await backend(AuthorizeResult.DENY);
    const user = mockCredentials.user.header('user:default/bob');
    expect(
      (await request(server).get(TASKS).set('Authorization', user)).status,
    ).toBe(403);
    const trigger = await request(server)
      .post(`${TASKS}/sample-sync/trigger`)
      .set('Authorization', user);
    expect(trigger.status).toBe(403);
    const cancel = await request(server)
      .post(`${TASKS}/sample-sync/cancel`)
      .set('Authorization', user);
    expect(cancel.status).toBe(403);
    // Another plugin's own credentials are no way in either.
    const service = mockCredentials.service.header({
      onBehalfOf: mockCredentials.service('plugin:catalog'),
      targetPluginId: 'sample',
    });
    expect(
      (await request(server).get(TASKS).set('Authorization', service)).status,
    ).toBe(403);
    // The plugin's own routes are untouched.
    const own = await request(server)
      .get('/api/sample/anything')
      .set('Authorization', user);
    expect(own.body).toEqual({ own: true });
  });

  it('serves platform admins', async () => {
    const server = await backend(AuthorizeResult.ALLOW);
    const admin = mockCredentials.user.header('user:default/alice');
    const tasks = await request(server).get(TASKS).set('Authorization', admin);
    expect(tasks.status).toBe(200);
    expect(tasks.body.tasks.map((t: { taskId: string }) => t.taskId)).toEqual([
      'sample-sync',
    ]);
  });
});
