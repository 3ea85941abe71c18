import { LoggerService } from '@backstage/backend-plugin-api';
import { Config, ConfigReader } from '@backstage/config';
import { oidcAuthenticator } from '@backstage/plugin-auth-backend-module-oidc-provider';
import {
  AuthProviderFactory,
  createOAuthProviderFactory,
} from '@backstage/plugin-auth-node';
import { createKeycloakSignInResolver } from './keycloakSignInResolver';
import { recoveringAuthenticator } from './recoveringAuthenticator';

/**
 * The one name of the portal's Keycloak sign-in: the auth provider id, so
 * its config is `auth.providers.keycloak` and its routes (and the redirect
 * URI registered in Keycloak) are under `/api/auth/keycloak`.
 */
export const KEYCLOAK_PROVIDER_ID = 'keycloak';

const CONFIG_KEY = `auth.providers.${KEYCLOAK_PROVIDER_ID}`;
/** The provider's earlier id; accepted beneath the new key, with a warning. */
const DEPRECATED_CONFIG_KEY = 'auth.providers.oidc';

/**
 * Checks where the Keycloak connection is configured. Settings under the old
 * key `auth.providers.oidc` (for example in a deployment's own app-config)
 * still apply, beneath `auth.providers.keycloak`. The auth backend only
 * starts a provider whose own key exists, so a config with the old key alone
 * cannot sign anyone in: refused outside development, like any other
 * misconfigured provider.
 */
export function checkKeycloakProviderConfig(
  rootConfig: Config,
  logger: LoggerService,
): void {
  if (!rootConfig.has(DEPRECATED_CONFIG_KEY)) {
    return;
  }
  if (rootConfig.has(CONFIG_KEY)) {
    logger.warn(
      `${DEPRECATED_CONFIG_KEY} is deprecated: it is the old name of ${CONFIG_KEY}. Its settings still apply beneath ${CONFIG_KEY}; move them there.`,
    );
    return;
  }
  const message = `Keycloak sign-in is configured under ${DEPRECATED_CONFIG_KEY}, its old name. Rename it to ${CONFIG_KEY} and register the redirect URI <backend>/api/auth/${KEYCLOAK_PROVIDER_ID}/handler/frame in Keycloak (docs/deploying.md)`;
  if (process.env.NODE_ENV !== 'development') {
    throw new Error(message);
  }
  logger.warn(`${message}; Keycloak sign-in is off until then`);
}

/** Provider config with the deprecated key's settings beneath the new ones. */
function withDeprecatedSettings(config: Config, rootConfig: Config): Config {
  const deprecated = rootConfig.getOptionalConfig(DEPRECATED_CONFIG_KEY);
  if (!deprecated) {
    return config;
  }
  return ConfigReader.fromConfigs([
    { context: DEPRECATED_CONFIG_KEY, data: deprecated.get() },
    { context: CONFIG_KEY, data: config.get() },
  ]);
}

/**
 * The Keycloak provider: the standard OIDC authenticator, recovering from a
 * Keycloak outage without a restart, with the portal's own resolver. No
 * signInResolverFactories: a `signIn.resolvers` entry in the provider config
 * is then rejected as unknown instead of silently replacing the portal's
 * rules.
 */
export function keycloakProviderFactory(
  rootConfig: Config,
  resolverOptions: Parameters<typeof createKeycloakSignInResolver>[0],
): AuthProviderFactory {
  const factory = createOAuthProviderFactory({
    authenticator: recoveringAuthenticator(
      oidcAuthenticator,
      resolverOptions.logger,
    ),
    signInResolver: createKeycloakSignInResolver(resolverOptions),
  });
  return options =>
    factory({
      ...options,
      config: withDeprecatedSettings(options.config, rootConfig),
    });
}
