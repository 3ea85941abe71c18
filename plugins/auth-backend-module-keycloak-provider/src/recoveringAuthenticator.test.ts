import {
  TestDatabases,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import authPlugin from '@backstage/plugin-auth-backend';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import http from 'node:http';
import net from 'node:net';
import request from 'supertest';
import authModuleKeycloak from './index';
import { KEYCLOAK_UNAVAILABLE } from './recoveringAuthenticator';

/**
 * A Keycloak realm that serves its discovery document and can be stopped
 * and started again on the same port, or made to hang.
 */
async function realm() {
  const port = await new Promise<number>(resolve => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(free));
    });
  });
  const issuer = `http://127.0.0.1:${port}/realms/portal`;
  let hanging = false;
  const server = http.createServer((_req, res) => {
    if (hanging) return;
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
      }),
    );
  });
  return {
    metadataUrl: `${issuer}/.well-known/openid-configuration`,
    authorizationEndpoint: `${issuer}/protocol/openid-connect/auth`,
    up: () =>
      new Promise<void>(resolve =>
        server.listen(port, '127.0.0.1', () => resolve()),
      ),
    hang: () => (hanging = true),
    down: () => {
      hanging = false;
      server.closeAllConnections();
      return new Promise(resolve => server.close(resolve));
    },
  };
}

describe('Keycloak sign-in while Keycloak is down', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  async function start(metadataUrl: string) {
    const logger = mockServices.logger.mock();
    const { server } = await startTestBackend({
      features: [
        authPlugin,
        authModuleKeycloak,
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: 'http://localhost:3000' },
            auth: {
              environment: 'development',
              session: { secret: 'recovering-test-session-secret' },
              providers: {
                keycloak: {
                  development: {
                    metadataUrl,
                    clientId: 'developer-portal',
                    clientSecret: 'recovering-test-client-secret',
                    timeout: { milliseconds: 500 },
                  },
                },
              },
            },
          },
        }),
        logger.factory,
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        mockServices.database.factory({
          knex: await databases.init('SQLITE_3'),
        }),
        catalogServiceMock.factory({ entities: [] }),
      ],
    });
    return { server, logger };
  }

  it('tells the sign-in page why nobody can sign in', async () => {
    const keycloak = await realm();
    // Keycloak is down while the portal starts.
    const { server, logger } = await start(keycloak.metadataUrl);
    const browser = request.agent(server);
    const startUrl =
      '/api/auth/keycloak/start?env=development&scope=openid&origin=http://localhost:3000';

    const started = Date.now();
    const bounced = await browser.get(startUrl);
    expect(bounced.status).toBe(302);
    const frame = new URL(bounced.header.location, 'http://backend');
    expect(frame.pathname).toBe('/api/auth/keycloak/handler/frame');
    // The frame handler posts the message to the app's sign-in page.
    const page = await browser.get(`${frame.pathname}${frame.search}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('authorization_response');
    expect(page.text).toContain(
      encodeURIComponent(
        JSON.stringify({
          type: 'authorization_response',
          error: {
            name: 'ServiceUnavailableError',
            message: KEYCLOAK_UNAVAILABLE,
          },
        }),
      ),
    );
    expect(Date.now() - started).toBeLessThan(3000);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('ECONNREFUSED'),
    );
  });

  it('signs in again once Keycloak is back, without a restart', async () => {
    const keycloak = await realm();
    const { server } = await start(keycloak.metadataUrl);
    const browser = request.agent(server);
    const startUrl =
      '/api/auth/keycloak/start?env=development&scope=openid&origin=http://localhost:3000';
    expect((await browser.get(startUrl)).header.location).not.toContain(
      keycloak.authorizationEndpoint,
    );

    await keycloak.up();
    const recovered = await browser.get(startUrl);
    expect(recovered.status).toBe(302);
    expect(recovered.header.location).toContain(keycloak.authorizationEndpoint);
    await keycloak.down();
  });

  it('gives up on a hanging Keycloak within the timeout', async () => {
    const keycloak = await realm();
    await keycloak.up();
    keycloak.hang();
    const { server } = await start(keycloak.metadataUrl);
    const started = Date.now();
    const res = await request(server)
      .post('/api/auth/keycloak/refresh?env=development')
      .set('X-Requested-With', 'XMLHttpRequest')
      .set('Cookie', 'keycloak-refresh-token=some-refresh-token');
    expect(Date.now() - started).toBeLessThan(3000);
    // The auth backend answers every failed refresh 401, with the cause.
    expect(res.status).toBe(401);
    expect(res.body.error.message).toContain(KEYCLOAK_UNAVAILABLE);
    await keycloak.down();
  });
});
