import { TestDatabases } from '@backstage/backend-test-utils';
import { SignInRecords } from './signInRecords';

// PostgreSQL is covered end to end by e2e/integration/keycloak.spec.ts.
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

describe('SignInRecords', () => {
  async function records() {
    const knex = await databases.init('SQLITE_3');
    return {
      knex,
      records: await SignInRecords.create({ getClient: async () => knex }),
    };
  }

  it('keeps the last sign-in of each user, looked up case-insensitively', async () => {
    const { records: store } = await records();
    const first = new Date('2026-05-04T08:00:00.000Z');
    const second = new Date('2026-05-04T09:30:00.000Z');
    await store.record(
      'user:default/Alice',
      ['user:default/Alice', 'group:default/platform-team'],
      first,
    );
    await store.record(
      'user:default/alice',
      [
        'user:default/alice',
        'group:default/platform-team',
        'group:default/team-payments',
      ],
      second,
    );
    await expect(store.get('User:Default/ALICE')).resolves.toEqual({
      ownershipEntityRefs: [
        'user:default/alice',
        'group:default/platform-team',
        'group:default/team-payments',
      ],
      signedInAt: second,
    });
    await expect(store.get('user:default/bob')).resolves.toBeUndefined();
  });

  it('tracks its migrations apart from the auth backend, and runs them once', async () => {
    const { knex } = await records();
    // A second replica starting on the same database.
    await SignInRecords.create({ getClient: async () => knex });
    const applied = await knex('keycloak_sign_ins_knex_migrations').select(
      'name',
    );
    expect(applied.map(row => row.name)).toEqual([
      '20260601000000_keycloak_sign_ins.js',
    ]);
    expect(await knex.schema.hasTable('knex_migrations')).toBe(false);
  });

  it('leaves the schema alone when migrations are skipped', async () => {
    const knex = await databases.init('SQLITE_3');
    await SignInRecords.create({
      getClient: async () => knex,
      migrations: { skip: true },
    });
    expect(await knex.schema.hasTable('keycloak_sign_ins')).toBe(false);
  });
});
