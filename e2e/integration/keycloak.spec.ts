import { Browser, expect, test } from '@playwright/test';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  BackendProcess,
  guestToken,
  listenConfig,
  spawnBackend,
  waitUntilReady,
  repoRoot,
  scratchDir,
  writeConfig,
  freePort,
  waitFor,
  PostgresCluster,
  startPostgres,
} from '@internal/test-harness';
import {
  IssuerUsername,
  KEYCLOAK_PROVIDER_ID,
  OidcIssuer,
  keycloakProviderConfig,
  keycloakRedirectUri,
  startOidcIssuer,
} from '@internal/stand-ins';
import { popupSignIn } from '../support/oidcSignIn';

/**
 * Keycloak sign-in end to end: the real backend (with the portal's
 * Keycloak module) against a real OIDC issuer on loopback, driven through
 * the same popup flow the app uses, in Debian's Chromium. The strict
 * backend runs as two replicas on one real PostgreSQL, as in production.
 */

const appConfig = path.join(repoRoot, 'app-config.yaml');
const NO_ENTITY_MESSAGE =
  "Keycloak user 'dave' has no User entity in the catalog; ask the platform team to add one";

let dir: string;
let issuer: OidcIssuer;
let postgres: PostgresCluster;
/** Backends on ports chosen up front, so the issuer knows their redirect URIs. */
let ports: { strict: number; replica: number; allowing: number };

test.beforeAll(async () => {
  dir = scratchDir('keycloak');
  ports = {
    strict: await freePort(),
    replica: await freePort(),
    allowing: await freePort(),
  };
  issuer = await startOidcIssuer({
    redirectUris: Object.values(ports).map(port =>
      keycloakRedirectUri(`http://127.0.0.1:${port}`),
    ),
  });
  postgres = await startPostgres(dir);
});

test.afterAll(async () => {
  await issuer?.close();
  postgres?.destroy();
});

function overlay(port: number, auth: object = {}) {
  return {
    ...listenConfig(port),
    auth: {
      // The OIDC strategy keeps its PKCE verifier in the session.
      session: { secret: 'keycloak-e2e-session-secret' },
      providers: { keycloak: keycloakProviderConfig(issuer) },
      ...auth,
    },
  };
}

/** The strict backend on PostgreSQL: replicas on `port` share everything. */
function replicaOverlay(port: number) {
  const base = overlay(port);
  return {
    ...base,
    backend: {
      ...base.backend,
      database: {
        client: 'pg',
        connection: {
          host: postgres.host,
          port: postgres.port,
          user: postgres.user,
          password: postgres.password,
        },
      },
    },
  };
}

async function startBackend(name: string, config: object) {
  const backend = spawnBackend({
    port: (config as ReturnType<typeof listenConfig>).backend.listen.port,
    configFiles: [appConfig, writeConfig(dir, `${name}.json`, config)],
  });
  try {
    await waitUntilReady(backend);
  } catch (error) {
    await backend.stop();
    throw error;
  }
  return backend;
}

