import { mockCredentials } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import { BROWSE_PERMISSIONS, BrowsePolicy } from './browsePolicy';

const asUser = {
  credentials: mockCredentials.user('user:default/guest'),
  info: {
    userEntityRef: 'user:default/guest',
    ownershipEntityRefs: ['user:default/guest'],
  },
};

const permission = (name: string) => createPermission({ name, attributes: {} });

describe('BrowsePolicy', () => {
  const policy = new BrowsePolicy();

  it.each([...BROWSE_PERMISSIONS])('allows a signed-in user %s', async name => {
    await expect(
      policy.handle({ permission: permission(name) }, asUser),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
  });

  it.each([
    'catalog.entity.create',
    'catalog.entity.delete',
    'catalog.entity.refresh',
    'catalog.location.create',
    'catalog.location.delete',
    'kubernetes.proxy',
    'scaffolder.task.create',
    'scaffolder.action.execute',
    'scaffolder.template.management',
    'a-plugin.nobody.has.heard.of',
  ])('denies a signed-in user %s', async name => {
    await expect(
      policy.handle({ permission: permission(name) }, asUser),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
  });

  it('denies browse permissions to requests without a user', async () => {
    const read = permission('catalog.entity.read');
    await expect(policy.handle({ permission: read })).resolves.toEqual({
      result: AuthorizeResult.DENY,
    });
  });

  it('grants configured additions and nothing more', async () => {
    const extended = new BrowsePolicy({
      additionalUserPermissions: ['scaffolder.task.create'],
    });
    await expect(
      extended.handle(
        { permission: permission('scaffolder.task.create') },
        asUser,
      ),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
    await expect(
      extended.handle(
        { permission: permission('scaffolder.task.cancel') },
        asUser,
      ),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
  });
});
