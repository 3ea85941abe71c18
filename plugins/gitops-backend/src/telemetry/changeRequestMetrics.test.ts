import { createServiceFactory } from '@backstage/backend-plugin-api';
import { metricsServiceRef } from '@backstage/backend-plugin-api/alpha';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { ChangeRequestRecord } from '@internal/plugin-gitops-common';
import { recordMetrics } from '@internal/stand-ins';
import request from 'supertest';
import gitopsPlugin from '../index';
import { ChangeRequestMetrics } from './changeRequestMetrics';

const TEMPLATE = 'template:default/deploy-service';

const RECORD: ChangeRequestRecord = {
  template: TEMPLATE,
  requester: 'user:default/bob',
  team: 'group:default/team-payments',
  title: 'Deploy service api for team-payments',
  provider: 'git',
  branch: 'portal/deploy-service/team-payments/api',
  forgeUrl: 'https://git.example.com/gitops/compare/main...x',
  paths: ['services/team-payments/api/base/deployment.yaml'],
  baseCommit: 'a'.repeat(40),
  headCommit: 'b'.repeat(40),
  merged: false,
};

async function counts(recorder: ReturnType<typeof recordMetrics>) {
  const result: Record<string, unknown> = {};
  for (const name of ['opened', 'merged', 'closed']) {
    result[name] = await recorder.points(`portal.change_requests.${name}`);
  }
  return result;
}

describe('ChangeRequestMetrics', () => {
  it('counts new change requests, and merges and closes the poller sees, by template', async () => {
    const recorder = recordMetrics();
    const metrics = new ChangeRequestMetrics(recorder.meter);
    metrics.recorded(RECORD, true);
    // The same branch published again updates the open request: not a new one.
    metrics.recorded(RECORD, false);
    // Committed straight to the base branch: merged, never opened.
    metrics.recorded(
      { ...RECORD, template: 'template:default/promote-image', merged: true },
      true,
    );
    metrics.transition({ template: TEMPLATE }, 'merged');
    metrics.transition({ template: TEMPLATE }, 'closed');
    metrics.transition({ template: TEMPLATE }, 'healthy');
    metrics.transition({ template: TEMPLATE }, 'degraded');

    expect(await counts(recorder)).toEqual({
      opened: [{ attributes: { template: TEMPLATE }, value: 1 }],
      merged: expect.arrayContaining([
        { attributes: { template: TEMPLATE }, value: 1 },
        {
          attributes: { template: 'template:default/promote-image' },
          value: 1,
        },
      ]),
      closed: [{ attributes: { template: TEMPLATE }, value: 1 }],
    });
  });

  it('counts what the record route of the plugin records, and nothing it refuses', async () => {
    const recorder = recordMetrics();
    const { server } = await startTestBackend({
      features: [
        gitopsPlugin,
        mockServices.rootConfig.factory({
          data: { app: { baseUrl: 'http://portal.example.com' } },
        }),
        createServiceFactory({
          service: metricsServiceRef,
          deps: {},
          factory: () => recorder.meter,
        }),
        catalogServiceMock.factory(),
      ],
    });
    const post = (authorization: string, body: object) =>
      request(server)
        .post('/api/gitops/change-requests')
        .set('authorization', authorization)
        .send(body);

    const scaffolder = mockCredentials.service.header({
      onBehalfOf: mockCredentials.service('plugin:scaffolder'),
      targetPluginId: 'gitops',
    });
    expect((await post(scaffolder, RECORD)).status).toBe(201);
    // Published again: the same open request, updated.
    expect((await post(scaffolder, RECORD)).status).toBe(200);
    const bob = mockCredentials.user.header('user:default/bob');
    expect((await post(bob, RECORD)).status).toBe(403);
    expect(
      (await post(scaffolder, { ...RECORD, baseCommit: 'x' })).status,
    ).toBe(400);

    expect(await counts(recorder)).toEqual({
      opened: [{ attributes: { template: TEMPLATE }, value: 1 }],
      merged: [],
      closed: [],
    });
  });
});
