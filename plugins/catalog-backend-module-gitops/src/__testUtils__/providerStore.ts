import { TestDatabases } from '@backstage/backend-test-utils';
import { GitopsProviderStore } from '../state/GitopsProviderStore';

/**
 * The provider's shared state in a fresh SQLite database of `databases`
 * (which must be created at the top of the test file).
 */
export async function sqliteStore(databases: TestDatabases) {
  const knex = await databases.init('SQLITE_3');
  const store = await GitopsProviderStore.create({
    getClient: async () => knex,
  });
  return { knex, store };
}
