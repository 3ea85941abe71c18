import fs from 'node:fs/promises';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
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
import { GITOPS_CATALOG_ERROR_ANNOTATION } from '../mapping/annotations';
import {
  GitopsEntityProvider,
  GitopsProviderRun,
} from './GitopsEntityProvider';

const PAYMENTS_API = 'services/team-payments/payments-api/catalog-info.yaml';

/** A provider with its own mirror, and the mutations it applied. */
async function connectProvider(config: GitopsConfig) {
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
  const provider = new GitopsEntityProvider({
    gitops: config,
    repository: () => service.repository(),
    logger,
  });
  const refresh = jest.spyOn(provider, 'refresh');
  await provider.connect(connection);
  // The run connect starts, to catch up at start-up.
  const first: Promise<GitopsProviderRun> = refresh.mock.results[0].value;
  return { provider, mutations, logger, connection, first };
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

  beforeEach(async () => {
    repo = await startGitopsRepository({
      'README.md': '# GitOps\n',
      ...teamFiles('team-payments'),
      ...serviceFiles('team-payments', 'payments-api'),
      ...databaseFiles('team-payments', 'prod', 'ledger'),
    });
  });

  afterEach(() => repo.stop());

  it('reads everything once, then only what changed, and nothing when the branch did not move', async () => {
    const { provider, mutations, first } = await connectProvider(repo.config());
    expect(await first).toMatchObject({ kind: 'full', added: 5, errors: 0 });
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
    const { provider, mutations } = await connectProvider(repo.config());
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

  it('after a restart on the same mirror, fetches only what is new and finds the last good version in history', async () => {
    const config = repo.config();
    const before = await connectProvider(config);
    await before.first;
    const packs = await fs.readdir(
      path.join(config.mirrorDirectory, 'objects', 'pack'),
    );
    await repo.push({ files: { [PAYMENTS_API]: 'kind: [Component\n' } });

    const requestsBefore = repo.server.requests.length;
    const after = await connectProvider(config);
    const run = await after.first;
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
});
