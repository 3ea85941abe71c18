import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  commitAndPush,
  GitHttpServer,
  seedRepository,
  startGitHttpServer,
} from '@internal/dev-git-server';
import request from 'supertest';
import gitopsPlugin from './index';

// Every test runs git against a loopback server; a loaded CI machine is slow.
jest.setTimeout(30_000);

const scaffolder = mockCredentials.service.header({
  onBehalfOf: mockCredentials.service('plugin:scaffolder'),
  targetPluginId: 'gitops',
});
const bob = mockCredentials.user.header('user:default/bob');

describe('gitops backend plugin', () => {
  let dir: string;
  let git: GitHttpServer;

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gitops-plugin-'));
    await fs.mkdir(path.join(dir, 'seed/teams/team-payments'), {
      recursive: true,
    });
    await fs.writeFile(
      path.join(dir, 'seed/teams/team-payments/a.yaml'),
      'a: 1\n',
    );
    await seedRepository(
      path.join(dir, 'repos'),
      'gitops.git',
      path.join(dir, 'seed'),
    );
    git = await startGitHttpServer({ root: path.join(dir, 'repos') });
  });
  afterAll(async () => {
    await git.stop();
    await fs.rm(dir, { recursive: true, force: true });
  });

  async function start(result: AuthorizeResult.ALLOW | AuthorizeResult.DENY) {
    const { server } = await startTestBackend({
      features: [
        gitopsPlugin,
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: 'http://portal.example.com' },
            gitops: {
              repoUrl: git.url('gitops.git'),
              mirrorDirectory: path.join(dir, `mirror-${result}`),
            },
          },
        }),
        mockServices.permissions.factory({ result }),
        // A request without a token is no one, as in the real backend.
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        catalogServiceMock.factory({
          entities: [
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Component',
              metadata: {
                name: 'api',
                annotations: {
                  'gitops.portal/folder': 'services/team-payments/api',
                },
              },
              spec: { owner: 'group:default/team-payments' },
            },
          ],
        }),
      ],
    });
    return server;
  }

  async function publishedRecord(branch: string) {
    const { commit, parent } = await commitAndPush({
      repoUrl: git.url('gitops.git'),
      branch,
      files: {
        'services/team-payments/api/base/deployment.yaml': 'kind: Deployment\n',
      },
    });
    return {
      template: 'template:default/deploy-service',
      requester: 'user:default/bob',
      team: 'group:default/team-payments',
      title: 'Deploy service api for team-payments',
      provider: 'git',
      branch,
      forgeUrl: `${git.url('gitops')}/compare/main...${branch}`,
      paths: ['services/team-payments/api/base/deployment.yaml'],
      baseCommit: parent,
      headCommit: commit,
      merged: false,
    };
  }

  it('records change requests from the scaffolder only', async () => {
    const server = await start(AuthorizeResult.ALLOW);
    const body = await publishedRecord(
      'portal/deploy-service/team-payments/api',
    );
    const post = (authorization?: string) => {
      const req = request(server)
        .post('/api/gitops/change-requests')
        .send(body);
      return authorization ? req.set('Authorization', authorization) : req;
    };
    expect((await post()).status).toBe(401);
    expect((await post(bob)).status).toBe(403);
    const catalog = mockCredentials.service.header({
      onBehalfOf: mockCredentials.service('plugin:catalog'),
      targetPluginId: 'gitops',
    });
    expect((await post(catalog)).status).toBe(403);
    const bad = await request(server)
      .post('/api/gitops/change-requests')
      .set('Authorization', scaffolder)
      .send({ ...body, headCommit: '; rm -rf /' });
    expect(bad.status).toBe(400);
    expect(
      (
        await request(server)
          .get('/api/gitops/change-requests')
          .set('Authorization', bob)
      ).body.totalCount,
    ).toBe(0);

    const first = await post(scaffolder);
    expect(first.status).toBe(201);
    expect(first.body.url).toBe(
      `http://portal.example.com/gitops/changes/${first.body.id}`,
    );
    // The same request published again is the same change request.
    const again = await post(scaffolder);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
  });

  it('serves change requests, their files and an entity summary to readers', async () => {
    const server = await start(AuthorizeResult.ALLOW);
    const recorded = await request(server)
      .post('/api/gitops/change-requests')
      .set('Authorization', scaffolder)
      .send(await publishedRecord('portal/deploy-service/team-payments/api-2'));
    const { id } = recorded.body;
    const get = (url: string) =>
      request(server).get(url).set('Authorization', bob);

    const mine = await get('/api/gitops/change-requests?scope=mine&state=open');
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((r: { id: string }) => r.id)).toContain(id);
    const one = await get(`/api/gitops/change-requests/${id}`);
    expect(one.body).toMatchObject({
      id,
      state: 'open',
      team: 'group:default/team-payments',
      folders: ['services/team-payments/api'],
    });
    const files = await get(`/api/gitops/change-requests/${id}/files`);
    expect(files.status).toBe(200);
    expect(files.body).toEqual([
      {
        path: 'services/team-payments/api/base/deployment.yaml',
        status: 'added',
        patch: expect.stringContaining('+kind: Deployment'),
      },
    ]);
    const summary = await get(
      '/api/gitops/entity-summary?entityRef=component:default/api',
    );
    expect(summary.body).toMatchObject({
      folder: 'services/team-payments/api',
      openChangeRequests: [expect.objectContaining({ id })],
    });
    expect(summary.body.folderUrl).toContain(
      '/src/branch/main/services/team-payments/api',
    );

    expect((await get('/api/gitops/change-requests/not-a-uuid')).status).toBe(
      400,
    );
    expect(
      (
        await get(
          '/api/gitops/change-requests/00000000-0000-4000-8000-000000000000',
        )
      ).status,
    ).toBe(404);
    expect(
      (await get('/api/gitops/change-requests?state=everything')).status,
    ).toBe(400);
    expect(
      (await get('/api/gitops/entity-summary?entityRef=component:default/nope'))
        .status,
    ).toBe(404);
  });

  it('refuses every read to a caller the policy denies', async () => {
    const server = await start(AuthorizeResult.DENY);
    for (const url of [
      '/api/gitops/change-requests',
      '/api/gitops/change-requests/00000000-0000-4000-8000-000000000000',
      '/api/gitops/change-requests/00000000-0000-4000-8000-000000000000/files',
      '/api/gitops/entity-summary?entityRef=component:default/api',
    ]) {
      expect(
        (await request(server).get(url).set('Authorization', bob)).status,
      ).toBe(403);
      expect((await request(server).get(url)).status).toBe(401);
    }
  });
});
