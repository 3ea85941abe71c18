import {
  coreServices,
  createServiceFactory,
  RootHealthService,
  RootLifecycleService,
} from '@backstage/backend-plugin-api';
import { startupChecksServiceRef } from '../startup/startupChecksService';
import { observeReadiness } from '../telemetry/readinessGauge';
import { runtimeMeter } from '../telemetry/runtimeMeter';
import {
  DatabaseReadiness,
  databaseReadinessServiceRef,
} from './databaseReadiness';

/**
 * Readiness that also fails while the database is unreachable, so that
 * OpenShift takes the pod out of the Service instead of sending it requests
 * that can only fail. Liveness stays independent of the database: restarting
 * the pod would not bring PostgreSQL back. The endpoints are public, so the
 * answer names no host or error; the log has them.
 */
export class PortalRootHealthService implements RootHealthService {
  #state: 'starting' | 'up' | 'stopping' = 'starting';

  constructor(
    lifecycle: RootLifecycleService,
    private readonly database: DatabaseReadiness,
  ) {
    lifecycle.addStartupHook(() => {
      this.#state = 'up';
    });
    lifecycle.addBeforeShutdownHook(() => {
      this.#state = 'stopping';
    });
  }

  async getLiveness() {
    return { status: 200, payload: { status: 'ok' } };
  }

  async getReadiness() {
    if (this.#state !== 'up') {
      const message =
        this.#state === 'starting'
          ? 'Backend has not started yet'
          : 'Backend is shutting down';
      return { status: 503, payload: { status: 'error', message } };
    }
    const database = await this.database.check();
    if (!database.ok) {
      return {
        status: 503,
        payload: { status: 'error', message: 'Database unreachable' },
      };
    }
    return { status: 200, payload: { status: 'ok' } };
  }
}

export const portalRootHealthServiceFactory = createServiceFactory({
  service: coreServices.rootHealth,
  deps: {
    lifecycle: coreServices.rootLifecycle,
    database: databaseReadinessServiceRef,
    // The root HTTP router listens as soon as it is built and it needs this
    // service, so depending on the checks keeps the port closed until they
    // have passed.
    startupChecks: startupChecksServiceRef,
  },
  async factory({ lifecycle, database }) {
    const health = new PortalRootHealthService(lifecycle, database);
    observeReadiness(runtimeMeter(), () => health.getReadiness());
    return health;
  },
});
