import {
  ApiBlueprint,
  BackstageIdentityApi,
  OAuthRequestApi,
} from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  mockApis,
} from '@backstage/frontend-test-utils';
import { keycloakAuthApi } from './keycloakAuthApi';

describe('keycloakAuthApi', () => {
  const originalFetch = global.fetch;
  afterEach(() => {
    global.fetch = originalFetch;
  });

  it("talks to the backend's keycloak provider in the configured environment", async () => {
    const requested: string[] = [];
    global.fetch = jest.fn(async (url: RequestInfo | URL) => {
      requested.push(String(url));
      // Signed out: the app then offers the sign-in button.
      return new Response('{}', { status: 401, statusText: 'Unauthorized' });
    });
    const factory = createExtensionTester(keycloakAuthApi).get(
      ApiBlueprint.dataRefs.factory,
    );
    const api = factory.factory({
      configApi: mockApis.config({
        data: { auth: { environment: 'production' } },
      }),
      discoveryApi: {
        getBaseUrl: async (pluginId: string) =>
          `https://portal.example.com/api/${pluginId}`,
      },
      oauthRequestApi: {
        createAuthRequester: () => async () => {
          throw new Error('no popup in this test');
        },
      } as unknown as OAuthRequestApi,
    }) as BackstageIdentityApi;

    await expect(
      api.getBackstageIdentity({ optional: true }),
    ).resolves.toBeUndefined();

    expect(requested).toHaveLength(1);
    const url = new URL(requested[0]);
    expect(`${url.origin}${url.pathname}`).toBe(
      'https://portal.example.com/api/auth/keycloak/refresh',
    );
    expect(url.searchParams.get('env')).toBe('production');
  });
});
