import {
  AuditorService,
  BackstageUserInfo,
} from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import {
  catalogEntityCreatePermission,
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
  catalogEntityRefreshPermission,
  catalogEntityValidatePermission,
  catalogIngestionManagePermission,
  catalogIngestionReadPermission,
  catalogLocationAnalyzePermission,
  catalogLocationCreatePermission,
  catalogLocationDeletePermission,
  catalogLocationReadPermission,
  catalogPermissions,
} from '@backstage/plugin-catalog-common/alpha';
import {
  kubernetesClustersReadPermission,
  kubernetesPermissions,
  kubernetesProxyPermission,
  kubernetesResourcesReadPermission,
} from '@backstage/plugin-kubernetes-common';
import {
  AuthorizeResult,
  ConditionalPolicyDecision,
  Permission,
  PermissionCondition,
  PermissionCriteria,
  createPermission,
} from '@backstage/plugin-permission-common';
import {
  actionExecutePermission,
  scaffolderPermissions,
  taskCancelPermission,
  taskCreatePermission,
  taskReadPermission,
  templateDryRunPermission,
  templateManagementPermission,
  templateParameterReadPermission,
  templateStepReadPermission,
} from '@backstage/plugin-scaffolder-common/alpha';
import {
  argocdApplicationReadPermission,
  argocdPermissions,
} from '@internal/plugin-argocd-common';
import { kubernetesSecretsReadPermission } from '@internal/plugin-kubernetes-backend-module-secret-guard';
import {
  gitopsChangeRequestReadPermission,
  gitopsPermissions,
} from '@internal/plugin-gitops-common';
import { portalSchedulerManagePermission } from '@internal/portal-backend-runtime';
import { portalPolicyExplainPermission } from './permissions';
import { RoleBinding } from './policyFile';
import { PortalPolicy } from './portalPolicy';
import { Grant, RoleName } from './roles';

const BINDINGS: RoleBinding[] = [
  { role: 'platform-admin', groups: ['group:default/admins'] },
  { role: 'template-author', groups: ['group:default/authors'] },
  { role: 'developer', groups: ['group:default/devs'] },
  { role: 'viewer', groups: ['group:default/viewers'] },
];

/** One user per column of the table, each in one group. */
const USERS = {
  'no role': user('user:default/nora', 'group:default/nobody'),
  viewer: user('user:default/vic', 'group:default/viewers'),
  developer: user('user:default/dev', 'group:default/devs'),
  'template-author': user('user:default/tara', 'group:default/authors'),
  'platform-admin': user('user:default/ada', 'group:default/admins'),
};

function user(userEntityRef: string, ...groups: string[]): BackstageUserInfo {
  return { userEntityRef, ownershipEntityRefs: [userEntityRef, ...groups] };
}

type Expected =
  | 'ALLOW'
  | 'DENY'
  | ((user: BackstageUserInfo) => ConditionalPolicyDecision);

function conditional(
  pluginId: string,
  resourceType: string,
  conditions: (u: BackstageUserInfo) => PermissionCriteria<PermissionCondition>,
): Expected {
  return u => ({
    result: AuthorizeResult.CONDITIONAL,
    pluginId,
    resourceType,
    conditions: conditions(u),
  });
}

/** Everything but templates tagged platform-team-only. */
const VISIBLE = conditional('catalog', 'catalog-entity', () => ({
  not: {
    allOf: [
      {
        rule: 'IS_ENTITY_KIND',
        resourceType: 'catalog-entity',
        params: { kinds: ['Template'] },
      },
      {
        rule: 'HAS_METADATA',
        resourceType: 'catalog-entity',
        params: { key: 'tags', value: 'platform-team-only' },
      },
    ],
  },
}));

/** Entities owned by the user or one of their groups. */
const OWNED = conditional('catalog', 'catalog-entity', u => ({
  rule: 'IS_ENTITY_OWNER',
  resourceType: 'catalog-entity',
  params: { claims: u.ownershipEntityRefs },
}));

/** Template parameters and steps not tagged platform-team-only. */
const UNTAGGED = conditional('scaffolder', 'scaffolder-template', () => ({
  not: {
    rule: 'HAS_TAG',
    resourceType: 'scaffolder-template',
    params: { tag: 'platform-team-only' },
  },
}));

