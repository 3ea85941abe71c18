import { keycloakGroupName, keycloakGroupRefs } from './keycloakGroups';

describe('keycloakGroupName', () => {
  it.each([
    ['/team-payments', 'team-payments'],
    ['team-payments', 'team-payments'],
    ['/engineering/team-payments', 'team-payments'],
    ['/Engineering/Platform-Team', 'platform-team'],
    ['/team-search/', 'team-search'],
  ])('reads %s as %s', (value, name) => {
    expect(keycloakGroupName(value)).toBe(name);
  });

  it.each([
    ['an empty path', '/'],
    ['a name with spaces', '/Team Payments'],
    ['a name with characters entity names forbid', '/payments@eu'],
    ['a name longer than 63 characters', `/${'a'.repeat(64)}`],
    ['a value that is not a string', 42],
  ])('ignores %s', (_, value) => {
    expect(keycloakGroupName(value)).toBeUndefined();
  });
});

describe('keycloakGroupRefs', () => {
  it('maps a groups claim to default-namespace group refs without duplicates', () => {
    expect(
      keycloakGroupRefs([
        '/engineering/team-payments',
        '/team-payments',
        '/not valid',
        '/Engineering',
      ]),
    ).toEqual(['group:default/team-payments', 'group:default/engineering']);
  });

  it('accepts a single group sent as a string and a missing claim', () => {
    expect(keycloakGroupRefs('/team-search')).toEqual([
      'group:default/team-search',
    ]);
    expect(keycloakGroupRefs(undefined)).toEqual([]);
  });
});
