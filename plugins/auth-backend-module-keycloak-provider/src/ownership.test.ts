import { Entity } from '@backstage/catalog-model';
import { keycloakOwnershipRefs } from './ownership';

const carol: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name: 'carol', namespace: 'default' },
  spec: { memberOf: ['team-search'] },
  relations: [
    { type: 'memberOf', targetRef: 'group:default/team-search' },
    // Not a group: never ownership.
    { type: 'memberOf', targetRef: 'user:default/someone' },
    { type: 'ownerOf', targetRef: 'component:default/search-api' },
  ],
};

describe('keycloakOwnershipRefs', () => {
  it('is the user, their catalog groups and their token groups, once each', () => {
    expect(
      keycloakOwnershipRefs('user:default/carol', {
        entity: carol,
        tokenGroups: [
          '/engineering/platform-team',
          '/team-search',
          '/Not A Group',
        ],
      }),
    ).toEqual([
      'user:default/carol',
      'group:default/team-search',
      'group:default/platform-team',
    ]);
  });

  it('is the catalog groups alone without a token', () => {
    expect(
      keycloakOwnershipRefs('user:default/carol', { entity: carol }),
    ).toEqual(['user:default/carol', 'group:default/team-search']);
  });

  it('is the token groups alone without a User entity', () => {
    expect(
      keycloakOwnershipRefs('user:default/dave', {
        tokenGroups: ['/engineering/team-search'],
      }),
    ).toEqual(['user:default/dave', 'group:default/team-search']);
  });
});
