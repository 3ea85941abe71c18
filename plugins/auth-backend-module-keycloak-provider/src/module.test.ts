import {
  TestDatabases,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import authPlugin from '@backstage/plugin-auth-backend';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import authModuleKeycloak from './index';
import { SignInRecords } from './signInRecords';

/** Serves only the discovery document of a Keycloak-shaped realm on 127.0.0.1. */
async function discoveryStub() {
  let issuer = '';
  const server = http.createServer((req, res) => {
    if (req.url === '/realms/portal/.well-known/openid-configuration') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          issuer,
          authorization_endpoint: `${issuer}/protocol/openid-connect/auth`,
          token_endpoint: `${issuer}/protocol/openid-connect/token`,
          userinfo_endpoint: `${issuer}/protocol/openid-connect/userinfo`,
          jwks_uri: `${issuer}/protocol/openid-connect/certs`,
          response_types_supported: ['code'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
          code_challenge_methods_supported: ['S256'],
        }),
      );
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>(resolve =>
    server.listen(0, '127.0.0.1', () => resolve()),
  );
  const { port } = server.address() as AddressInfo;
  issuer = `http://127.0.0.1:${port}/realms/portal`;
  return {
    issuer,
    close: () => new Promise(resolve => server.close(resolve)),
  };
}

type Providers = Record<string, object>;

function connection(issuer: string, extras: object = {}) {
  return {
    development: {
      metadataUrl: `${issuer}/.well-known/openid-configuration`,
      clientId: 'developer-portal',
      clientSecret: 'module-test-client-secret',
      prompt: 'auto',
      ...extras,
    },
  };
}

function config(providers: Providers) {
  return mockServices.rootConfig.factory({
    data: {
      app: { baseUrl: 'http://localhost:3000' },
      auth: {
        environment: 'development',
        session: { secret: 'module-test-session-secret' },
        providers,
      },
    },
  });
}

const carol = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name: 'carol', namespace: 'default' },
  spec: { memberOf: ['team-search'] },
  relations: [{ type: 'memberOf', targetRef: 'group:default/team-search' }],
};

