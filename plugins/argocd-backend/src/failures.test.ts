import { mockCredentials } from '@backstage/backend-test-utils';
import { ArgoCdStandIn, startArgoCdStandIn } from '@internal/stand-ins';
import request from 'supertest';
import {
  ARGOCD_TOKEN,
  argocdConfig,
  startArgoCdBackend,
} from './__testUtils__/testBackend';

type Server = Awaited<ReturnType<typeof startArgoCdBackend>>['server'];

const APP = 'team-payments.payments-api.prod';
const ROUTES = [
  `/find/name/${APP}`,
  `/argoInstance/main/applications/name/${APP}`,
  '/entity-status?entityRef=component:default/payments-api-prod',
];

function get(server: Server, path: string, user = 'user:default/ada') {
  return request(server)
    .get(`/api/argocd${path}`)
    .set('Authorization', mockCredentials.user.header(user));
}

describe('argocd backend plugin when Argo CD is missing or failing', () => {
  it('starts without Argo CD configured and says so on every route', async () => {
    const { server } = await startArgoCdBackend({});
    for (const route of ROUTES) {
      const res = await get(server, route);
      expect(res.status).toBe(503);
      expect(res.body.error.message).toContain('Argo CD is not configured');
    }
  });

  describe('with a failing Argo CD', () => {
    let argocd: ArgoCdStandIn;
    let server: Server;

    beforeAll(async () => {
      argocd = await startArgoCdStandIn({ token: ARGOCD_TOKEN });
      ({ server } = await startArgoCdBackend(
        argocdConfig(argocd.url, {
          requestTimeout: { milliseconds: 500 },
          statusCacheTtl: { milliseconds: 1 },
        }),
      ));
    });

    afterEach(() => argocd.setFault(undefined));
    afterAll(() => argocd.close());

    it('answers 504 within the timeout when Argo CD hangs', async () => {
      argocd.setFault('hang');
      for (const route of ROUTES) {
        const started = Date.now();
        const res = await get(server, route);
        expect(Date.now() - started).toBeLessThan(3000);
        expect(res.status).toBe(504);
        expect(res.body.error.message).toBe(
          'Argo CD instance "main" did not answer within 0.5 seconds',
        );
      }
    });

    it('answers 502 when Argo CD fails, without its address', async () => {
      argocd.setFault('error');
      for (const route of ROUTES) {
        const res = await get(server, route);
        expect(res.status).toBe(502);
        expect(res.body.error.message).toBe(
          'Argo CD instance "main" answered 500',
        );
        expect(res.text).not.toContain(argocd.url);
      }
    });

    it('still refuses before asking a failing Argo CD', async () => {
      argocd.setFault('error');
      const res = await get(server, ROUTES[1], 'user:default/vic');
      expect(res.status).toBe(403);
    });
  });

  it('answers 502 when Argo CD is down or refuses the token', async () => {
    const down = await startArgoCdStandIn();
    await down.close();
    const { server } = await startArgoCdBackend(argocdConfig(down.url));
    const res = await get(server, ROUTES[1]);
    expect(res.status).toBe(502);
    expect(res.body.error.message).toBe(
      'Argo CD instance "main" could not be reached',
    );

    const strict = await startArgoCdStandIn({ token: 'another-token' });
    const refused = await startArgoCdBackend(argocdConfig(strict.url));
    const answer = await get(refused.server, ROUTES[1]);
    expect(answer.status).toBe(502);
    expect(answer.body.error.message).toBe(
      `Argo CD instance "main" refused the portal's token`,
    );
    expect(answer.text).not.toContain(ARGOCD_TOKEN);
    await strict.close();
  });

  it.each([
    [
      { type: 'kubernetes', instances: [] },
      'argocd.appLocatorMethods: type "kubernetes" is not supported, only "config"',
    ],
    [
      {
        type: 'config',
        instances: [
          { name: 'a', url: 'http://127.0.0.1:1', token: 't' },
          { name: 'a', url: 'http://127.0.0.1:2', token: 't' },
        ],
      },
      'argocd: instance name "a" is used twice',
    ],
    [
      { type: 'config', instances: [{ name: 'a', url: 'http://127.0.0.1:1' }] },
      "Missing required config value at 'argocd.appLocatorMethods[0].instances[0].token'",
    ],
    [
      {
        type: 'config',
        instances: [{ name: 'a', url: 'ftp://x', token: 't' }],
      },
      'argocd instance "a": url must be an http(s) URL of the Argo CD API server',
    ],
    [
      {
        type: 'config',
        instances: [{ name: 'a b', url: 'http://127.0.0.1:1', token: 't' }],
      },
      `argocd instance "a b": name may hold only letters, digits, '.', '_' and '-'`,
    ],
  ])(
    'refuses to start with a malformed argocd block',
    async (method, message) => {
      await expect(
        startArgoCdBackend({ argocd: { appLocatorMethods: [method] } }),
      ).rejects.toThrow(message);
    },
  );
});
