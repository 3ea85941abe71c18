import fs from 'node:fs/promises';
import path from 'node:path';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import {
  EntityProviderConnection,
  EntityProviderMutation,
} from '@backstage/plugin-catalog-node';
import {
  createGitopsService,
  GitopsConfig,
} from '@internal/plugin-gitops-node';
import {
  databaseFiles,
  serviceFiles,
  teamFiles,
} from '../__testUtils__/fixtures';
import {
  startGitopsRepository,
  TestGitopsRepository,
} from '../__testUtils__/gitopsRepository';
import { sqliteStore } from '../__testUtils__/providerStore';
import { GITOPS_CATALOG_ERROR_ANNOTATION } from '../mapping/annotations';
import { GitopsProviderStore } from '../state/GitopsProviderStore';
import { GitopsEntityProvider } from './GitopsEntityProvider';

const PAYMENTS_API = 'services/team-payments/payments-api/catalog-info.yaml';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

/**
 * A provider with its own mirror (a replica, say), on a shared store, and
 * the mutations it applied.
 */
async function connectProvider(
  config: GitopsConfig,
  store: GitopsProviderStore,
) {
  const mutations: EntityProviderMutation[] = [];
  const connection: EntityProviderConnection = {
    applyMutation: async mutation => {
      mutations.push(mutation);
    },
    refresh: async () => {},
  };
  const logger = mockServices.logger.mock();
  const service = createGitopsService(
    config,
    ScmIntegrations.fromConfig(new ConfigReader({})),
  );
  const trigger = jest.fn(async () => {});
  const provider = new GitopsEntityProvider({
    gitops: config,
    repository: () => service.repository(),
    store,
    logger,
    trigger,
  });
  await provider.connect(connection);
  expect(trigger).toHaveBeenCalledTimes(1);
  return { provider, mutations, logger, connection };
}

const refs = (entities: Array<{ entity: Entity }>) =>
  entities.map(e => stringifyEntityRef(e.entity)).sort();

function lastDelta(mutations: EntityProviderMutation[]) {
  const mutation = mutations[mutations.length - 1];
  if (mutation?.type !== 'delta') throw new Error('no delta mutation');
  return mutation;
}

