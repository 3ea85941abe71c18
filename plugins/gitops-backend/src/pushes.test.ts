import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import gitopsPlugin from './index';

const REPO_URL = 'https://git.example.com/platform/gitops.git';

describe('gitops backend plugin and push events', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gitops-pushes-'));
  });
  afterAll(() => fs.rm(dir, { recursive: true, force: true }));

  it('triggers the change-request poll task on a push to the base branch, and on nothing else', async () => {
    const events = mockServices.events();
    const scheduler = mockServices.scheduler.mock();
    const backend = await startTestBackend({
      features: [
        gitopsPlugin,
        scheduler.factory,
        createServiceFactory({
          service: eventsServiceRef,
          deps: {},
          factory: () => events,
        }),
        catalogServiceMock.factory(),
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: 'http://portal.example.com' },
            gitops: { repoUrl: REPO_URL, mirrorDirectory: dir },
          },
        }),
      ],
    });
    expect(scheduler.scheduleTask).toHaveBeenCalledWith(
      expect.objectContaining({ id: 'change-request-poll', scope: 'global' }),
    );
    const repository = { clone_url: REPO_URL };
    for (const eventPayload of [
      { ref: 'refs/heads/feature', repository },
      { ref: 'refs/heads/main', repository: { clone_url: 'https://x/y.git' } },
    ]) {
      await events.publish({ topic: 'gitops', eventPayload });
    }
    await events.publish({
      topic: 'github.issues',
      eventPayload: { ref: 'refs/heads/main', repository },
    });
    await new Promise(resolve => setTimeout(resolve, 100));
    expect(scheduler.triggerTask).not.toHaveBeenCalled();

    await events.publish({
      topic: 'gitlab.push',
      eventPayload: {
        object_kind: 'push',
        ref: 'refs/heads/main',
        project: { git_http_url: REPO_URL },
      },
    });
    await new Promise(resolve => setTimeout(resolve, 100));
    expect(scheduler.triggerTask).toHaveBeenCalledTimes(1);
    expect(scheduler.triggerTask).toHaveBeenCalledWith('change-request-poll');
    await backend.stop();
  });
});