/** Every action, but a change request only for the user's own groups. */
const OWN_TEAMS = conditional('scaffolder', 'scaffolder-action', u => ({
  anyOf: [
    {
      not: {
        rule: 'HAS_ACTION_ID',
        resourceType: 'scaffolder-action',
        params: { actionId: 'gitops:change:publish' },
      },
    },
    ...u.ownershipEntityRefs
      .filter(ref => ref.startsWith('group:'))
      .map(ref => ({
        rule: 'HAS_STRING_PROPERTY',
        resourceType: 'scaffolder-action',
        params: { key: 'team', value: ref },
      })),
  ],
}));

/** Change requests the user asked for, or made for one of their groups. */
const OWN_CHANGES = conditional('gitops', 'gitops-change-request', u => ({
  anyOf: [
    {
      rule: 'IS_REQUESTER',
      resourceType: 'gitops-change-request',
      params: { requesters: [u.userEntityRef] },
    },
    {
      rule: 'IS_FOR_TEAM',
      resourceType: 'gitops-change-request',
      params: {
        teams: u.ownershipEntityRefs.filter(ref => ref.startsWith('group:')),
      },
    },
  ],
}));

/** Scaffolder tasks the user started. */
const OWN_TASKS = conditional('scaffolder', 'scaffolder-task', u => ({
  rule: 'IS_TASK_OWNER',
  resourceType: 'scaffolder-task',
  params: { createdBy: [u.userEntityRef] },
}));

const A = 'ALLOW';
const D = 'DENY';

/*
 * TechDocs and search have no permissions of their own in Backstage 1.55:
 * TechDocs pages and search results are filtered by catalog.entity.read.
 */
// prettier-ignore
const TABLE: Array<[Permission, Expected, Expected, Expected, Expected, Expected]> = [
  //                                  no role  viewer   developer  template-author  platform-admin
  // catalog (also TechDocs and search)
  [catalogEntityReadPermission,       D,       VISIBLE, VISIBLE,   VISIBLE,         A],
  [catalogEntityCreatePermission,     D,       D,       D,         A,               A],
  [catalogEntityDeletePermission,     D,       D,       OWNED,     OWNED,           A],
  [catalogEntityRefreshPermission,    D,       D,       OWNED,     A,               A],
  [catalogEntityValidatePermission,   D,       D,       D,         A,               A],
  [catalogLocationReadPermission,     D,       A,       A,         A,               A],
  [catalogLocationCreatePermission,   D,       D,       D,         A,               A],
  [catalogLocationDeletePermission,   D,       D,       D,         A,               A],
  [catalogLocationAnalyzePermission,  D,       D,       D,         A,               A],
  [catalogIngestionReadPermission,    D,       D,       D,         D,               A],
  [catalogIngestionManagePermission,  D,       D,       D,         D,               A],
  // scaffolder
  [templateParameterReadPermission,   D,       D,       UNTAGGED,  UNTAGGED,        A],
  [templateStepReadPermission,        D,       D,       UNTAGGED,  UNTAGGED,        A],
  [templateDryRunPermission,          D,       D,       D,         A,               A],
  [templateManagementPermission,      D,       D,       D,         A,               A],
  [actionExecutePermission,           D,       D,       OWN_TEAMS, OWN_TEAMS,       A],
  [taskCreatePermission,              D,       D,       A,         A,               A],
  [taskReadPermission,                D,       D,       OWN_TASKS, OWN_TASKS,       A],
  [taskCancelPermission,              D,       D,       OWN_TASKS, OWN_TASKS,       A],
  // kubernetes
  [kubernetesClustersReadPermission,  D,       A,       A,         A,               A],
  [kubernetesResourcesReadPermission, D,       A,       A,         A,               A],
  [kubernetesProxyPermission,         D,       D,       D,         D,               A],
  [kubernetesSecretsReadPermission,   D,       D,       D,         D,               A],
  // argocd (applications of owned entities for developers)
  [argocdApplicationReadPermission,   D,       D,       OWNED,     OWNED,           A],
  // gitops (change requests of the user's teams for developers)
  [gitopsChangeRequestReadPermission, D,       D,       OWN_CHANGES, OWN_CHANGES,   A],
  // scheduled tasks of every plugin
  [portalSchedulerManagePermission,   D,       D,       D,         D,               A],
  // permission API
  [portalPolicyExplainPermission,     D,       D,       D,         D,               A],
  // never heard of, or a name that is also an Object.prototype member
  [basic('a-plugin.nobody.has.heard.of'), D,   D,       D,         D,               D],
  [basic('constructor'),              D,       D,       D,         D,               D],
];

const COLUMNS = Object.keys(USERS) as Array<keyof typeof USERS>;

function basic(name: string): Permission {
  return createPermission({ name, attributes: {} });
}