describe('authModuleKeycloak', () => {
  let stub: Awaited<ReturnType<typeof discoveryStub>>;
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  beforeAll(async () => {
    stub = await discoveryStub();
  });

  afterAll(async () => {
    await stub.close();
  });

  async function start(
    providers: Providers,
    logger = mockServices.logger.mock(),
  ) {
    const knex = await databases.init('SQLITE_3');
    const { server } = await startTestBackend({
      features: [
        authPlugin,
        authModuleKeycloak,
        config(providers),
        logger.factory,
        // As in the real backend: a request without a token has no principal.
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        mockServices.database.factory({ knex }),
        catalogServiceMock.factory({ entities: [carol] }),
      ],
    });
    return { server, knex, logger };
  }

  async function signInRedirect(
    server: Awaited<ReturnType<typeof start>>['server'],
    provider = 'keycloak',
  ) {
    const res = await request(server).get(
      `/api/auth/${provider}/start?env=development&scope=openid%20profile%20email`,
    );
    const location = new URL(res.header.location ?? 'about:blank');
    return { res, location };
  }

  it('serves the keycloak provider and sends sign-in to the Keycloak realm', async () => {
    const { server } = await start({ keycloak: connection(stub.issuer) });

    const { res, location } = await signInRedirect(server);

    expect(res.status).toBe(302);
    expect(`${location.origin}${location.pathname}`).toBe(
      `${stub.issuer}/protocol/openid-connect/auth`,
    );
    expect(location.searchParams.get('client_id')).toBe('developer-portal');
    expect(location.searchParams.get('scope')?.split(' ')).toEqual(
      expect.arrayContaining(['openid', 'profile', 'email']),
    );
    expect(location.searchParams.get('redirect_uri')).toMatch(
      /\/api\/auth\/keycloak\/handler\/frame$/,
    );
    // The old provider id is gone, not a second way in.
    expect((await signInRedirect(server, 'oidc')).res.status).toBe(404);
  });

  it('does not let a declarative resolver in config replace the portal rules', async () => {
    const resolvers = {
      signIn: {
        resolvers: [{ resolver: 'emailMatchingUserEntityProfileEmail' }],
      },
    };
    await expect(
      start({ keycloak: connection(stub.issuer, resolvers) }),
    ).rejects.toThrow(
      "Sign-in resolver 'emailMatchingUserEntityProfileEmail' is not available",
    );
    // Not through the old key either.
    await expect(
      start({
        keycloak: connection(stub.issuer),
        oidc: { development: resolvers },
      }),
    ).rejects.toThrow(
      "Sign-in resolver 'emailMatchingUserEntityProfileEmail' is not available",
    );
  });

  it('still applies settings under the old key auth.providers.oidc, with a warning', async () => {
    const { server, logger } = await start({
      keycloak: connection(stub.issuer),
      oidc: {
        development: { prompt: 'login', additionalScopes: ['offline_access'] },
      },
    });
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        'auth.providers.oidc is deprecated: it is the old name of auth.providers.keycloak',
      ),
    );
    const { location } = await signInRedirect(server);
    expect(location.searchParams.get('scope')?.split(' ')).toContain(
      'offline_access',
    );
    // The new key's own settings win over the old key's: `auto` sends none.
    expect(location.searchParams.get('prompt')).toBeNull();
  });

  it('refuses to start with Keycloak configured under the old key alone', async () => {
    await expect(start({ oidc: connection(stub.issuer) })).rejects.toThrow(
      'Keycloak sign-in is configured under auth.providers.oidc, its old name. Rename it to auth.providers.keycloak',
    );
  });

  describe('GET /api/auth/keycloak/ownership', () => {
    const asPermissionPlugin = mockCredentials.service.header({
      onBehalfOf: mockCredentials.service('plugin:permission'),
      targetPluginId: 'auth',
    });

    function ownership(
      server: Awaited<ReturnType<typeof start>>['server'],
      authorization: string | undefined,
      user = 'user:default/carol',
    ) {
      const req = request(server)
        .get('/api/auth/keycloak/ownership')
        .query({ user });
      return authorization ? req.set('Authorization', authorization) : req;
    }

    it('answers the permission plugin from the last sign-in, else from the catalog', async () => {
      const { server, knex } = await start({
        keycloak: connection(stub.issuer),
      });

      const before = await ownership(server, asPermissionPlugin);
      expect(before.status).toBe(200);
      expect(before.body).toEqual({
        userEntityRef: 'user:default/carol',
        ownershipEntityRefs: [
          'user:default/carol',
          'group:default/team-search',
        ],
        source: 'catalog',
      });

      // What a sign-in with platform-team in carol's token records.
      const records = await SignInRecords.create({
        getClient: async () => knex,
      });
      const signedInAt = new Date('2026-05-04T08:00:00.000Z');
      const issued = [
        'user:default/carol',
        'group:default/team-search',
        'group:default/platform-team',
      ];
      await records.record('user:default/carol', issued, signedInAt);

      const after = await ownership(server, asPermissionPlugin, 'carol');
      expect(after.body).toEqual({
        userEntityRef: 'user:default/carol',
        ownershipEntityRefs: issued,
        source: 'sign-in',
        signedInAt: signedInAt.toISOString(),
      });

      const nobody = await ownership(
        server,
        asPermissionPlugin,
        'user:default/nobody',
      );
      expect(nobody.status).toBe(404);
      const group = await ownership(
        server,
        asPermissionPlugin,
        'group:default/team-search',
      );
      expect(group.status).toBe(400);
    });

    it.each([
      [
        'a user, even an admin',
        mockCredentials.user.header('user:default/alice'),
        403,
      ],
      [
        'a plugin acting for a user',
        `Bearer ${mockCredentials.user.token('user:default/alice', {
          actor: { subject: 'plugin:permission' },
        })}`,
        403,
      ],
      [
        'another plugin',
        mockCredentials.service.header({
          onBehalfOf: mockCredentials.service('plugin:catalog'),
          targetPluginId: 'auth',
        }),
        403,
      ],
      ['nobody', undefined, 401],
      ['a forged token', mockCredentials.service.invalidHeader(), 401],
    ])('refuses %s', async (_, authorization, status) => {
      const { server } = await start({ keycloak: connection(stub.issuer) });
      const res = await ownership(server, authorization);
      expect(res.status).toBe(status);
      expect(res.body.ownershipEntityRefs).toBeUndefined();
    });
  });
});
