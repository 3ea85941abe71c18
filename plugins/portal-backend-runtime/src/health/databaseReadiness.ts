import {
  coreServices,
  createServiceFactory,
  createServiceRef,
  DatabaseService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { stringifyError } from '@backstage/errors';

/** The result of one readiness check of the database. */
export type DatabaseCheck = { ok: true } | { ok: false; reason: string };

/**
 * Asks a plugin's own database pool (`coreServices.database`) for
 * `SELECT 1`, so readiness sees what the plugins see and opens no connection
 * of its own. A pool that does not answer within `timeoutMs` counts as down.
 */
export class DatabaseReadiness {
  #database: DatabaseService | undefined;
  #wasDown = false;

  constructor(
    private readonly logger: LoggerService,
    private readonly timeoutMs = 3000,
  ) {}

  /** Checks this plugin database service from now on. */
  follow(database: DatabaseService) {
    this.#database = database;
  }

  async check(): Promise<DatabaseCheck> {
    const database = this.#database;
    if (!database) {
      const unwired = {
        ok: false as const,
        reason: 'no pool to ask (unwired)',
      };
      this.#record(unwired);
      return unwired;
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${this.timeoutMs} ms`)),
        this.timeoutMs,
      );
    });
    try {
      await Promise.race([
        database.getClient().then(client => client.raw('select 1')),
        timeout,
      ]);
      this.#record({ ok: true });
      return { ok: true };
    } catch (error) {
      const result = { ok: false as const, reason: stringifyError(error) };
      this.#record(result);
      return result;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Logs changes only: the probe runs every few seconds. */
  #record(result: DatabaseCheck) {
    if (!result.ok && !this.#wasDown) {
      this.logger.warn(`Not ready: database unreachable, ${result.reason}`);
    } else if (result.ok && this.#wasDown) {
      this.logger.info('Ready again: the database answers');
    }
    this.#wasDown = !result.ok;
  }
}

/** The one {@link DatabaseReadiness} of the backend. */
export const databaseReadinessServiceRef = createServiceRef<DatabaseReadiness>({
  id: 'portal.database-readiness',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: { logger: coreServices.rootLogger },
      factory: ({ logger }) => new DatabaseReadiness(logger),
    }),
});