describe('GitopsEntityProvider', () => {
  let repo: TestGitopsRepository;
  let store: GitopsProviderStore;

  beforeEach(async () => {
    ({ store } = await sqliteStore(databases));
    repo = await startGitopsRepository({
      'README.md': '# GitOps\n',
      ...teamFiles('team-payments'),
      ...serviceFiles('team-payments', 'payments-api'),
      ...databaseFiles('team-payments', 'prod', 'ledger'),
    });
  });

  afterEach(() => repo.stop());

  it('reads everything once, then only what changed, and nothing when the branch did not move', async () => {
    const { provider, mutations } = await connectProvider(repo.config(), store);
    expect(await provider.refresh()).toMatchObject({
      kind: 'full',
      added: 5,
      errors: 0,
    });
    expect(mutations[0].type).toBe('full');
    expect(
      refs(mutations[0].type === 'full' ? mutations[0].entities : []),
    ).toEqual([
      'component:default/payments-api',
      'resource:default/team-payments-dev',
      'resource:default/team-payments-ledger-prod',
      'resource:default/team-payments-prod',
      'resource:default/team-payments-test',
    ]);

    expect(await provider.refresh()).toMatchObject({ kind: 'none' });
    expect(mutations).toHaveLength(1);

    await repo.push({
      files: {
        ...serviceFiles('team-payments', 'payments-api', {
          description: 'Takes card payments',
        }),
        ...serviceFiles('team-payments', 'refunds'),
      },
      remove: ['databases/team-payments/prod/ledger'],
    });
    const delta = await provider.refresh();
    expect(delta).toMatchObject({
      kind: 'delta',
      foldersRead: 2,
      filesRead: 2,
      added: 2,
      removed: 1,
    });
    const mutation = lastDelta(mutations);
    expect(refs(mutation.added)).toEqual([
      'component:default/payments-api',
      'component:default/refunds',
    ]);
    expect(mutation.added[0].entity.metadata.description).toBe(
      'Takes card payments',
    );
    expect(mutation.removed).toEqual([
      { entityRef: 'resource:default/team-payments-ledger-prod' },
    ]);

    await repo.push({ files: { 'README.md': '# Changed\n' } });
    expect(await provider.refresh()).toMatchObject({
      kind: 'delta',
      foldersRead: 0,
      filesRead: 0,
    });
    expect(mutations).toHaveLength(2);
  });

  it('follows environments that appear and go in a folder', async () => {
    const { provider, mutations } = await connectProvider(repo.config(), store);
    await provider.refresh();
    await repo.push({
      files: {
        'services/team-payments/payments-api/overlays/test/kustomization.yaml':
          'resources: [../../base]\n',
      },
      remove: ['services/team-payments/payments-api/overlays/prod'],
    });
    await provider.refresh();
    const [{ entity }] = lastDelta(mutations).added;
    const annotations = entity.metadata.annotations!;
    expect(annotations['gitops.portal/argocd-app.test']).toBe(
      'team-payments.payments-api.test',
    );
    expect(annotations['gitops.portal/argocd-app.prod']).toBeUndefined();
    expect(annotations['backstage.io/kubernetes-namespace']).toBe(
      'team-payments-test',
    );
  });

  it('keeps the last good entity of a malformed file, with the error, until the file is fixed', async () => {
    const { provider, mutations, logger } = await connectProvider(
      repo.config(),
      store,
    );
    const { commit: good } = await provider.refresh();
    expect(mutations).toHaveLength(1);
    await repo.push({ files: { [PAYMENTS_API]: 'kind: [Component\n' } });
    expect(await provider.refresh()).toMatchObject({ errors: 1, added: 1 });
    const [{ entity }] = lastDelta(mutations).added;
    expect(entity.metadata.description).toBe('The payments-api service');
    expect(entity.metadata.annotations![GITOPS_CATALOG_ERROR_ANNOTATION]).toBe(
      `${PAYMENTS_API}: YAML error: Flow sequence in block collection must be sufficiently indented and end with a ] at line 2, column 1 (the catalog keeps the version of commit ${good.slice(
        0,
        12,
      )})`,
    );
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(`${PAYMENTS_API} is not used`),
    );

    await repo.push({
      files: serviceFiles('team-payments', 'payments-api', {
        description: 'Fixed',
      }),
    });
    await provider.refresh();
    const [{ entity: fixed }] = lastDelta(mutations).added;
    expect(fixed.metadata.description).toBe('Fixed');
    expect(
      fixed.metadata.annotations![GITOPS_CATALOG_ERROR_ANNOTATION],
    ).toBeUndefined();
  });

  it('emits nothing of a file that was never good, nor of hostile groups and users', async () => {
    const { provider, mutations, logger } = await connectProvider(
      repo.config(),
      store,
    );
    await provider.refresh();
    const group = `apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: platform-team
spec:
  type: team
  children: []
  members: [bob]
`;
    await repo.push({
      files: {
        'services/team-payments/evil/catalog-info.yaml': group,
        'services/team-payments/evil/overlays/dev/kustomization.yaml': '{}\n',
        'teams/team-search/catalog-info.yaml': group.replace('Group', 'User'),
        'teams/team-search/dev/namespace.yaml': '{}\n',
      },
    });
    expect(await provider.refresh()).toMatchObject({
      errors: 2,
      added: 0,
      removed: 0,
    });
    expect(mutations).toHaveLength(1);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(
        /teams\/team-search\/catalog-info.yaml is not used and has never been good.*kind User is refused/,
      ),
    );
  });

  it('gives an entity two folders name to the older file, and to the other once it is gone', async () => {
    const { provider, mutations, logger } = await connectProvider(
      repo.config(),
      store,
    );
    await provider.refresh();
    await repo.push({ files: serviceFiles('team-search', 'payments-api') });
    expect(await provider.refresh()).toMatchObject({ added: 0, removed: 0 });
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(`only ${PAYMENTS_API}, the oldest, is used`),
    );

    await repo.push({ remove: ['services/team-payments/payments-api'] });
    await provider.refresh();
    const mutation = lastDelta(mutations);
    expect(mutation.removed).toEqual([]);
    expect(mutation.added[0].entity.spec!.owner).toBe(
      'group:default/team-search',
    );
    expect(mutation.added[0].locationKey).toBe(
      'gitops:services/team-search/payments-api/catalog-info.yaml',
    );
  });

  it('applies nothing to its state when the catalog refuses a mutation, and retries', async () => {
    const { provider, mutations, connection } = await connectProvider(
      repo.config(),
      store,
    );
    await provider.refresh();
    await repo.push({ remove: ['services/team-payments/payments-api'] });
    const apply = connection.applyMutation;
    connection.applyMutation = async () => {
      throw new Error('database is down');
    };
    await expect(provider.refresh()).rejects.toThrow('database is down');
    connection.applyMutation = apply;
    expect(await provider.refresh()).toMatchObject({
      kind: 'delta',
      removed: 1,
    });
    expect(lastDelta(mutations).removed).toEqual([
      { entityRef: 'component:default/payments-api' },
    ]);
  });

  it('after a restart on the same mirror and a new database, fetches only what is new and finds the last good version in history', async () => {
    const config = repo.config();
    const before = await connectProvider(config, store);
    await before.provider.refresh();
    const packs = await fs.readdir(
      path.join(config.mirrorDirectory, 'objects', 'pack'),
    );
    await repo.push({ files: { [PAYMENTS_API]: 'kind: [Component\n' } });

    const requestsBefore = repo.server.requests.length;
    const fresh = await sqliteStore(databases);
    const after = await connectProvider(config, fresh.store);
    const run = await after.provider.refresh();
    expect(run).toMatchObject({ kind: 'full', errors: 1, added: 5 });
    // The pack of the first clone is still there; only the new commit came.
    expect(
      await fs.readdir(path.join(config.mirrorDirectory, 'objects', 'pack')),
    ).toEqual(expect.arrayContaining(packs));
    expect(
      repo.server.requests
        .slice(requestsBefore)
        .filter(r => r.method === 'POST'),
    ).toHaveLength(2);

    const full = after.mutations[0] as { entities: Array<{ entity: Entity }> };
    const kept = full.entities.find(
      e => e.entity.metadata.name === 'payments-api',
    )!.entity;
    expect(kept.metadata.description).toBe('The payments-api service');
    expect(kept.metadata.annotations![GITOPS_CATALOG_ERROR_ANNOTATION]).toMatch(
      /YAML error/,
    );
  });

  it('after a restart on the same database, keeps the version the catalog has, and changes no folder state that did not change', async () => {
    const config = repo.config();
    const before = await connectProvider(config, store);
    const { commit: applied } = await before.provider.refresh();
    // Two merges between runs: a good new version, then a broken one.
    await repo.push({
      files: serviceFiles('team-payments', 'payments-api', {
        description: 'Never applied',
      }),
    });
    await repo.push({ files: { [PAYMENTS_API]: 'kind: [Component\n' } });

    const after = await connectProvider(config, store);
    const record = jest.spyOn(store, 'record');
    expect(await after.provider.refresh()).toMatchObject({
      kind: 'full',
      errors: 1,
      // Every file once, none from history.
      filesRead: 3,
      statesLoaded: 3,
    });
    const full = after.mutations[0] as { entities: Array<{ entity: Entity }> };
    const kept = full.entities.find(
      e => e.entity.metadata.name === 'payments-api',
    )!.entity;
    expect(kept.metadata.description).toBe('The payments-api service');
    expect(
      kept.metadata.annotations![GITOPS_CATALOG_ERROR_ANNOTATION],
    ).toContain(
      `the catalog keeps the version of commit ${applied.slice(0, 12)}`,
    );
    // Only the broken folder's state changed.
    expect([...record.mock.calls[0][3].keys()]).toEqual([
      'services/team-payments/payments-api',
    ]);
  });

  /** Two replicas' providers: a mirror each, one shared provider store. */
  const twoReplicas = () =>
    Promise.all(
      ['a', 'b'].map(replica =>
        connectProvider(
          repo.config({
            mirrorDirectory: `${repo.config().mirrorDirectory}-${replica}`,
          }),
          store,
        ),
      ),
    );

  it('on two replicas, one diffs from what the other applied: an entity added on one and removed on the other goes', async () => {
    const [a, b] = await twoReplicas();
    expect(await b.provider.refresh()).toMatchObject({ kind: 'full' });
    expect(await a.provider.refresh()).toMatchObject({
      kind: 'full',
      statesLoaded: 3,
    });

    await repo.push({ files: serviceFiles('team-payments', 'ephemeral') });
    expect(await a.provider.refresh()).toMatchObject({
      kind: 'delta',
      added: 1,
      statesLoaded: 0,
    });
    expect(await b.provider.refresh()).toMatchObject({ kind: 'none' });

    await repo.push({ remove: ['services/team-payments/ephemeral'] });
    // B reads the one folder state A wrote since B's own run, not all.
    expect(await b.provider.refresh()).toMatchObject({
      kind: 'delta',
      removed: 1,
      statesLoaded: 1,
      foldersRead: 0,
    });
    expect(lastDelta(b.mutations).removed).toEqual([
      { entityRef: 'component:default/ephemeral' },
    ]);

    // A catches up on the removal the same way, and hands over nothing.
    await repo.push({ files: serviceFiles('team-payments', 'refunds') });
    expect(await a.provider.refresh()).toMatchObject({
      kind: 'delta',
      added: 1,
      removed: 0,
      statesLoaded: 1,
    });
    expect(
      lastDelta(a.mutations).added.map(e => e.entity.metadata.name),
    ).toEqual(['refunds']);
  });

  it('after a run that died between changing the catalog and recording it, the next run on any replica applies a full mutation', async () => {
    const [a, b] = await twoReplicas();
    await a.provider.refresh();
    await b.provider.refresh();
    await repo.push({ files: serviceFiles('team-payments', 'ephemeral') });
    jest
      .spyOn(store, 'record')
      .mockRejectedValueOnce(new Error('connection terminated'));
    await expect(a.provider.refresh()).rejects.toThrow('connection terminated');
    expect(lastDelta(a.mutations).added[0].entity.metadata.name).toBe(
      'ephemeral',
    );

    await repo.push({ remove: ['services/team-payments/ephemeral'] });
    const run = await b.provider.refresh();
    expect(run).toMatchObject({ kind: 'full', added: 5 });
    const full = b.mutations[b.mutations.length - 1];
    expect(full.type).toBe('full');
    expect(b.logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('changed the catalog without recording'),
    );
    // And the run after it is a delta again.
    await repo.push({ files: serviceFiles('team-payments', 'refunds') });
    expect(await a.provider.refresh()).toMatchObject({ kind: 'delta' });
  });

  it('stops before touching the catalog when another run applied since it read the state', async () => {
    const { provider, mutations } = await connectProvider(repo.config(), store);
    await provider.refresh();
    await repo.push({ files: serviceFiles('team-payments', 'refunds') });
    const seen = await store.applied();
    // Another replica's run claims and records in between.
    jest.spyOn(store, 'applied').mockResolvedValueOnce(seen);
    await store.claim(seen, 'other-run');
    await store.record(seen, 'other-run', seen.commit!, new Map());
    await expect(provider.refresh()).rejects.toThrow(
      'Another run changed the catalog meanwhile',
    );
    expect(mutations).toHaveLength(1);
    expect(await provider.refresh()).toMatchObject({ kind: 'delta', added: 1 });
  });
});
