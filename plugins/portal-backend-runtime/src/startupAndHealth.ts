import { createBackendFeatureLoader } from '@backstage/backend-plugin-api';
import { databaseReadinessModule } from './health/databaseReadinessModule';
import { portalRootHealthServiceFactory } from './health/portalRootHealthServiceFactory';
import { startupChecksServiceFactory } from './startup/startupChecksService';
import { startupLockServiceFactory } from './startup/startupLock';
import { guardedSchedulerServiceFactory } from './scheduler/guardedSchedulerServiceFactory';

/**
 * The start-up checks, the start-up lock that lets replicas migrate one at
 * a time, readiness that follows the database through the catalog's pool,
 * and the scheduler whose task API only admins may use. One feature,
 * because each needs the others: health waits for the checks, and
 * readiness has no pool without the module.
 */
export const startupAndHealth = createBackendFeatureLoader({
  loader() {
    return [
      startupChecksServiceFactory,
      startupLockServiceFactory,
      portalRootHealthServiceFactory,
      guardedSchedulerServiceFactory,
      databaseReadinessModule,
    ];
  },
});
