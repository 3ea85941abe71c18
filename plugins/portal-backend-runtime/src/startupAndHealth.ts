import { createBackendFeatureLoader } from '@backstage/backend-plugin-api';
import { databaseReadinessModule } from './health/databaseReadinessModule';
import { portalRootHealthServiceFactory } from './health/portalRootHealthServiceFactory';
import { startupChecksServiceFactory } from './startup/startupChecksService';

/**
 * The start-up checks, and readiness that follows the database through the
 * catalog's pool. One feature, because each needs the others: health waits
 * for the checks, and readiness has no pool without the module.
 */
export const startupAndHealth = createBackendFeatureLoader({
  loader() {
    return [
      startupChecksServiceFactory,
      portalRootHealthServiceFactory,
      databaseReadinessModule,
    ];
  },
});
