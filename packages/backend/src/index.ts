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
backend.add(import('@backstage/plugin-auth-backend-module-oidc-provider'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

// permission
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('@internal/permission-backend-module-portal-policy'));

// catalog
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);

// scaffolder
backend.add(import('@backstage/plugin-scaffolder-backend'));

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

verifyStartup().then(
  () => backend.start(),
  (error: Error) => {
    process.stderr.write(`Start-up refused: ${error.message}\n`);
    process.exit(1);
  },
);
