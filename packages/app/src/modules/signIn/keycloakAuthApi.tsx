import { OAuth2 } from '@backstage/core-app-api';
import {
  ApiBlueprint,
  BackstageIdentityApi,
  OpenIdConnectApi,
  ProfileInfoApi,
  SessionApi,
  configApiRef,
  createApiRef,
  discoveryApiRef,
  oauthRequestApiRef,
} from '@backstage/frontend-plugin-api';
import VpnKeyIcon from '@material-ui/icons/VpnKey';

/**
 * The one name of the Keycloak sign-in, in the app as in the backend: the
 * backend's auth provider id (plugins/auth-backend-module-keycloak-provider,
 * config `auth.providers.keycloak`, routes under `/api/auth/keycloak`), the
 * entry of `app.signInProviders`, this API and the sign-in page's provider.
 */
export const KEYCLOAK = 'keycloak';

/** Sign-in through the company Keycloak. */
export const keycloakAuthApiRef = createApiRef<
  OpenIdConnectApi & ProfileInfoApi & BackstageIdentityApi & SessionApi
>().with({ id: KEYCLOAK, pluginId: 'app' });

export const keycloakAuthApi = ApiBlueprint.make({
  name: KEYCLOAK,
  params: defineParams =>
    defineParams({
      api: keycloakAuthApiRef,
      deps: {
        configApi: configApiRef,
        discoveryApi: discoveryApiRef,
        oauthRequestApi: oauthRequestApiRef,
      },
      factory: ({ configApi, discoveryApi, oauthRequestApi }) =>
        OAuth2.create({
          configApi,
          discoveryApi,
          oauthRequestApi,
          // The backend picks auth.providers.keycloak.<environment> by this.
          environment: configApi.getOptionalString('auth.environment'),
          provider: { id: KEYCLOAK, title: 'Keycloak', icon: <VpnKeyIcon /> },
          defaultScopes: ['openid', 'profile', 'email'],
        }),
    }),
});
