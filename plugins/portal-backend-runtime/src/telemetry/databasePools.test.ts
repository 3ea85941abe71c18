import {
  coreServices,
  createBackendPlugin,
  DatabaseService,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { recordMetrics } from '@internal/stand-ins';
import { observedDatabaseServiceFactory } from './databasePools';

// The factory asks the global meter provider, as in the running backend.
const recorder = recordMetrics({ global: true });

/** A plugin that hands its database service to the test. */
function pluginWithDatabase(
  pluginId: string,
  got: (db: DatabaseService) => void,
) {
  return createBackendPlugin({
    pluginId,
    register(env) {
      env.registerInit({
        deps: { database: coreServices.database },
        async init({ database }) {
          got(database);
        },
      });
    },
  });
}

async function gauge(name: string, plugin: string) {
  const points = await recorder.points(
    `portal.database.pool.connections.${name}`,
  );
  return points.find(p => p.attributes.plugin === plugin)?.value;
}

describe('observedDatabaseServiceFactory', () => {
  it("observes each plugin's pool: connections in use, waiting requests, size", async () => {
    let database: DatabaseService | undefined;
    const backend = await startTestBackend({
      features: [
        observedDatabaseServiceFactory,
        mockServices.rootConfig.factory({
          data: {
            backend: {
              database: { client: 'better-sqlite3', connection: ':memory:' },
            },
          },
        }),
        pluginWithDatabase('things', db => (database = db)),
        pluginWithDatabase('untouched', () => {}),
      ],
    });
    // A plugin that never asked for its client has no pool to observe.
    expect(await gauge('max', 'things')).toBeUndefined();
    const knex = await database!.getClient();
    await knex.raw('select 1');
    expect(await gauge('used', 'things')).toBe(0);
    expect(await gauge('max', 'things')).toBe(1);

    // SQLite's pool holds one connection: a transaction takes it, and the
    // next query waits for it.
    const tx = await knex.transaction();
    const waiting = knex.raw('select 2').then(() => 'done');
    await new Promise(resolve => setTimeout(resolve, 50));
    expect(await gauge('used', 'things')).toBe(1);
    expect(await gauge('pending', 'things')).toBe(1);
    await tx.commit();
    await waiting;
    expect(await gauge('used', 'things')).toBe(0);
    expect(await gauge('pending', 'things')).toBe(0);
    expect(await gauge('max', 'untouched')).toBeUndefined();
    await backend.stop();
  });
});
