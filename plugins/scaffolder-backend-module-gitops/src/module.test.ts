import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  TemplateAction,
  scaffolderActionsExtensionPoint,
} from '@backstage/plugin-scaffolder-node';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import request from 'supertest';
import scaffolderModuleGitops from './index';

describe('scaffolderModuleGitops', () => {
  it('registers the gitops actions with the scaffolder', async () => {
    const actions: TemplateAction<any, any, any>[] = [];
    await startTestBackend({
      extensionPoints: [
        [
          scaffolderActionsExtensionPoint,
          {
            addActions: (...a: TemplateAction<any, any, any>[]) =>
              actions.push(...a),
          },
        ],
      ],
      features: [
        scaffolderModuleGitops,
        mockServices.rootConfig.factory({
          data: {
            gitops: {
              repoUrl: 'http://127.0.0.1:1/gitops.git',
              provider: 'git',
            },
          },
        }),
      ],
    });
    expect(actions.map(a => a.id)).toEqual([
      'gitops:repo:fetch',
      'gitops:manifests:validate',
      'gitops:kustomize:set-image',
      'gitops:change:publish',
    ]);
    for (const action of actions) {
      expect(action.supportsDryRun).toBe(true);
      expect(action.examples?.length).toBeGreaterThan(0);
      expect(action.schema?.input).toBeDefined();
    }
  });

  it('lists the actions with their JSON schemas in the real scaffolder', async () => {
    const { server } = await startTestBackend({
      features: [
        scaffolderPlugin,
        scaffolderModuleGitops,
        mockServices.rootConfig.factory({
          data: { gitops: { repoUrl: 'http://127.0.0.1:1/gitops.git' } },
        }),
      ],
    });
    const res = await request(server)
      .get('/api/scaffolder/v2/actions')
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    const publish = res.body.find(
      (a: { id: string }) => a.id === 'gitops:change:publish',
    );
    expect(publish.schema.input).toMatchObject({
      type: 'object',
      required: expect.arrayContaining(['branchName', 'title', 'description']),
      properties: {
        sourcePath: { type: 'string' },
        branchName: { type: 'string' },
      },
    });
    expect(res.body.map((a: { id: string }) => a.id)).toEqual(
      expect.arrayContaining([
        'gitops:repo:fetch',
        'gitops:manifests:validate',
        'gitops:kustomize:set-image',
        'gitops:change:publish',
      ]),
    );
  });

  it('refuses to start on an invalid provider', async () => {
    await expect(
      startTestBackend({
        extensionPoints: [
          [scaffolderActionsExtensionPoint, { addActions: () => {} }],
        ],
        features: [
          scaffolderModuleGitops,
          mockServices.rootConfig.factory({
            data: {
              gitops: {
                repoUrl: 'https://git.example.com/gitops.git',
                provider: 'svn',
              },
            },
          }),
        ],
      }),
    ).rejects.toThrow(/gitops.provider must be one of git, github, gitlab/);
  });
});
