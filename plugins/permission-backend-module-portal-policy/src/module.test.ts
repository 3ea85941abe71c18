import {
  BackstageUserPrincipal,
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { NotFoundError } from '@backstage/errors';
import type { KeycloakOwnership } from '@internal/auth-backend-module-keycloak-provider';
import permissionPlugin from '@backstage/plugin-permission-backend';
import Router from 'express-promise-router';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import request from 'supertest';
import permissionModulePortalPolicy from './index';

/** The policy file of the repository, so its bindings are tested too. */
const POLICY_FILE = resolve(__dirname, '../../../permission-policy.yaml');

/** What sign-in would put in each user's token (see catalog/org.yaml). */
const GROUPS: Record<string, string[]> = {
  'user:default/alice': ['group:default/platform-team'],
  'user:default/bob': ['group:default/team-payments'],
  'user:default/carol': ['group:default/team-search'],
  'user:default/dave': [],
};

const SIGNED_IN_AT = '2026-05-04T08:00:00.000Z';

/**
 * What the auth plugin's Keycloak ownership route answers (the route itself
 * is tested in plugins/auth-backend-module-keycloak-provider, and end to end
 * in e2e/integration/keycloak.spec.ts). Alice signed in with a Keycloak
 * token that adds team-payments; erin, who has no User entity, signed in
 * with team-search in her token only; carol and dave never signed in.
 */
const OWNERSHIP: Record<string, KeycloakOwnership> = {
  'user:default/alice': {
    userEntityRef: 'user:default/alice',
    ownershipEntityRefs: [
      'user:default/alice',
      'group:default/platform-team',
      'group:default/team-payments',
    ],
    source: 'sign-in',
    signedInAt: SIGNED_IN_AT,
  },
  'user:default/bob': {
    userEntityRef: 'user:default/bob',
    ownershipEntityRefs: ['user:default/bob', 'group:default/team-payments'],
    source: 'sign-in',
    signedInAt: SIGNED_IN_AT,
  },
  'user:default/erin': {
    userEntityRef: 'user:default/erin',
    ownershipEntityRefs: ['user:default/erin', 'group:default/team-search'],
    source: 'sign-in',
    signedInAt: SIGNED_IN_AT,
  },
  'user:default/carol': {
    userEntityRef: 'user:default/carol',
    ownershipEntityRefs: ['user:default/carol', 'group:default/team-search'],
    source: 'catalog',
  },
  'user:default/dave': {
    userEntityRef: 'user:default/dave',
    ownershipEntityRefs: ['user:default/dave'],
    source: 'catalog',
  },
};

/** Who called the auth stand-in, as its httpAuth saw them. */
const authCallers: string[] = [];

/** A stand-in for the auth plugin, serving only the ownership route. */
const authStandIn = createBackendPlugin({
  pluginId: 'auth',
  register(reg) {
    reg.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
      },
      async init({ httpRouter, httpAuth }) {
        const router = Router();
        router.get('/keycloak/ownership', async (req, res) => {
          const credentials = await httpAuth.credentials(req, {
            allow: ['service'],
          });
          authCallers.push(credentials.principal.subject);
          const user = String(req.query.user);
          if (user === 'user:default/broken') {
            throw new Error('database is gone');
          }
          if (!OWNERSHIP[user]) {
            throw new NotFoundError(
              `${user} has never signed in with Keycloak and is not in the catalog`,
            );
          }
          res.json(OWNERSHIP[user]);
        });
        httpRouter.use(router);
      },
    });
  },
});

function startBackend(policyFile = POLICY_FILE, reloadInterval?: string) {
  return startTestBackend({
    features: [
      permissionPlugin,
      permissionModulePortalPolicy,
      mockServices.rootConfig.factory({
        data: {
          permission: {
            enabled: true,
            portalPolicy: {
              policyFile,
              ...(reloadInterval && { reloadInterval }),
            },
          },
        },
      }),
      mockServices.userInfo.mock({
        async getUserInfo(credentials) {
          const ref = (credentials.principal as BackstageUserPrincipal)
            .userEntityRef;
          return {
            userEntityRef: ref,
            ownershipEntityRefs: [ref, ...(GROUPS[ref] ?? [])],
          };
        },
      }).factory,
      authStandIn,
    ],
  });
}

