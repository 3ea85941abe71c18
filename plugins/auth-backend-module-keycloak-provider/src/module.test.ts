import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import authPlugin from '@backstage/plugin-auth-backend';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import authModuleKeycloakProvider from './index';

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

function config(issuer: string, providerExtras: object = {}) {
  return mockServices.rootConfig.factory({
    data: {
      app: { baseUrl: 'http://localhost:3000' },
      auth: {
        environment: 'development',
        session: { secret: 'module-test-session-secret' },
        providers: {
          oidc: {
            development: {
              metadataUrl: `${issuer}/.well-known/openid-configuration`,
              clientId: 'developer-portal',
              clientSecret: 'module-test-client-secret',
              prompt: 'auto',
              ...providerExtras,
            },
          },
        },
      },
    },
  });
}

describe('authModuleKeycloakProvider', () => {
  let stub: Awaited<ReturnType<typeof discoveryStub>>;

  beforeAll(async () => {
    stub = await discoveryStub();
  });

  afterAll(async () => {
    await stub.close();
  });

  it('serves the oidc provider and sends sign-in to the Keycloak realm', async () => {
    const { server } = await startTestBackend({
      features: [authPlugin, authModuleKeycloakProvider, config(stub.issuer)],
    });

    const res = await request(server).get(
      '/api/auth/oidc/start?env=development&scope=openid%20profile%20email',
    );

    expect(res.status).toBe(302);
    const location = new URL(res.header.location);
    expect(`${location.origin}${location.pathname}`).toBe(
      `${stub.issuer}/protocol/openid-connect/auth`,
    );
    expect(location.searchParams.get('client_id')).toBe('developer-portal');
    expect(location.searchParams.get('scope')?.split(' ')).toEqual(
      expect.arrayContaining(['openid', 'profile', 'email']),
    );
    expect(location.searchParams.get('redirect_uri')).toMatch(
      /\/api\/auth\/oidc\/handler\/frame$/,
    );
  });

  it('does not let a declarative resolver in config replace the portal rules', async () => {
    await expect(
      startTestBackend({
        features: [
          authPlugin,
          authModuleKeycloakProvider,
          config(stub.issuer, {
            signIn: {
              resolvers: [{ resolver: 'emailMatchingUserEntityProfileEmail' }],
            },
          }),
        ],
      }),
    ).rejects.toThrow(
      "Sign-in resolver 'emailMatchingUserEntityProfileEmail' is not available",
    );
  });
});
