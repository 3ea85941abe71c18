import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import permissionPlugin from '@backstage/plugin-permission-backend';
import request from 'supertest';
import permissionModulePortalPolicy from './index';

describe('permissionModulePortalPolicy', () => {
  async function authorize(
    server: Awaited<ReturnType<typeof startTestBackend>>['server'],
    names: string[],
  ) {
    const res = await request(server)
      .post('/api/permission/authorize')
      .set('Authorization', mockCredentials.user.header('user:default/guest'))
      .send({
        items: names.map((name, i) => ({
          id: String(i),
          permission: { type: 'basic', name, attributes: {} },
        })),
      });
    expect(res.status).toBe(200);
    return res.body.items.map((item: { result: string }) => item.result);
  }

  it('answers the real permission backend with the browse policy', async () => {
    const { server } = await startTestBackend({
      features: [
        permissionPlugin,
        permissionModulePortalPolicy,
        mockServices.rootConfig.factory({
          data: {
            permission: {
              enabled: true,
              portalPolicy: {
                additionalUserPermissions: ['scaffolder.task.read'],
              },
            },
          },
        }),
      ],
    });

    await expect(
      authorize(server, [
        'catalog.entity.read',
        'scaffolder.task.read',
        'catalog.entity.delete',
        'never.registered.permission',
      ]),
    ).resolves.toEqual(['ALLOW', 'ALLOW', 'DENY', 'DENY']);
  });
});