const audited: Array<Record<string, unknown>> = [];
const auditor: AuditorService = {
  async createEvent(options) {
    return {
      success: async params => {
        audited.push({
          ...options,
          meta: { ...options.meta, ...params?.meta },
        });
      },
      fail: async () => {
        throw new Error('the policy never fails an audit event');
      },
    };
  },
};

function asUser(info: BackstageUserInfo) {
  return { credentials: mockCredentials.user(info.userEntityRef), info };
}

const policy = new PortalPolicy({
  bindings: BINDINGS,
  auditor,
});

beforeEach(() => {
  audited.length = 0;
});

describe('PortalPolicy decision table', () => {
  it('has a row for every catalog, scaffolder, Kubernetes and Argo CD permission', () => {
    const rows = new Set(TABLE.map(([permission]) => permission.name));
    const missing = [
      ...catalogPermissions,
      ...scaffolderPermissions,
      ...kubernetesPermissions,
      kubernetesSecretsReadPermission,
      ...argocdPermissions,
      ...gitopsPermissions,
    ].filter(permission => !rows.has(permission.name));
    expect(missing.map(p => p.name)).toEqual([]);
  });

  it.each(
    TABLE.flatMap(([permission, ...expected]) =>
      COLUMNS.map(column => ({
        column,
        name: permission.name,
        permission,
        expected: expected[COLUMNS.indexOf(column)],
      })),
    ),
  )('$column: $name', async ({ column, permission, expected }) => {
    const decision = await policy.handle({ permission }, asUser(USERS[column]));
    expect(decision).toEqual(
      typeof expected === 'function'
        ? expected(USERS[column])
        : { result: expected },
    );
  });

  it.each(TABLE.map(([permission]) => permission.name))(
    'denies %s to a request without a user',
    async name => {
      const [permission] = TABLE.find(([p]) => p.name === name)!;
      await expect(policy.handle({ permission })).resolves.toEqual({
        result: AuthorizeResult.DENY,
      });
    },
  );
});