/** Entity providers ingest asynchronously; wait (bounded) until memberships are resolved. */
async function waitForOrg(backend: BackendProcess) {
  await waitFor('catalog/org.yaml with resolved memberships', async () => {
    // A fresh token each time: one issued before the guest User entity was
    // ingested carries no groups, and the policy grants by group.
    const token = await guestToken(backend.baseUrl);
    const res = await fetch(
      `${backend.baseUrl}/api/catalog/entities/by-name/user/default/alice`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    if (res.status !== 200) {
      return false;
    }
    const alice = await res.json();
    return (alice.relations ?? []).some(
      (r: { type: string; targetRef: string }) =>
        r.type === 'memberOf' && r.targetRef === 'group:default/platform-team',
    );
  });
}

/** Signs in through the issuer's login form, as the app does. */
function signIn(
  browser: Browser,
  backend: BackendProcess,
  username: IssuerUsername,
) {
  return popupSignIn(browser, backend.baseUrl, username, 'development');
}

/** What the auth backend recorded for the token's user, as other plugins see it. */
async function userInfo(backend: BackendProcess, token: string) {
  const res = await fetch(`${backend.baseUrl}/api/auth/v1/userinfo`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { claims: { sub: string; ent: string[] } };
}

function jwtPayload(token: string) {
  return JSON.parse(
    Buffer.from(token.split('.')[1], 'base64url').toString('utf8'),
  );
}

async function catalogStatus(backend: BackendProcess, token: string) {
  const res = await fetch(`${backend.baseUrl}/api/catalog/entities?limit=1`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return res.status;
}

test.describe('Keycloak sign-in', () => {
  let backend: BackendProcess;

  test.beforeAll(async () => {
    backend = await startBackend('strict', replicaOverlay(ports.strict));
    await waitForOrg(backend);
  });

  test.afterAll(async () => {
    await backend?.stop();
  });

  test('signs alice in with her catalog groups and her Keycloak groups', async ({
    browser,
  }) => {
    const { message, context } = await signIn(browser, backend, 'alice');
    expect(message.error).toBeUndefined();
    const identity = message.response!.backstageIdentity;
    const expected = [
      // from catalog/org.yaml
      'group:default/platform-team',
      // from the token's groups claim; '/Not A Group' is no entity name
      'group:default/team-payments',
      'user:default/alice',
    ];
    expect(identity.identity.userEntityRef).toBe('user:default/alice');
    expect([...identity.identity.ownershipEntityRefs].sort()).toEqual(expected);
    expect(message.response!.profile.email).toBe('alice@example.com');

    // The token names alice; ownership claims stay out of it by default
    // (auth.omitIdentityTokenOwnershipClaim) and are served by userinfo.
    expect(jwtPayload(identity.token).sub).toBe('user:default/alice');
    const info = await userInfo(backend, identity.token);
    expect(info.claims.sub).toBe('user:default/alice');
    expect([...info.claims.ent].sort()).toEqual(expected);
    expect(await catalogStatus(backend, identity.token)).toBe(200);

    // A page load restores the session from the refresh cookie, through
    // Keycloak's refresh token, to the same identity.
    const refresh = await context.request.post(
      `${backend.baseUrl}/api/auth/${KEYCLOAK_PROVIDER_ID}/refresh?env=development`,
      { headers: { 'x-requested-with': 'XMLHttpRequest' } },
    );
    expect(refresh.status()).toBe(200);
    const refreshed = await refresh.json();
    expect(refreshed.backstageIdentity.identity.userEntityRef).toBe(
      'user:default/alice',
    );
    expect(
      [...refreshed.backstageIdentity.identity.ownershipEntityRefs].sort(),
    ).toEqual(expected);
    await context.close();
  });

  test('signs bob in as bob', async ({ browser }) => {
    const { message, context } = await signIn(browser, backend, 'bob');
    expect(message.response?.backstageIdentity.identity).toEqual({
      type: 'user',
      userEntityRef: 'user:default/bob',
      ownershipEntityRefs: ['user:default/bob', 'group:default/team-payments'],
    });
    await context.close();
  });

  test("keeps a developer away from another team's component", async ({
    browser,
  }) => {
    const { message, context } = await signIn(browser, backend, 'bob');
    const token = message.response!.backstageIdentity.token;
    const headers = {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
    };
    const entityUrl = `${backend.baseUrl}/api/catalog/entities/by-name/component/default/portal-backend`;
    const before = await fetch(entityUrl, { headers });
    expect(before.status).toBe(200);
    const entity = await before.json();
    expect(entity.spec.owner).toBe('platform-team');

    const unregister = await fetch(
      `${backend.baseUrl}/api/catalog/entities/by-uid/${entity.metadata.uid}`,
      { method: 'DELETE', headers },
    );
    expect(unregister.status).toBe(403);
    const refresh = await fetch(`${backend.baseUrl}/api/catalog/refresh`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ entityRef: 'component:default/portal-backend' }),
    });
    expect(refresh.status).toBe(403);

    const after = await fetch(entityUrl, { headers });
    expect(after.status).toBe(200);
    expect((await after.json()).metadata.uid).toBe(entity.metadata.uid);
    await context.close();
  });

  test("refuses mallory, whose unverified email is alice's", async ({
    browser,
  }) => {
    const { message, context } = await signIn(browser, backend, 'mallory');
    expect(message.response).toBeUndefined();
    expect(message.error?.message).toContain(
      "Keycloak user 'mallory' has no User entity in the catalog",
    );
    await context.close();
  });

  test('refuses dave, who has no User entity, and says what to do', async ({
    browser,
  }) => {
    const { message, context } = await signIn(browser, backend, 'dave');
    expect(message.response).toBeUndefined();
    expect(message.error).toEqual({
      name: 'NotAllowedError',
      message: NO_ENTITY_MESSAGE,
    });
    expect(backend.output()).not.toContain(issuer.clientSecret);
    await context.close();
  });

  test.describe('the explain endpoint, asked on another replica', () => {
    /** A second backend on the same PostgreSQL, as in a two-pod install. */
    let replica: BackendProcess;

    test.beforeAll(async () => {
      replica = await startBackend('replica', replicaOverlay(ports.replica));
    });

    test.afterAll(async () => {
      await replica?.stop();
    });

    /** Signs in on the first replica and returns the Backstage token. */
    async function tokenOf(browser: Browser, username: IssuerUsername) {
      const { message, context } = await signIn(browser, backend, username);
      await context.close();
      expect(message.error).toBeUndefined();
      return message.response!.backstageIdentity.token;
    }

    function get(on: BackendProcess, path: string, token?: string) {
      return fetch(`${on.baseUrl}${path}`, {
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
    }

    async function explain(asker: string, user: string, permission: string) {
      const query = new URLSearchParams({ user, permission });
      const res = await get(
        replica,
        `/api/permission/portal-policy/explain?${query}`,
        asker,
      );
      expect(res.status).toBe(200);
      return res.json();
    }

    /** The policy's real answer for the token's own user. */
    async function decide(on: BackendProcess, token: string, name: string) {
      const res = await fetch(`${on.baseUrl}/api/permission/authorize`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          items: [
            { id: '1', permission: { type: 'basic', name, attributes: {} } },
          ],
        }),
      });
      expect(res.status).toBe(200);
      return (await res.json()).items[0].result;
    }

    // kubernetes.proxy and portal.policy.explain are platform-admin only;
    // the catalog has carol in team-search (developer, template-author).
    const PERMISSIONS = [
      'kubernetes.proxy',
      'portal.policy.explain',
      'catalog.location.create',
      'scaffolder.task.create',
    ];

    test("matches the real decision for a group only carol's Keycloak token has", async ({
      browser,
    }) => {
      const alice = await tokenOf(browser, 'alice');

      const before = await explain(alice, 'carol', 'kubernetes.proxy');
      expect(before).toMatchObject({
        user: 'user:default/carol',
        groups: ['group:default/team-search'],
        groupsFrom: 'catalog',
        groupsNote: expect.stringContaining('never signed in with Keycloak'),
        result: 'DENY',
      });

      // carol signs in on the first replica; her token adds platform-team.
      const carol = await tokenOf(browser, 'carol');
      for (const permission of PERMISSIONS) {
        const real = await decide(backend, carol, permission);
        expect(await decide(replica, carol, permission), permission).toBe(real);
        const answer = await explain(alice, 'user:default/carol', permission);
        expect(answer.result, permission).toBe(real);
        expect(answer.groupsFrom).toBe('sign-in');
        expect([...answer.groups].sort()).toEqual([
          'group:default/platform-team',
          'group:default/team-search',
        ]);
      }
      const after = await explain(alice, 'carol', 'kubernetes.proxy');
      expect(after).toMatchObject({
        result: 'ALLOW',
        decidedBy: {
          role: 'platform-admin',
          group: 'group:default/platform-team',
        },
      });
      expect(Date.now() - Date.parse(after.signedInAt)).toBeLessThan(
        10 * 60_000,
      );

      // alice's own token adds team-payments, which explain shows too.
      const self = await explain(alice, 'alice', 'catalog.entity.read');
      expect(self.groupsFrom).toBe('sign-in');
      expect(self.groups).toContain('group:default/team-payments');
    });

    test('refuses the explain endpoint to a developer', async ({ browser }) => {
      const bob = await tokenOf(browser, 'bob');
      const query = new URLSearchParams({
        user: 'user:default/carol',
        permission: 'kubernetes.proxy',
      });
      const res = await get(
        replica,
        `/api/permission/portal-policy/explain?${query}`,
        bob,
      );
      expect(res.status).toBe(403);
      expect(JSON.stringify(await res.json())).not.toContain('team-search');
    });

    test("refuses the auth plugin's ownership route to anyone but the permission plugin", async ({
      browser,
    }) => {
      const alice = await tokenOf(browser, 'alice');
      const path = `/api/auth/${KEYCLOAK_PROVIDER_ID}/ownership?user=user:default/carol`;
      for (const [who, token, status] of [
        ['a platform admin', alice, 403],
        ['nobody', undefined, 401],
      ] as const) {
        for (const on of [backend, replica]) {
          const res = await get(on, path, token);
          expect(res.status, who).toBe(status);
          expect(await res.text(), who).not.toContain('team-search');
        }
      }
    });
  });
});

