import { createBackend } from '@backstage/backend-defaults';
import { portalRootHealthServiceFactory } from './health/portalRootHealthServiceFactory';
import { verifyStartup } from './startup/verifyStartup';

const backend = createBackend();

// core
backend.add(portalRootHealthServiceFactory);
backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

// auth
backend.add(import('@backstage/plugin-auth-backend'));
// Keycloak sign-in: the OIDC provider (`auth.providers.oidc`) with the
// portal's sign-in resolver, in place of the stock OIDC module.
backend.add(import('@internal/auth-backend-module-keycloak-provider'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

// permission
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('@internal/permission-backend-module-portal-policy'));

// catalog
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(
  import('@backstage-community/plugin-catalog-backend-module-keycloak'),
);

// scaffolder
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@internal/plugin-scaffolder-backend-module-gitops'));

// techdocs
backend.add(import('@backstage/plugin-techdocs-backend'));

// search
backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-pg'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));
backend.add(import('@backstage/plugin-search-backend-module-techdocs'));

// kubernetes
backend.add(import('@backstage/plugin-kubernetes-backend'));

// user settings, and the signals channel their storage listens on
backend.add(import('@backstage/plugin-user-settings-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

// A backend that fails to start (a port in use, a plugin that throws) must
// exit, not linger without a server for an orchestrator to wait on.
verifyStartup()
  .then(() => backend.start())
  .catch((error: Error) => {
    process.stderr.write(`Start-up refused: ${error.message}\n`);
    process.exit(1);
  });
