import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import {
  commitAndPush,
  GitHttpServer,
  seedRepository,
  startGitHttpServer,
} from '@internal/dev-git-server';
import { ForgeRepository } from '@internal/stand-ins';
import {
  createGitopsService,
  readGitopsConfig,
} from '@internal/plugin-gitops-node';
import { ChangeRequestStore, DeployStatus } from '../store/ChangeRequestStore';
import { ChangeRequestPoller } from './ChangeRequestPoller';
import { ChangeRequestEvent } from './notifier';

// Every test runs git against a loopback server; a loaded CI machine is slow.
jest.setTimeout(30_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

describe('ChangeRequestPoller against the loopback Git server', () => {
  let dir: string;
  let server: GitHttpServer;
  let forge: ForgeRepository;
  let repoUrl: string;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'poller-'));
    await fs.mkdir(path.join(dir, 'seed/teams/payments'), { recursive: true });
    await fs.writeFile(path.join(dir, 'seed/teams/payments/a.yaml'), 'a: 1\n');
    const bare = await seedRepository(
      path.join(dir, 'repos'),
      'gitops.git',
      path.join(dir, 'seed'),
    );
    forge = new ForgeRepository(bare);
    server = await startGitHttpServer({ root: path.join(dir, 'repos') });
    repoUrl = server.url('gitops.git');
  });
  afterEach(async () => {
    await server.stop();
    await fs.rm(dir, { recursive: true, force: true });
  });

  /** Pushes a branch with one file, as the publish action would. */
  async function pushBranch(branch: string, file: string, content: string) {
    const { commit, parent } = await commitAndPush({
      repoUrl,
      branch,
      files: { [file]: content },
    });
    return { head: commit, base: parent };
  }

  async function setup(deploy?: () => DeployStatus | undefined) {
    const knex = await databases.init('SQLITE_3');
    await knex.migrate.latest({
      directory: path.resolve(__dirname, '../../migrations'),
    });
    const store = new ChangeRequestStore(knex);
    const config = new ConfigReader({
      gitops: { repoUrl, mirrorDirectory: path.join(dir, 'mirror') },
    });
    const gitops = createGitopsService(
      readGitopsConfig(config),
      ScmIntegrations.fromConfig(config),
    );
    const events: Array<[string, ChangeRequestEvent]> = [];
    const poller = new ChangeRequestPoller({
      store,
      gitops,
      notifier: {
        notify: async (request, event) => {
          events.push([request.requester, event]);
        },
      },
      deployments: deploy ? { statusOf: async () => deploy() } : undefined,
      logger: mockServices.logger.mock(),
      deployWatchMs: 60_000,
    });
    return { store, poller, events };
  }

  async function record(
    store: ChangeRequestStore,
    branch: string,
    commits: { head: string; base: string },
  ) {
    return store.record({
      template: 'template:default/deploy-service',
      requester: 'user:default/bob',
      team: 'group:default/team-payments',
      title: `Change on ${branch}`,
      provider: 'git',
      branch,
      forgeUrl: `${repoUrl}/compare/main...${branch}`,
      paths: ['services/team-payments/api/base/a.yaml'],
      baseCommit: commits.base,
      headCommit: commits.head,
      merged: false,
    });
  }

  it('follows a request through an update, its merge and its deployment', async () => {
    let deployed: DeployStatus | undefined;
    const { store, poller, events } = await setup(() => deployed);
    const branch = 'portal/deploy/a';
    const first = await pushBranch(
      branch,
      'services/team-payments/api/base/a.yaml',
      'a\n',
    );
    const { id } = await record(store, branch, first);

    // A re-run of the same request records the same change request.
    const rerun = await pushBranch(
      branch,
      'services/team-payments/api/base/a.yaml',
      'b\n',
    );
    expect((await record(store, branch, rerun)).id).toBe(id);
    // Someone pushes to the branch at the forge: the head is followed.
    const theirs = await pushBranch(
      branch,
      'services/team-payments/api/base/c.yaml',
      'c\n',
    );
    await poller.run();
    let [request] = (await store.list({ id })).items;
    expect(request).toMatchObject({ state: 'open', headCommit: theirs.head });
    expect(request.folders).toEqual(['services/team-payments/api']);

    await forge.merge(branch, 'main', true);
    await poller.run();
    [request] = (await store.list({ id })).items;
    expect(request.state).toBe('merged');
    expect(request.closedAt).toBeDefined();
    expect(events).toEqual([['user:default/bob', 'merged']]);

    // Argo CD: nothing to say yet, then healthy (told once), then degraded.
    await poller.run();
    deployed = 'healthy';
    await poller.run();
    await poller.run();
    deployed = 'degraded';
    await poller.run();
    expect(events.map(([, event]) => event)).toEqual([
      'merged',
      'healthy',
      'degraded',
    ]);
  });

  it('marks a request closed when its branch is deleted unmerged', async () => {
    const { store, poller, events } = await setup();
    const branch = 'portal/deploy/b';
    const { id } = await record(
      store,
      branch,
      await pushBranch(branch, 'services/team-payments/b/a.yaml', 'b\n'),
    );
    await forge.deleteBranch(branch);
    await poller.run();
    expect((await store.list({ id })).items[0].state).toBe('closed');
    expect(events).toEqual([['user:default/bob', 'closed']]);
    // A new request on the same branch is a new change request.
    const again = await record(
      store,
      branch,
      await pushBranch(branch, 'services/team-payments/b/a.yaml', 'c\n'),
    );
    expect(again.id).not.toBe(id);
  });
});
