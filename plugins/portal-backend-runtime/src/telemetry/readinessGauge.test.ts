import { RootLifecycleService } from '@backstage/backend-plugin-api';
import { DatabaseManager } from '@backstage/backend-defaults/database';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { recordMetrics } from '@internal/stand-ins';
import { DatabaseReadiness } from '../health/databaseReadiness';
import { PortalRootHealthService } from '../health/portalRootHealthServiceFactory';
import { observeReadiness } from './readinessGauge';

describe('portal.readiness', () => {
  it('is 0 until the backend has started and while the database is away, 1 when ready', async () => {
    const startup: Array<() => void> = [];
    const lifecycle = {
      addStartupHook: (hook: () => void) => startup.push(hook),
      addBeforeShutdownHook: () => {},
      addShutdownHook: () => {},
    } as unknown as RootLifecycleService;
    const readiness = new DatabaseReadiness(mockServices.logger.mock(), 200);
    const health = new PortalRootHealthService(lifecycle, readiness);
    const recorder = recordMetrics();
    observeReadiness(recorder.meter, () => health.getReadiness());
    const value = async () =>
      (await recorder.points('portal.readiness')).map(p => p.value);

    expect(await value()).toEqual([0]);
    startup.forEach(hook => hook());
    // Started, but no pool answers yet.
    readiness.follow({ getClient: () => new Promise(() => {}) });
    expect(await value()).toEqual([0]);
    readiness.follow(
      DatabaseManager.fromConfig(
        new ConfigReader({
          backend: {
            database: { client: 'better-sqlite3', connection: ':memory:' },
          },
        }),
      ).forPlugin('catalog', {
        logger: mockServices.logger.mock(),
        lifecycle: mockServices.lifecycle.mock(),
      }),
    );
    expect(await value()).toEqual([1]);
  });
});