describe('PortalPolicy', () => {
  it('stops granting with the first request after a membership is removed, on the same token', async () => {
    // The same user and the same token: only the ownership references the
    // permission backend resolved for each request differ.
    const credentials = mockCredentials.user('user:default/dev');
    const member = user('user:default/dev', 'group:default/devs');
    const removed = user('user:default/dev');
    const ask = (info: BackstageUserInfo) =>
      policy.handle(
        { permission: taskCreatePermission },
        { credentials, info },
      );
    await expect(ask(member)).resolves.toEqual({
      result: AuthorizeResult.ALLOW,
    });
    await expect(ask(removed)).resolves.toEqual({
      result: AuthorizeResult.DENY,
    });
    const owned = await policy.handle(
      { permission: catalogEntityDeletePermission },
      { credentials, info: member },
    );
    expect(owned).toMatchObject({
      conditions: {
        params: { claims: ['user:default/dev', 'group:default/devs'] },
      },
    });
  });

  it('grants the union of the roles of all the user groups', async () => {
    const carol = user(
      'user:default/carol',
      'group:default/devs',
      'group:default/authors',
    );
    const both = new PortalPolicy({
      bindings: BINDINGS,
      auditor,
    });
    for (const permission of [
      catalogLocationCreatePermission,
      catalogEntityRefreshPermission,
      taskCreatePermission,
    ]) {
      await expect(both.handle({ permission }, asUser(carol))).resolves.toEqual(
        { result: AuthorizeResult.ALLOW },
      );
    }
    expect(both.evaluate(catalogEntityRefreshPermission.name, carol)).toEqual(
      expect.objectContaining({
        decidedBy: { role: 'template-author', group: 'group:default/authors' },
      }),
    );
  });

  it('combines different conditions of several roles with anyOf', () => {
    const only = (tag: string): Grant => ({
      kind: 'conditional',
      scope: `tag ${tag}`,
      decide: () => ({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'catalog',
        resourceType: 'catalog-entity',
        conditions: {
          rule: 'HAS_LABEL',
          resourceType: 'catalog-entity',
          params: { label: tag },
        },
      }),
    });
    const read = catalogEntityReadPermission.name;
    const synthetic = new PortalPolicy({
      bindings: [
        { role: 'viewer', groups: ['group:default/a'] },
        { role: 'developer', groups: ['group:default/b'] },
      ],
      auditor,
      roles: new Map<RoleName, ReadonlyMap<string, Grant>>([
        ['viewer', new Map([[read, only('x')]])],
        ['developer', new Map([[read, only('y')]])],
      ]),
    });
    const evaluation = synthetic.evaluate(
      read,
      user('user:default/u', 'group:default/a', 'group:default/b'),
    );
    expect(evaluation.decision).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        anyOf: [
          {
            rule: 'HAS_LABEL',
            resourceType: 'catalog-entity',
            params: { label: 'x' },
          },
          {
            rule: 'HAS_LABEL',
            resourceType: 'catalog-entity',
            params: { label: 'y' },
          },
        ],
      },
    });
    expect(evaluation.reason).toBe(
      'role viewer (bound to group:default/a) grants catalog.entity.read on tag x; ' +
        'role developer (bound to group:default/b) grants catalog.entity.read on tag y',
    );
  });

  it('decides with new bindings once they are set, and only with them', () => {
    const reloaded = new PortalPolicy({
      bindings: BINDINGS,
      auditor,
    });
    const dev = USERS.developer;
    const admin = USERS['platform-admin'];
    expect(reloaded.evaluate('catalog.entity.create', dev).decidedBy).toBe(
      null,
    );
    reloaded.setBindings([
      { role: 'platform-admin', groups: ['group:default/devs'] },
    ]);
    expect(reloaded.evaluate('catalog.entity.create', dev).decidedBy).toEqual({
      role: 'platform-admin',
      group: 'group:default/devs',
    });
    // The old file's bindings are gone.
    expect(reloaded.evaluate('catalog.entity.read', admin).reason).toBe(
      'user:default/ada is in no group bound to a role',
    );
  });

  it('matches group refs case-insensitively', () => {
    expect(
      policy.evaluate(
        kubernetesProxyPermission.name,
        user('user:default/x', 'group:Default/Admins'),
      ).decision,
    ).toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('denies a conditional grant asked for as a basic permission', async () => {
    const developer = USERS.developer;
    await expect(
      policy.handle(
        { permission: basic(catalogEntityDeletePermission.name) },
        asUser(developer),
      ),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
    expect(audited[0].meta).toEqual(
      expect.objectContaining({
        reason:
          'catalog.entity.delete is granted only on catalog-entity resources, but the request is not for one',
      }),
    );
  });

  it.each([
    [
      'no user',
      undefined,
      kubernetesClustersReadPermission,
      'the request has no signed-in user',
    ],
    [
      'no role',
      USERS['no role'],
      kubernetesClustersReadPermission,
      'user:default/nora is in no group bound to a role',
    ],
    [
      'a role without the permission',
      USERS.viewer,
      kubernetesProxyPermission,
      "none of the user's roles (viewer) grants kubernetes.proxy",
    ],
    [
      'an unknown permission',
      USERS['platform-admin'],
      basic('a-plugin.nobody.has.heard.of'),
      'a-plugin.nobody.has.heard.of is not a permission this policy knows, so it is denied',
    ],
    [
      'an allowing role',
      USERS.developer,
      taskCreatePermission,
      'role developer (bound to group:default/devs) grants scaffolder.task.create',
    ],
    [
      'a conditional role',
      USERS.developer,
      catalogEntityDeletePermission,
      'role developer (bound to group:default/devs) grants catalog.entity.delete on entities owned by the user or one of their groups',
    ],
  ])('explains a decision for %s', (_, info, permission, reason) => {
    expect(policy.evaluate(permission.name, info).reason).toBe(reason);
  });

  it('audits every decision without credentials', async () => {
    await policy.handle(
      { permission: catalogEntityDeletePermission },
      asUser(USERS.developer),
    );
    await policy.handle({ permission: kubernetesProxyPermission });

    expect(audited).toEqual([
      {
        eventId: 'policy-decision',
        severityLevel: 'medium',
        meta: {
          user: 'user:default/dev',
          permission: 'catalog.entity.delete',
          resourceType: 'catalog-entity',
          result: 'CONDITIONAL',
          role: 'developer',
          group: 'group:default/devs',
          reason: expect.stringContaining('entities owned by the user'),
          evaluationMs: expect.any(Number),
        },
      },
      {
        eventId: 'policy-decision',
        severityLevel: 'medium',
        meta: {
          user: null,
          permission: 'kubernetes.proxy',
          resourceType: null,
          result: 'DENY',
          role: null,
          group: null,
          reason: 'the request has no signed-in user',
          evaluationMs: expect.any(Number),
        },
      },
    ]);
    expect(JSON.stringify(audited)).not.toMatch(/token/i);
  });
});
