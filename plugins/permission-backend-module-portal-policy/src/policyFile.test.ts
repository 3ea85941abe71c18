import { mockServices } from '@backstage/backend-test-utils';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { loadPolicyFile, parsePolicyFile } from './policyFile';

const FILE = '/repo/permission-policy.yaml';

describe('parsePolicyFile', () => {
  it('reads bindings in file order, keeping group refs as written', () => {
    expect(
      parsePolicyFile(
        [
          '# comment',
          'bindings:',
          '  - role: platform-admin',
          '    groups: [group:default/platform-team]',
          '  - role: developer',
          '    groups:',
          '      - group:default/team-payments',
          '      - group:default/Team-Search',
        ].join('\n'),
        FILE,
      ),
    ).toEqual([
      { role: 'platform-admin', groups: ['group:default/platform-team'] },
      {
        role: 'developer',
        groups: ['group:default/team-payments', 'group:default/Team-Search'],
      },
    ]);
  });

  it('accepts an empty binding list, which denies everyone', () => {
    expect(parsePolicyFile('bindings: []\n', FILE)).toEqual([]);
  });

  it.each([
    [
      'an unknown role',
      [
        'bindings:',
        '  - role: viewer',
        '    groups: [group:default/a]',
        '  - role: superuser',
        '    groups: [group:default/b]',
      ],
      4,
      'unknown role "superuser", expected one of viewer, developer, template-author, platform-admin',
    ],
    [
      'a YAML syntax error',
      ['bindings:', '  - role: viewer', '    groups: group:default/a: x'],
      3,
      'YAML syntax error: Nested mappings are not allowed in compact mappings',
    ],
    [
      'a user where a group belongs',
      [
        'bindings:',
        '  - role: viewer',
        '    groups:',
        '      - group:default/a',
        '      - user:default/alice',
      ],
      5,
      '"user:default/alice" is not a group reference of the form group:<namespace>/<name>',
    ],
    [
      'a namespace that is not a valid namespace',
      ['bindings:', '  - role: viewer', '    groups: [group:Default/a]'],
      3,
      '"group:Default/a" is not a group reference',
    ],
    [
      'a group ref without a namespace',
      ['bindings:', '  - role: viewer', '    groups: [platform-team]'],
      3,
      '"platform-team" is not a group reference',
    ],
    [
      'an unknown key in a binding',
      [
        'bindings:',
        '  - role: viewer',
        '    groups: [group:default/a]',
        '    users: [user:default/alice]',
      ],
      4,
      'unknown key "users", expected "role" and "groups"',
    ],
    [
      'an unknown top-level key',
      ['bindings: []', 'roles: {}'],
      2,
      'unknown key "roles", expected "bindings"',
    ],
    [
      'a missing field',
      [
        'bindings:',
        '  - role: viewer',
        '    groups: [group:default/a]',
        '  - groups: [group:default/b]',
      ],
      4,
      'missing field "role"',
    ],
    [
      'an empty group list',
      ['bindings:', '  - role: viewer', '    groups: []'],
      3,
      '"groups" must be a non-empty list',
    ],
    [
      'a duplicated key',
      [
        'bindings:',
        '  - role: viewer',
        '    role: platform-admin',
        '    groups: [group:default/a]',
      ],
      3,
      'YAML syntax error: Map keys must be unique',
    ],
    ['an empty file', [''], 1, 'expected a mapping with a "bindings" list'],
  ])('fails on %s, naming the file and line', (_, lines, line, reason) => {
    expect(() => parsePolicyFile(lines.join('\n'), FILE)).toThrow(
      expect.objectContaining({
        name: 'PolicyFileError',
        file: FILE,
        line,
        message: expect.stringContaining(
          `Permission policy file ${FILE}, line ${line}: ${reason}`,
        ),
      }),
    );
  });
});

describe('loadPolicyFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'portal-policy-'));

  it('resolves a relative path against the working directory', async () => {
    const file = join(dir, 'policy.yaml');
    const content =
      'bindings:\n  - role: viewer\n    groups: [group:default/a]\n';
    writeFileSync(file, content);
    const config = mockServices.rootConfig({
      data: {
        permission: {
          portalPolicy: { policyFile: relative(process.cwd(), file) },
        },
      },
    });
    await expect(loadPolicyFile(config)).resolves.toEqual({
      path: file,
      // As `sha256sum` prints it.
      sha256: createHash('sha256').update(content).digest('hex'),
      bindings: [{ role: 'viewer', groups: ['group:default/a'] }],
    });
  });

  it('names the file and the setting when the file is missing', async () => {
    const missing = join(dir, 'missing.yaml');
    const config = mockServices.rootConfig({
      data: { permission: { portalPolicy: { policyFile: missing } } },
    });
    await expect(loadPolicyFile(config)).rejects.toThrow(
      expect.objectContaining({
        name: 'PolicyFileError',
        file: missing,
        line: undefined,
        message: expect.stringContaining(
          `Cannot read the permission policy file ${missing} (set in permission.portalPolicy.policyFile); caused by Error: ENOENT`,
        ),
      }),
    );
  });

  it('requires the setting', async () => {
    await expect(
      loadPolicyFile(mockServices.rootConfig({ data: {} })),
    ).rejects.toThrow(
      "Missing required config value at 'permission.portalPolicy.policyFile'",
    );
  });
});
