import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { oidcAuthenticator } from '@backstage/plugin-auth-backend-module-oidc-provider';
import {
  authProvidersExtensionPoint,
  createOAuthProviderFactory,
} from '@backstage/plugin-auth-node';
import {
  createKeycloakSignInResolver,
  readKeycloakSignInOptions,
} from './keycloakSignInResolver';

/**
 * Keycloak sign-in. Registered as provider `oidc` so the connection stays
 * under `auth.providers.oidc`; it replaces the stock OIDC module, whose
 * resolvers match on email without the portal's rules.
 *
 * @public
 */
export const authModuleKeycloakProvider = createBackendModule({
  pluginId: 'auth',
  moduleId: 'keycloak-provider',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: authProvidersExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ providers, config, logger }) {
        const options = readKeycloakSignInOptions(config);
        if (options.allowUsersWithoutCatalogEntity) {
          logger.warn(
            'auth.keycloak.allowUsersWithoutCatalogEntity is on: Keycloak users without a User entity can sign in',
          );
        }
        providers.registerProvider({
          providerId: 'oidc',
          factory: createOAuthProviderFactory({
            authenticator: oidcAuthenticator,
            // No signInResolverFactories: a `signIn.resolvers` entry in the
            // provider config is then rejected as unknown instead of
            // silently replacing the portal's rules.
            signInResolver: createKeycloakSignInResolver({
              ...options,
              logger,
            }),
          }),
        });
      },
    });
  },
});
