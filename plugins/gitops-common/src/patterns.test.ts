import {
  DNS1035_LABEL,
  DNS1123_LABEL,
  DNS1123_SUBDOMAIN,
  IMAGE_DIGEST,
  IMAGE_NAME,
  IMAGE_REPOSITORY,
  IMAGE_TAG,
  KUSTOMIZATION_FILES,
  ONE_LINE,
  TEAM_GROUP_REF,
} from './patterns';

describe('patterns', () => {
  it.each([
    [
      DNS1123_LABEL,
      ['a', 'team-payments', '0day'],
      ['-a', 'a-', 'A', 'a.b', 'a_b', ''],
    ],
    [DNS1123_SUBDOMAIN, ['a.b', 'a-1.b-2'], ['a..b', '.a', 'a.', 'A.b']],
    [DNS1035_LABEL, ['api', 'payments-api2'], ['2api', '-api', 'api-', 'Api']],
    [
      TEAM_GROUP_REF,
      ['group:default/team-payments'],
      [
        'group:other/team',
        'user:default/bob',
        'group:default/Team',
        'group:default/team\nkind: X',
      ],
    ],
    [ONE_LINE, ['', 'a: b # c'], ['a\nb', 'a\rb']],
    [
      IMAGE_TAG,
      ['1.4.2', 'v1_2-rc.1', 'a'.repeat(128)],
      ['-1', '.1', 'bad tag', 'a'.repeat(129)],
    ],
    [
      IMAGE_REPOSITORY,
      ['quay.io/acme/api', 'registry.local:5000/team/app'],
      ['api', 'quay.io/acme/api:1', 'quay.io//api', 'Quay.io/acme'],
    ],
    [
      IMAGE_NAME,
      ['api', 'acme/api', '127.0.0.1:5000/x/y', 'quay.io/acme/api'],
      ['api:1', 'quay.io/acme/../x', '/api', 'API'],
    ],
    [IMAGE_DIGEST, [`sha256:${'0a'.repeat(32)}`], ['sha256:xyz', 'md5']],
  ])('%s accepts and refuses what it should', (pattern, good, bad) => {
    for (const value of good)
      expect([value, pattern.test(value)]).toEqual([value, true]);
    for (const value of bad)
      expect([value, pattern.test(value)]).toEqual([value, false]);
  });

  it('lists the kustomization file names in kustomize’s order', () => {
    expect(KUSTOMIZATION_FILES).toEqual([
      'kustomization.yaml',
      'kustomization.yml',
      'Kustomization',
    ]);
  });
});
