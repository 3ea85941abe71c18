import { TestDatabases } from '@backstage/backend-test-utils';
import { ConflictError } from '@backstage/errors';
import { sqliteStore } from '../__testUtils__/providerStore';
import { FolderState } from '../provider/keptState';
import { GitopsProviderStore } from './GitopsProviderStore';

// PostgreSQL is covered end to end by
// e2e/integration/gitops-catalog-replicas.spec.ts.
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

function folder(name: string, description = 'A service'): FolderState {
  return {
    file: `services/team-a/${name}/catalog-info.yaml`,
    entities: [
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name, description },
        spec: { owner: 'group:default/team-a' },
      },
    ],
    goodCommit: 'a'.repeat(40),
  };
}

const path = (name: string) => `services/team-a/${name}`;

describe('GitopsProviderStore', () => {
  it('records what each claimed run applied, and serves the folder states written since a generation', async () => {
    const { store } = await sqliteStore(databases);
    const empty = await store.applied();
    expect(empty).toEqual({ generation: 0 });
    expect(await store.folders()).toEqual(new Map());

    expect(await store.claim(empty, 'run-1')).toBe(true);
    expect(await store.applied()).toEqual({
      generation: 0,
      pendingRun: 'run-1',
    });
    await expect(
      store.record(
        empty,
        'run-1',
        'c1',
        new Map([
          [path('a'), folder('a')],
          [path('b'), folder('b')],
        ]),
      ),
    ).resolves.toBe(1);
    const first = await store.applied();
    expect(first).toEqual({ commit: 'c1', generation: 1 });

    expect(await store.claim(first, 'run-2')).toBe(true);
    await store.record(
      first,
      'run-2',
      'c2',
      new Map([
        [path('a'), undefined],
        [path('c'), folder('c', 'New')],
      ]),
    );
    expect(await store.applied()).toEqual({ commit: 'c2', generation: 2 });
    // Everything there is, for a replica that has nothing yet.
    expect(await store.folders()).toEqual(
      new Map([
        [path('b'), folder('b')],
        [path('c'), folder('c', 'New')],
      ]),
    );
    // What a replica at generation 1 has missed: a removal, an addition.
    expect(await store.folders(1)).toEqual(
      new Map([
        [path('a'), undefined],
        [path('c'), folder('c', 'New')],
      ]),
    );
    expect(await store.folders(2)).toEqual(new Map());
  });

  it('lets one run at a time claim the catalog, and records nothing for a run that lost its claim', async () => {
    const { store } = await sqliteStore(databases);
    const seen = await store.applied();
    expect(await store.claim(seen, 'run-1')).toBe(true);
    // A second run that read the same state, and a stale one.
    expect(await store.claim(seen, 'run-2')).toBe(false);
    // A run that finds run-1's claim takes it over (run-1 died).
    const claimed = await store.applied();
    expect(await store.claim(claimed, 'run-3')).toBe(true);
    await expect(
      store.record(seen, 'run-1', 'c1', new Map([[path('a'), folder('a')]])),
    ).rejects.toThrow(ConflictError);
    expect(await store.applied()).toEqual({
      generation: 0,
      pendingRun: 'run-3',
    });
    expect(await store.folders()).toEqual(new Map());

    await store.release('run-1');
    expect((await store.applied()).pendingRun).toBe('run-3');
    await store.release('run-3');
    expect(await store.applied()).toEqual({ generation: 0 });
  });

  it('writes thousands of folder states in one record', async () => {
    const { store } = await sqliteStore(databases);
    const states = new Map(
      Array.from({ length: 2000 }, (_, i) => [path(`s${i}`), folder(`s${i}`)]),
    );
    const seen = await store.applied();
    await store.claim(seen, 'run-1');
    await store.record(seen, 'run-1', 'c1', states);
    expect(await store.folders()).toEqual(states);
  });

  it('tracks its migrations apart from the catalog, runs them once, and leaves the schema alone when migrations are skipped', async () => {
    const { knex } = await sqliteStore(databases);
    // A second replica starting on the same database.
    await GitopsProviderStore.create({ getClient: async () => knex });
    const applied = await knex('gitops_provider_knex_migrations').select(
      'name',
    );
    expect(applied.map(row => row.name)).toEqual([
      '20261201000000_gitops_provider_state.js',
    ]);
    expect(await knex.schema.hasTable('knex_migrations')).toBe(false);
    expect(await knex('gitops_provider_state').count({ n: '*' })).toEqual([
      { n: 1 },
    ]);

    const latest = jest.spyOn(knex.migrate, 'latest');
    await GitopsProviderStore.create({
      getClient: async () => knex,
      migrations: { skip: true },
    });
    expect(latest).not.toHaveBeenCalled();
  });
});
