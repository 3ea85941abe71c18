import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { Client, ClientConfig } from 'pg';

/** The advisory lock every replica of the portal starts under ("portal"). */
const STARTUP_LOCK_KEY = 0x706f7274616c;

/**
 * How long a replica waits for another one's start-up, migrations of a
 * first install included, before it gives up (and is restarted).
 */
const STARTUP_LOCK_TIMEOUT_MS = 10 * 60_000;

/** The connection of the lock: the database server's maintenance database. */
function lockConnection(database: Config): ClientConfig {
  const connection = database.get('connection');
  if (typeof connection === 'string') {
    return { connectionString: connection };
  }
  const { database: name, ...rest } = connection as Record<string, any>;
  return { ...rest, database: name ?? 'postgres' } as ClientConfig;
}

/**
 * Held while a replica starts, so replicas starting at once on one
 * PostgreSQL run their plugins' migrations one after the other: knex
 * creates its own bookkeeping tables without a lock, and two first starts
 * on an empty database otherwise fail each other. Released when the
 * backend has started (or stops); a replica that dies releases it with its
 * connection.
 */
export async function acquireStartupLock(
  config: Config,
): Promise<(() => Promise<void>) | undefined> {
  const database = config.getOptionalConfig('backend.database');
  if (database?.getOptionalString('client') !== 'pg') {
    return undefined;
  }
  const client = new Client(lockConnection(database));
  await client.connect();
  try {
    await client.query(`SET lock_timeout = ${STARTUP_LOCK_TIMEOUT_MS}`);
    await client.query('SELECT pg_advisory_lock($1)', [STARTUP_LOCK_KEY]);
  } catch (error) {
    await client.end().catch(() => undefined);
    throw new Error(
      `Another replica of the portal did not finish starting within ${
        STARTUP_LOCK_TIMEOUT_MS / 60_000
      } minutes: ${error}`,
    );
  }
  let released: Promise<void> | undefined;
  return () => {
    released ??= client
      .query('SELECT pg_advisory_unlock($1)', [STARTUP_LOCK_KEY])
      .then(
        () => client.end(),
        () => client.end(),
      );
    return released;
  };
}

/** Present once this replica holds the start-up lock. */
export const startupLockServiceRef = createServiceRef<
  Readonly<Record<string, never>>
>({ id: 'portal.startup-lock', scope: 'root' });

/**
 * The start-up lock as a root service: root services are built before any
 * plugin starts, and the lock is let go in the backend's startup hook,
 * after every plugin (and its migrations) has started.
 */
export const startupLockServiceFactory = createServiceFactory({
  service: startupLockServiceRef,
  deps: {
    config: coreServices.rootConfig,
    lifecycle: coreServices.rootLifecycle,
  },
  async factory({ config, lifecycle }) {
    const release = await acquireStartupLock(config);
    if (release) {
      lifecycle.addStartupHook(release);
      lifecycle.addShutdownHook(release);
    }
    return {};
  },
});
