import { RootLifecycleService } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { closedPort } from '../testing/closedPort';
import { PortalRootHealthService } from './portalRootHealthServiceFactory';

/** Collects the hooks so the test can move the backend through its life. */
function lifecycle() {
  const startup: Array<() => void> = [];
  const beforeShutdown: Array<() => void> = [];
  const service = {
    addStartupHook: (hook: () => void) => startup.push(hook),
    addBeforeShutdownHook: (hook: () => void) => beforeShutdown.push(hook),
    addShutdownHook: () => {},
  } as unknown as RootLifecycleService;
  return {
    service,
    start: () => startup.forEach(hook => hook()),
    beginShutdown: () => beforeShutdown.forEach(hook => hook()),
  };
}

describe('PortalRootHealthService', () => {
  it('is ready only between start-up and shutdown', async () => {
    const life = lifecycle();
    const health = new PortalRootHealthService(
      life.service,
      new ConfigReader({ backend: { database: { client: 'better-sqlite3' } } }),
    );

    expect((await health.getReadiness()).status).toBe(503);
    expect((await health.getLiveness()).status).toBe(200);
    life.start();
    expect(await health.getReadiness()).toEqual({
      status: 200,
      payload: { status: 'ok' },
    });
    life.beginShutdown();
    expect(await health.getReadiness()).toEqual({
      status: 503,
      payload: { status: 'error', message: 'Backend is shutting down' },
    });
    expect((await health.getLiveness()).status).toBe(200);
  });

  it('is not ready while PostgreSQL cannot be reached, but stays live', async () => {
    const port = await closedPort();

    const life = lifecycle();
    const health = new PortalRootHealthService(
      life.service,
      new ConfigReader({
        backend: {
          database: {
            client: 'pg',
            connection: { host: '127.0.0.1', port, user: 'u', password: 'p' },
          },
        },
      }),
    );
    life.start();
    expect(await health.getReadiness()).toEqual({
      status: 503,
      payload: {
        status: 'error',
        message: `Database unreachable (127.0.0.1:${port})`,
      },
    });
    expect((await health.getLiveness()).status).toBe(200);
  });
});
