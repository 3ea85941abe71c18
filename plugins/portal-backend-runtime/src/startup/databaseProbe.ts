import { Config } from '@backstage/config';
import { Client, ClientConfig } from 'pg';

/** The result of one attempt to reach the configured database. */
export type DatabaseProbeResult =
  | { ok: true }
  | { ok: false; reason: string; target: string };

/**
 * Opens one short-lived connection to the database in `backend.database` and
 * runs `SELECT 1`, before any plugin has a pool of its own to ask. SQLite
 * lives in the process, so it is always reachable.
 */
export async function probeDatabase(
  config: Config,
  timeoutMs = 3000,
): Promise<DatabaseProbeResult> {
  const client = config.getOptionalString('backend.database.client');
  if (client !== 'pg') {
    return { ok: true };
  }
  const connection = config.get('backend.database.connection');
  const base: ClientConfig =
    typeof connection === 'string'
      ? { connectionString: connection }
      : { ...(connection as ClientConfig) };
  // Backstage creates one database per plugin; the maintenance database is
  // the one every role may connect to before those exist.
  const clientConfig: ClientConfig = {
    database: 'postgres',
    ...base,
    connectionTimeoutMillis: timeoutMs,
    statement_timeout: timeoutMs,
  };
  const target =
    typeof connection === 'string'
      ? 'the connection string'
      : `${clientConfig.host ?? 'localhost'}:${clientConfig.port ?? 5432}`;
  const pg = new Client(clientConfig);
  pg.on('error', () => {});
  try {
    await pg.connect();
    await pg.query('SELECT 1');
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: String((error as Error).message), target };
  } finally {
    await pg.end().catch(() => {});
  }
}
