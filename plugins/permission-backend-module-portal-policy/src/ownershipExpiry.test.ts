import {
  AuditorService,
  BackstageCredentials,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { ServiceFactoryTester } from '@backstage/backend-test-utils';
import { userInfoServiceFactory } from '@backstage/backend-defaults/userInfo';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { taskCreatePermission } from '@backstage/plugin-scaffolder-common/alpha';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { PortalPolicy } from './portalPolicy';

/*
 * The only cache of ownership references between a membership change and
 * a decision is the backend's user info service (the permission backend
 * asks it once per request and hands the answer to the policy): Backstage
 * tokens carry no ownership claim, so it fetches them from the auth
 * backend's /v1/userinfo and keeps each token's answer for 5 seconds. This
 * runs the real service against a stand-in of that endpoint.
 */

const USER = 'user:default/dev';
const TEAM = 'group:default/devs';
/** The user info service's time to live per token, in Backstage 1.55. */
const BOUND_MS = 5_000;

const auditor: AuditorService = {
  createEvent: async () => ({ success: async () => {}, fail: async () => {} }),
};

/** A Backstage user token without the `ent` claim, as the auth backend issues. */
function userCredentials(jti: string): BackstageCredentials {
  const part = (value: object) =>
    Buffer.from(JSON.stringify(value)).toString('base64url');
  const token = `${part({ alg: 'ES256', typ: 'vnd.backstage.user' })}.${part({
    sub: USER,
    jti,
  })}.signature`;
  const credentials = {
    $$type: '@backstage/BackstageCredentials',
    version: 'v1',
    principal: { type: 'user', userEntityRef: USER },
  };
  // Hidden as the backend's own credentials hide it.
  Object.defineProperty(credentials, 'token', { value: token });
  return credentials as BackstageCredentials;
}

describe('ownership references after a membership change', () => {
  let server: http.Server;
  let ownership: string[];
  let lookups: number;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url !== '/api/auth/v1/userinfo') {
        res.writeHead(404).end();
        return;
      }
      lookups++;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ claims: { sub: USER, ent: ownership } }));
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  });
  afterAll(() => new Promise(r => server.close(r)));

  beforeEach(() => {
    ownership = [USER, TEAM];
    lookups = 0;
  });
  afterEach(() => jest.restoreAllMocks());

  async function setup() {
    const { port } = server.address() as AddressInfo;
    const baseUrl = async (pluginId: string) =>
      `http://127.0.0.1:${port}/api/${pluginId}`;
    const discovery = createServiceFactory({
      service: coreServices.discovery,
      deps: {},
      factory: () => ({ getBaseUrl: baseUrl, getExternalBaseUrl: baseUrl }),
    });
    const userInfo = await ServiceFactoryTester.from(userInfoServiceFactory, {
      dependencies: [discovery],
    }).getSubject('permission');
    const policy = new PortalPolicy({
      bindings: [{ role: 'developer', groups: [TEAM] }],
      auditor,
    });
    // What the permission backend does for each request.
    return async (credentials: BackstageCredentials) => {
      const info = await userInfo.getUserInfo(credentials);
      const decision = await policy.handle(
        { permission: taskCreatePermission },
        { credentials, info },
      );
      return decision.result;
    };
  }

  it('stops granting within the bound on the same token, and at once on a new one', async () => {
    let now = Date.now();
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    const decide = await setup();
    const token = userCredentials('first');
    expect(await decide(token)).toBe(AuthorizeResult.ALLOW);

    // Removed from the team (the next sign-in or session refresh stores
    // the new references in the auth backend).
    ownership = [USER];
    now += BOUND_MS - 1;
    expect(await decide(token)).toBe(AuthorizeResult.ALLOW);
    now += 1;
    expect(await decide(token)).toBe(AuthorizeResult.DENY);
    // The token the refresh issued is looked up on its first use.
    expect(await decide(userCredentials('refreshed'))).toBe(
      AuthorizeResult.DENY,
    );
    expect(lookups).toBe(3);
  });

  it('answers no token from an expired entry, however many tokens it saw', async () => {
    let now = Date.now();
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    const decide = await setup();
    for (let i = 0; i < 100; i++) {
      await decide(userCredentials(`token-${i}`));
    }
    expect(lookups).toBe(100);
    // Past the bound every token is looked up again. (The service also
    // sweeps expired entries every 30 s, so it holds at most the tokens
    // used in the last 35 s.)
    now += 35_000;
    for (let i = 0; i < 100; i++) {
      await decide(userCredentials(`token-${i}`));
    }
    expect(lookups).toBe(200);
  });
});
