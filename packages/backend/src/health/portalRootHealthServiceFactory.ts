import {
  coreServices,
  createServiceFactory,
  RootHealthService,
  RootLifecycleService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { probeDatabase } from '../startup/databaseProbe';

/**
 * Readiness that also fails while the database is unreachable, so that
 * OpenShift takes the pod out of the Service instead of sending it requests
 * that can only fail. Liveness stays independent of the database: restarting
 * the pod would not bring PostgreSQL back.
 */
export class PortalRootHealthService implements RootHealthService {
  #state: 'starting' | 'up' | 'stopping' = 'starting';

  constructor(
    lifecycle: RootLifecycleService,
    private readonly config: Config,
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
    const database = await probeDatabase(this.config);
    if (!database.ok) {
      return {
        status: 503,
        payload: {
          status: 'error',
          message: `Database unreachable (${database.target})`,
        },
      };
    }
    return { status: 200, payload: { status: 'ok' } };
  }
}

export const portalRootHealthServiceFactory = createServiceFactory({
  service: coreServices.rootHealth,
  deps: {
    lifecycle: coreServices.rootLifecycle,
    config: coreServices.rootConfig,
  },
  async factory({ lifecycle, config }) {
    return new PortalRootHealthService(lifecycle, config);
  },
});