test.describe('Keycloak sign-in with allowUsersWithoutCatalogEntity', () => {
  let backend: BackendProcess;
  /** A signing key the test knows, so it can make an expired but genuine token. */
  const keyId = 'keycloak-e2e-key';
  let privateKey: crypto.KeyObject;

  test.beforeAll(async () => {
    const pair = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    privateKey = pair.privateKey;
    const publicKeyFile = path.join(dir, 'backstage-public.pem');
    const privateKeyFile = path.join(dir, 'backstage-private.pem');
    fs.writeFileSync(
      publicKeyFile,
      pair.publicKey.export({ type: 'spki', format: 'pem' }),
    );
    fs.writeFileSync(
      privateKeyFile,
      pair.privateKey.export({ type: 'pkcs8', format: 'pem' }),
    );
    backend = await startBackend(
      'allowing',
      overlay(ports.allowing, {
        keycloak: { allowUsersWithoutCatalogEntity: true },
        keyStore: {
          provider: 'static',
          static: {
            keys: [
              { keyId, publicKeyFile, privateKeyFile, algorithm: 'ES256' },
            ],
          },
        },
      }),
    );
    await waitForOrg(backend);
  });

  test.afterAll(async () => {
    await backend?.stop();
  });

  /**
   * A Backstage user token in the auth backend's format, signed by `key`,
   * including the user identity proof (`uip`: the signature of the matching
   * limited user token) that plugins need to act on the user's behalf.
   */
  function userToken(
    key: crypto.KeyObject,
    kid: string,
    claims: { iat: number; exp: number; iss?: string },
  ) {
    const encode = (value: object) =>
      Buffer.from(JSON.stringify(value)).toString('base64url');
    const sign = (header: object, payload: object) => {
      const signed = `${encode(header)}.${encode(payload)}`;
      const signature = crypto
        .sign('sha256', Buffer.from(signed), {
          key,
          dsaEncoding: 'ieee-p1363',
        })
        .toString('base64url');
      return { token: `${signed}.${signature}`, signature };
    };
    // guest: signed in (so known to the policy) while waiting for the org.
    const sub = 'user:default/guest';
    const { iat, exp } = claims;
    const uip = sign(
      { typ: 'vnd.backstage.limited-user', alg: 'ES256', kid },
      { sub, iat, exp },
    ).signature;
    return sign(
      { typ: 'vnd.backstage.user', alg: 'ES256', kid },
      {
        iss: `${backend.baseUrl}/api/auth`,
        sub,
        aud: 'backstage',
        ...claims,
        uip,
      },
    ).token;
  }

  test('lets dave in as user:default/dave with his token groups only', async ({
    browser,
  }) => {
    const { message, context } = await signIn(browser, backend, 'dave');
    expect(message.error).toBeUndefined();
    const identity = message.response!.backstageIdentity;
    expect(identity.identity).toEqual({
      type: 'user',
      userEntityRef: 'user:default/dave',
      ownershipEntityRefs: ['user:default/dave', 'group:default/team-search'],
    });
    expect(await catalogStatus(backend, identity.token)).toBe(200);
    await context.close();
  });

  test('refuses task creation to a user without a role', async ({
    browser,
  }) => {
    const createTask = async (token: string) =>
      fetch(`${backend.baseUrl}/api/scaffolder/v2/tasks`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          templateRef: 'template:default/no-such-template',
          values: {},
        }),
      });
    const erin = await signIn(browser, backend, 'erin');
    expect(erin.message.response?.backstageIdentity.identity).toEqual({
      type: 'user',
      userEntityRef: 'user:default/erin',
      ownershipEntityRefs: ['user:default/erin'],
    });
    const refused = await createTask(
      erin.message.response!.backstageIdentity.token,
    );
    expect(refused.status).toBe(403);
    await erin.context.close();

    // The control: a developer gets past the permission check to the lookup.
    const dave = await signIn(browser, backend, 'dave');
    const looked = await createTask(
      dave.message.response!.backstageIdentity.token,
    );
    expect(looked.status).not.toBe(403);
    expect(looked.status).not.toBe(401);
    await dave.context.close();
  });

  test('still never lets mallory in as alice', async ({ browser }) => {
    const { message, context } = await signIn(browser, backend, 'mallory');
    expect(message.response?.backstageIdentity.identity.userEntityRef).toBe(
      'user:default/mallory',
    );
    await context.close();
  });

  test('rejects Backstage tokens signed by another key, and expired ones', async () => {
    const now = Math.floor(Date.now() / 1000);
    // The control: a fresh token signed with the backend's own key passes.
    expect(
      await catalogStatus(
        backend,
        userToken(privateKey, keyId, { iat: now, exp: now + 600 }),
      ),
    ).toBe(200);

    const otherKey = crypto.generateKeyPairSync('ec', {
      namedCurve: 'P-256',
    }).privateKey;
    const forged = {
      'another issuer and key': userToken(otherKey, 'another-key', {
        iat: now,
        exp: now + 600,
        iss: 'http://127.0.0.1:1/api/auth',
      }),
      "another key under the backend's key id": userToken(otherKey, keyId, {
        iat: now,
        exp: now + 600,
      }),
      'an expired token signed by the backend': userToken(privateKey, keyId, {
        iat: now - 7200,
        exp: now - 3600,
      }),
    };
    for (const [what, token] of Object.entries(forged)) {
      expect(await catalogStatus(backend, token), what).toBe(401);
    }
  });
});
