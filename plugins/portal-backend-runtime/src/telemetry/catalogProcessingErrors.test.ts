import { DatabaseService } from '@backstage/backend-plugin-api';
import { DatabaseManager } from '@backstage/backend-defaults/database';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { CatalogProcessingErrors } from './catalogProcessingErrors';

function sqlite(): DatabaseService {
  return DatabaseManager.fromConfig(
    new ConfigReader({
      backend: {
        database: { client: 'better-sqlite3', connection: ':memory:' },
      },
    }),
  ).forPlugin('catalog', {
    logger: mockServices.logger.mock(),
    lifecycle: mockServices.lifecycle.mock(),
  });
}

describe('CatalogProcessingErrors', () => {
  it('counts entities whose refresh state holds errors, as the catalog stores them', async () => {
    const database = sqlite();
    const knex = await database.getClient();
    // The column of the catalog's own migration (refresh_state.errors).
    await knex.schema.createTable('refresh_state', table => {
      table.string('entity_ref');
      table.text('errors');
    });
    await knex('refresh_state').insert([
      { entity_ref: 'component:default/ok', errors: '[]' },
      { entity_ref: 'component:default/new', errors: null },
      { entity_ref: 'component:default/empty', errors: '' },
      {
        entity_ref: 'location:default/templates',
        errors: JSON.stringify([{ name: 'NotFoundError', message: 'gone' }]),
      },
      {
        entity_ref: 'component:default/bad',
        errors: JSON.stringify([{ name: 'InputError', message: 'bad' }]),
      },
    ]);
    const errors = new CatalogProcessingErrors(
      database,
      mockServices.logger.mock(),
    );
    expect(await errors.count()).toBe(2);
  });

  it('gives no value, in bounded time, when the database does not answer', async () => {
    const errors = new CatalogProcessingErrors(
      { getClient: () => new Promise(() => {}) },
      mockServices.logger.mock(),
    );
    const started = Date.now();
    expect(await errors.count()).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(4000);
  });
});
