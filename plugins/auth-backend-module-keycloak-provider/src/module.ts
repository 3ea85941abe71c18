import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { authProvidersExtensionPoint } from '@backstage/plugin-auth-node';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  KEYCLOAK_PROVIDER_ID,
  checkKeycloakProviderConfig,
  keycloakProviderFactory,
} from './keycloakProvider';
import { readKeycloakSignInOptions } from './keycloakSignInResolver';
import { createOwnershipRouter } from './ownershipRouter';
import { SignInRecords } from './signInRecords';

/**
 * Keycloak sign-in: the auth provider `keycloak` with the portal's own
 * resolver (it replaces the stock OIDC module, whose resolvers match on
 * email without the portal's rules), and the ownership route that tells the
 * permission plugin what each sign-in issued.
 *
 * @public
 */
export const authModuleKeycloak = createBackendModule({
  pluginId: 'auth',
  moduleId: KEYCLOAK_PROVIDER_ID,
  register(reg) {
    reg.registerInit({
      deps: {
        providers: authProvidersExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        catalog: catalogServiceRef,
      },
      async init({ providers, config, logger, database, ...deps }) {
        checkKeycloakProviderConfig(config, logger);
        const options = readKeycloakSignInOptions(config);
        if (options.allowUsersWithoutCatalogEntity) {
          logger.warn(
            'auth.keycloak.allowUsersWithoutCatalogEntity is on: Keycloak users without a User entity can sign in',
          );
        }
        const records = await SignInRecords.create(database);
        providers.registerProvider({
          providerId: KEYCLOAK_PROVIDER_ID,
          factory: keycloakProviderFactory(config, {
            ...options,
            records,
            logger,
          }),
        });
        // Added before the auth backend's own router (modules start before
        // their plugin), whose catch-all would answer for /keycloak/*.
        deps.httpRouter.use(createOwnershipRouter({ ...deps, records }));
      },
    });
  },
});
