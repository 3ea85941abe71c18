import {
  coreServices,
  createBackendModule,
  DatabaseService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { metricsServiceRef } from '@backstage/backend-plugin-api/alpha';
import { stringifyError } from '@backstage/errors';

/** A scrape waits this long at most for the count; a stuck database shows as no value. */
const QUERY_TIMEOUT_MS = 2000;
/** Several scrapers (or replicas of Prometheus) share one count this long. */
const CACHE_MS = 15_000;

/**
 * Counts the catalog entities whose last processing failed or left errors
 * (a location that cannot be read, a malformed catalog-info.yaml, a
 * provider's entity a processor refuses): the `errors` the catalog keeps on
 * each entity's refresh state, the ones its pages show. Bounded in time and
 * cached, since it runs at scrape time.
 */
export class CatalogProcessingErrors {
  #cached?: { at: number; count: number };

  constructor(
    private readonly database: DatabaseService,
    private readonly logger: LoggerService,
  ) {}

  /** The count, or undefined when the database did not answer in time. */
  async count(): Promise<number | undefined> {
    if (this.#cached && Date.now() - this.#cached.at < CACHE_MS) {
      return this.#cached.count;
    }
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${QUERY_TIMEOUT_MS} ms`)),
          QUERY_TIMEOUT_MS,
        );
      });
      const n = await Promise.race([this.#query(), timeout]);
      this.#cached = { at: Date.now(), count: n };
      return this.#cached.count;
    } catch (error) {
      this.logger.debug(
        `Catalog processing errors not counted: ${stringifyError(error)}`,
      );
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  async #query(): Promise<number> {
    const knex = await this.database.getClient();
    const [{ n }] = await knex('refresh_state')
      .whereNotNull('errors')
      .whereNotIn('errors', ['', '[]'])
      .count({ n: '*' });
    return Number(n);
  }
}

/**
 * `portal.catalog.processing.errors`, from the catalog's own database. The
 * catalog's `catalog.processed.entities.count` (result `failed` or
 * `errors`) counts processing attempts; this gauge says how many entities
 * are broken right now.
 */
export const catalogProcessingErrorsModule = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'portal-processing-errors',
  register(reg) {
    reg.registerInit({
      deps: {
        database: coreServices.database,
        logger: coreServices.logger,
        metrics: metricsServiceRef,
      },
      async init({ database, logger, metrics }) {
        const errors = new CatalogProcessingErrors(database, logger);
        metrics
          .createObservableGauge('portal.catalog.processing.errors', {
            description:
              'Catalog entities whose last processing failed or left errors',
          })
          .addCallback(async result => {
            const count = await errors.count();
            if (count !== undefined) result.observe(count);
          });
      },
    });
  },
});
