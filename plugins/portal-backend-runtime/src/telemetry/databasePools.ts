import {
  coreServices,
  createServiceFactory,
  DatabaseService,
} from '@backstage/backend-plugin-api';
import { DatabaseManager } from '@backstage/backend-defaults/database';
import { ConfigReader } from '@backstage/config';
import type { Meter } from '@opentelemetry/api';
import { runtimeMeter } from './runtimeMeter';

/** What the gauges read of knex's connection pool (a tarn pool). */
interface ConnectionPool {
  numUsed(): number;
  numPendingAcquires(): number;
  max: number;
}

/** A knex client, whose `client.pool` exists once it has connected (and not after destroy). */
type KnexLike = { client?: { pool?: ConnectionPool } };

/**
 * Saturation of every plugin's database pool, per plugin (one pool each
 * with `pluginDivisionMode: database`): connections in use, requests
 * waiting for one, and the pool's size. Used reaching max with requests
 * pending is what an outage of the portal looks like before requests fail.
 */
export class DatabasePools {
  readonly #clients = new Map<string, KnexLike>();

  constructor(meter: Meter) {
    const used = meter.createObservableGauge(
      'portal.database.pool.connections.used',
      { description: 'Database connections in use, per plugin pool' },
    );
    const pending = meter.createObservableGauge(
      'portal.database.pool.connections.pending',
      {
        description:
          'Requests waiting for a database connection, per plugin pool',
      },
    );
    const max = meter.createObservableGauge(
      'portal.database.pool.connections.max',
      { description: 'Size of each plugin pool (knexConfig.pool.max)' },
    );
    meter.addBatchObservableCallback(
      result => {
        for (const [plugin, knex] of this.#clients) {
          const pool = knex.client?.pool;
          if (!pool) continue;
          result.observe(used, pool.numUsed(), { plugin });
          result.observe(pending, pool.numPendingAcquires(), { plugin });
          result.observe(max, pool.max, { plugin });
        }
      },
      [used, pending, max],
    );
  }

  /** The plugin's database service, whose client the gauges follow once asked for. */
  follow(plugin: string, database: DatabaseService): DatabaseService {
    return {
      ...database,
      getClient: async () => {
        const client = await database.getClient();
        this.#clients.set(plugin, client as KnexLike);
        return client;
      },
    };
  }
}

/**
 * Backstage's database service (the same DatabaseManager, configured the
 * same way, in-memory SQLite without `backend.database`), with every
 * plugin's pool observed by {@link DatabasePools}. Replaces the default
 * factory.
 */
export const observedDatabaseServiceFactory = createServiceFactory({
  service: coreServices.database,
  deps: {
    config: coreServices.rootConfig,
    lifecycle: coreServices.lifecycle,
    logger: coreServices.logger,
    pluginMetadata: coreServices.pluginMetadata,
    rootLifecycle: coreServices.rootLifecycle,
    rootLogger: coreServices.rootLogger,
  },
  async createRootContext({ config, rootLifecycle, rootLogger }) {
    const databaseConfig = config.getOptional('backend.database')
      ? config
      : new ConfigReader({
          backend: {
            database: { client: 'better-sqlite3', connection: ':memory:' },
          },
        });
    return {
      manager: DatabaseManager.fromConfig(databaseConfig, {
        rootLifecycle,
        rootLogger,
      }),
      pools: new DatabasePools(runtimeMeter()),
    };
  },
  async factory({ pluginMetadata, lifecycle, logger }, { manager, pools }) {
    const plugin = pluginMetadata.getId();
    return pools.follow(
      plugin,
      manager.forPlugin(plugin, { lifecycle, logger }),
    );
  },
});