type Server = Awaited<ReturnType<typeof startTestBackend>>['server'];

describe('permissionModulePortalPolicy', () => {
  let server: Server;

  beforeAll(async () => {
    ({ server } = await startBackend());
  });

  async function authorize(token: string, names: string[]) {
    const res = await request(server)
      .post('/api/permission/authorize')
      .set('Authorization', `Bearer ${token}`)
      .send({
        items: names.map((name, i) => ({
          id: String(i),
          permission: { type: 'basic', name, attributes: {} },
        })),
      });
    expect(res.status).toBe(200);
    return res.body.items.map((item: { result: string }) => item.result);
  }

  const ASKED = [
    'catalog.entity.create',
    'catalog.location.create',
    'scaffolder.task.create',
    'kubernetes.clusters.read',
    'kubernetes.proxy',
    'portal.policy.explain',
    'never.registered.permission',
  ];

  it.each([
    [
      'alice',
      'platform-admin',
      ['ALLOW', 'ALLOW', 'ALLOW', 'ALLOW', 'ALLOW', 'ALLOW', 'DENY'],
    ],
    [
      'bob',
      'developer',
      ['DENY', 'DENY', 'ALLOW', 'ALLOW', 'DENY', 'DENY', 'DENY'],
    ],
    [
      'carol',
      'developer and template-author',
      ['ALLOW', 'ALLOW', 'ALLOW', 'ALLOW', 'DENY', 'DENY', 'DENY'],
    ],
    [
      'dave',
      'no role',
      ['DENY', 'DENY', 'DENY', 'DENY', 'DENY', 'DENY', 'DENY'],
    ],
  ])(
    'authorizes %s (%s) by the groups of the token',
    async (name, _, results) => {
      await expect(
        authorize(mockCredentials.user.token(`user:default/${name}`), ASKED),
      ).resolves.toEqual(results);
    },
  );

  it('answers a plugin asking on behalf of a user with conditions', async () => {
    const res = await request(server)
      .post('/api/permission/authorize')
      .set(
        'Authorization',
        `Bearer ${mockCredentials.user.token('user:default/bob', {
          actor: { subject: 'plugin:catalog' },
        })}`,
      )
      .send({
        items: [
          {
            id: '1',
            permission: {
              type: 'resource',
              name: 'catalog.entity.delete',
              attributes: { action: 'delete' },
              resourceType: 'catalog-entity',
            },
          },
        ],
      });
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      {
        id: '1',
        result: 'CONDITIONAL',
        pluginId: 'catalog',
        resourceType: 'catalog-entity',
        conditions: {
          rule: 'IS_ENTITY_OWNER',
          resourceType: 'catalog-entity',
          params: {
            claims: ['user:default/bob', 'group:default/team-payments'],
          },
        },
      },
    ]);
  });

  it.each([
    ['alice', 'platform-admin', { result: 'ALLOW' }],
    [
      'bob',
      'developer',
      {
        result: 'CONDITIONAL',
        pluginId: 'catalog',
        resourceType: 'catalog-entity',
        conditions: {
          rule: 'IS_ENTITY_OWNER',
          resourceType: 'catalog-entity',
          params: {
            claims: ['user:default/bob', 'group:default/team-payments'],
          },
        },
      },
    ],
    ['dave', 'no role', { result: 'DENY' }],
  ])(
    'answers the argocd plugin about argocd.application.read for %s (%s)',
    async (name, _, expected) => {
      const res = await request(server)
        .post('/api/permission/authorize')
        .set(
          'Authorization',
          `Bearer ${mockCredentials.user.token(`user:default/${name}`, {
            actor: { subject: 'plugin:argocd' },
          })}`,
        )
        .send({
          items: [
            {
              id: '1',
              permission: {
                type: 'resource',
                name: 'argocd.application.read',
                attributes: { action: 'read' },
                resourceType: 'catalog-entity',
              },
            },
          ],
        });
      expect(res.status).toBe(200);
      expect(res.body.items).toEqual([{ id: '1', ...expected }]);
    },
  );

  it('lists portal.policy.explain among the permission plugin permissions', async () => {
    const res = await request(server)
      .get('/api/permission/.well-known/backstage/permissions/metadata')
      .set('Authorization', mockCredentials.service.header());
    expect(res.status).toBe(200);
    expect(res.body.permissions).toContainEqual({
      type: 'basic',
      name: 'portal.policy.explain',
      attributes: { action: 'read' },
    });
  });

  describe('GET /api/permission/portal-policy/explain', () => {
    function explain(caller: string, query: Record<string, string>) {
      return request(server)
        .get('/api/permission/portal-policy/explain')
        .query(query)
        .set('Authorization', mockCredentials.user.header(caller));
    }

    it('explains a conditional grant to a platform admin', async () => {
      const res = await explain('user:default/alice', {
        user: 'user:default/bob',
        permission: 'catalog.entity.delete',
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        user: 'user:default/bob',
        groups: ['group:default/team-payments'],
        groupsFrom: 'sign-in',
        signedInAt: SIGNED_IN_AT,
        groupsNote: `the groups user:default/bob was issued at their last Keycloak sign-in, ${SIGNED_IN_AT}`,
        permission: 'catalog.entity.delete',
        result: 'CONDITIONAL',
        decidedBy: { role: 'developer', group: 'group:default/team-payments' },
        reason:
          'role developer (bound to group:default/team-payments) grants catalog.entity.delete on entities owned by the user or one of their groups',
        conditions: {
          rule: 'IS_ENTITY_OWNER',
          resourceType: 'catalog-entity',
          params: {
            claims: ['user:default/bob', 'group:default/team-payments'],
          },
        },
      });
    });

    it('names the binding that allows, and says why it denies', async () => {
      const allowed = await explain('user:default/alice', {
        user: 'carol',
        permission: 'catalog.location.create',
      });
      expect(allowed.body).toMatchObject({
        user: 'user:default/carol',
        groups: ['group:default/team-search'],
        groupsFrom: 'catalog',
        groupsNote:
          "user:default/carol has never signed in with Keycloak: the groups are the catalog's memberOf only, without the groups of a Keycloak token",
        result: 'ALLOW',
        decidedBy: {
          role: 'template-author',
          group: 'group:default/team-search',
        },
      });

      const denied = await explain('user:default/alice', {
        user: 'user:default/dave',
        permission: 'catalog.entity.read',
      });
      expect(denied.body).toMatchObject({
        groups: [],
        result: 'DENY',
        decidedBy: null,
        reason: 'user:default/dave is in no group bound to a role',
      });
      expect(denied.body.signedInAt).toBeUndefined();
    });

    it('decides on the groups of the last Keycloak sign-in, token groups included', async () => {
      authCallers.length = 0;
      const res = await explain('user:default/alice', {
        user: 'user:default/alice',
        permission: 'catalog.entity.delete',
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        // team-payments is only in alice's Keycloak token
        groups: ['group:default/platform-team', 'group:default/team-payments'],
        groupsFrom: 'sign-in',
        signedInAt: SIGNED_IN_AT,
        result: 'ALLOW',
        decidedBy: {
          role: 'platform-admin',
          group: 'group:default/platform-team',
        },
      });

      // Only erin's token puts her in team-search, whose template-author
      // role is what allows this.
      const erin = await explain('user:default/alice', {
        user: 'user:default/erin',
        permission: 'catalog.location.create',
      });
      expect(erin.body).toMatchObject({
        groups: ['group:default/team-search'],
        groupsFrom: 'sign-in',
        result: 'ALLOW',
        decidedBy: {
          role: 'template-author',
          group: 'group:default/team-search',
        },
      });
      // Asked with the permission plugin's own credentials, not the caller's.
      expect(authCallers).toEqual(['plugin:permission', 'plugin:permission']);
    });

    it('refuses callers without portal.policy.explain', async () => {
      authCallers.length = 0;
      const res = await explain('user:default/bob', {
        user: 'user:default/alice',
        permission: 'catalog.entity.delete',
      });
      expect(res.status).toBe(403);
      expect(res.body.error).toMatchObject({
        name: 'NotAllowedError',
        message: expect.stringContaining('needs portal.policy.explain'),
      });
      // Nobody's groups were looked up for the refused caller.
      expect(authCallers).toEqual([]);
    });

    it.each([
      [{ permission: 'catalog.entity.read' }, 400, 'InputError'],
      [
        { user: 'group:default/team-search', permission: 'x' },
        400,
        'InputError',
      ],
      [{ user: 'user:default/nobody', permission: 'x' }, 404, 'NotFoundError'],
      [
        { user: 'user:default/broken', permission: 'x' },
        503,
        'ServiceUnavailableError',
      ],
    ])('rejects %j with %i', async (query, status, name) => {
      const res = await explain('user:default/alice', query);
      expect(res.status).toBe(status);
      expect(res.body.error.name).toBe(name);
    });
  });

  describe('GET /api/permission/portal-policy/status', () => {
    it('tells a platform admin which file is in force', async () => {
      const res = await request(server)
        .get('/api/permission/portal-policy/status')
        .set(
          'Authorization',
          mockCredentials.user.header('user:default/alice'),
        );
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        file: POLICY_FILE,
        loadedAt: expect.any(String),
        sha256: createHash('sha256')
          .update(readFileSync(POLICY_FILE))
          .digest('hex'),
        bindings: 4,
        checkedAt: expect.any(String),
        reloadIntervalMs: 5000,
        lastError: null,
      });
    });

    it.each([
      ['a developer', mockCredentials.user.header('user:default/bob'), 403],
      [
        'a user in no bound group',
        mockCredentials.user.header('user:default/dave'),
        403,
      ],
      ['a plugin', mockCredentials.service.header(), 403],
      ['nobody', mockCredentials.none.header(), 401],
    ])('refuses %s', async (_, header, status) => {
      const res = await request(server)
        .get('/api/permission/portal-policy/status')
        .set('Authorization', header);
      expect(res.status).toBe(status);
      expect(JSON.stringify(res.body)).not.toContain(POLICY_FILE);
    });
  });

  it('applies a changed policy file while running and keeps a malformed one out', async () => {
    const file = join(
      mkdtempSync(join(tmpdir(), 'portal-policy-')),
      'policy.yaml',
    );
    const developers =
      'bindings:\n  - role: developer\n    groups: [group:default/team-payments]\n';
    writeFileSync(file, developers);
    const backend = await startBackend(file, '1s');
    try {
      const as = (name: string) =>
        mockCredentials.user.token(`user:default/${name}`);
      const createEntity = async () =>
        (
          await request(backend.server)
            .post('/api/permission/authorize')
            .set('Authorization', `Bearer ${as('bob')}`)
            .send({
              items: [
                {
                  id: '1',
                  permission: {
                    type: 'basic',
                    name: 'catalog.entity.create',
                    attributes: {},
                  },
                },
              ],
            })
        ).body.items[0].result;
      const status = () =>
        request(backend.server)
          .get('/api/permission/portal-policy/status')
          .set('Authorization', `Bearer ${as('bob')}`);
      const within = async (what: string, check: () => Promise<boolean>) => {
        for (let i = 0; i < 50; i++) {
          if (await check()) return;
          await new Promise(r => setTimeout(r, 100));
        }
        throw new Error(`Timed out waiting for ${what}`);
      };

      expect(await createEntity()).toBe('DENY');
      expect((await status()).status).toBe(403);

      writeFileSync(
        file,
        'bindings:\n  - role: platform-admin\n    groups: [group:default/team-payments]\n',
      );
      await within(
        'bob to be a platform admin',
        async () => (await createEntity()) === 'ALLOW',
      );
      const granted = await status();
      expect(granted.status).toBe(200);
      expect(granted.body.lastError).toBeNull();

      writeFileSync(
        file,
        'bindings:\n  - role: developer\n    groups: team-payments\n',
      );
      await within(
        'the error to show',
        async () => (await status()).body.lastError !== null,
      );
      const { body } = await status();
      expect(body.lastError).toEqual({
        at: expect.any(String),
        file,
        line: 3,
        message: `Permission policy file ${file}, line 3: "groups" must be a non-empty list`,
      });
      expect(body.sha256).toBe(granted.body.sha256);
      expect(await createEntity()).toBe('ALLOW');
    } finally {
      await backend.stop();
    }
  });

  it('refuses to start on a malformed policy file, naming file and line', async () => {
    const file = join(
      mkdtempSync(join(tmpdir(), 'portal-policy-')),
      'policy.yaml',
    );
    writeFileSync(
      file,
      'bindings:\n  - role: root\n    groups: [group:default/platform-team]\n',
    );
    await expect(startBackend(file)).rejects.toThrow(
      `Permission policy file ${file}, line 2: unknown role "root"`,
    );
  });
});
