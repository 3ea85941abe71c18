import { createBackendFeatureLoader } from '@backstage/backend-plugin-api';
import { catalogProcessingErrorsModule } from './catalogProcessingErrors';
import { observedDatabaseServiceFactory } from './databasePools';

/**
 * The portal's metrics that belong to no plugin of its own: every plugin's
 * database pool (the database service, observed) and the catalog's broken
 * entities. Readiness has its gauge in `startupAndHealth`. Without the
 * OpenTelemetry SDK (tests, a backend started without the instrumentation
 * file) they cost nothing.
 *
 * @public
 */
export const portalTelemetry = createBackendFeatureLoader({
  loader() {
    return [observedDatabaseServiceFactory, catalogProcessingErrorsModule];
  },
});
