import {
  DatabaseService,
  RootLifecycleService,
} from '@backstage/backend-plugin-api';
import { DatabaseManager } from '@backstage/backend-defaults/database';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { closedPort } from '../__testUtils__/closedPort';
import { DatabaseReadiness } from './databaseReadiness';
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

/** A plugin's database service, made by Backstage's own database manager. */
function pluginDatabase(database: object): DatabaseService {
  return DatabaseManager.fromConfig(
    new ConfigReader({ backend: { database } }),
  ).forPlugin('catalog', {
    logger: mockServices.logger.mock(),
    lifecycle: mockServices.lifecycle.mock(),
  });
}

function readiness(database?: DatabaseService, timeoutMs?: number) {
  const check = new DatabaseReadiness(mockServices.logger.mock(), timeoutMs);
  if (database) {
    check.follow(database);
  }
  return check;
}

describe('PortalRootHealthService', () => {
  it('is ready only between start-up and shutdown', async () => {
    const life = lifecycle();
    const health = new PortalRootHealthService(
      life.service,
      readiness(
        pluginDatabase({ client: 'better-sqlite3', connection: ':memory:' }),
      ),
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

  it('asks the plugin pool, not a connection of its own', async () => {
    const database = pluginDatabase({
      client: 'better-sqlite3',
      connection: ':memory:',
    });
    const queries: string[] = [];
    (await database.getClient()).on('query', ({ sql }) => queries.push(sql));
    const life = lifecycle();
    const health = new PortalRootHealthService(
      life.service,
      readiness(database),
    );
    life.start();
    expect((await health.getReadiness()).status).toBe(200);
    expect(queries).toEqual(['select 1']);
  });

  it('is not ready while PostgreSQL cannot be reached, but stays live', async () => {
    const port = await closedPort();
    const life = lifecycle();
    const health = new PortalRootHealthService(
      life.service,
      readiness(
        pluginDatabase({
          client: 'pg',
          connection: { host: '127.0.0.1', port, user: 'u', password: 'p' },
        }),
      ),
    );
    life.start();
    const answer = await health.getReadiness();
    // The endpoint is public: no address of the database in the answer.
    expect(answer).toEqual({
      status: 503,
      payload: { status: 'error', message: 'Database unreachable' },
    });
    expect(JSON.stringify(answer)).not.toContain(String(port));
    expect((await health.getLiveness()).status).toBe(200);
  });

  it('is not ready when the pool does not answer in time, or is not wired', async () => {
    const hanging: DatabaseService = {
      getClient: () => new Promise(() => {}),
    };
    const life = lifecycle();
    const slow = new PortalRootHealthService(
      life.service,
      readiness(hanging, 50),
    );
    const unwired = new PortalRootHealthService(life.service, readiness());
    life.start();
    expect((await slow.getReadiness()).status).toBe(503);
    expect((await unwired.getReadiness()).status).toBe(503);
  });
});
