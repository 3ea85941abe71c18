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
 * Sign-in through the company Keycloak. The backend serves it as the `oidc`
 * provider (plugins/auth-backend-module-keycloak-provider).
 */
export const keycloakAuthApiRef = createApiRef<
  OpenIdConnectApi & ProfileInfoApi & BackstageIdentityApi & SessionApi
>().with({ id: 'internal.auth.keycloak', pluginId: 'app' });

export const keycloakAuthApi = ApiBlueprint.make({
  name: 'keycloak-auth',
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
          // The backend picks auth.providers.oidc.<environment> by this.
          environment: configApi.getOptionalString('auth.environment'),
          provider: { id: 'oidc', title: 'Keycloak', icon: <VpnKeyIcon /> },
          defaultScopes: ['openid', 'profile', 'email'],
        }),
    }),
});
