import { existsSync } from 'node:fs';
import path from 'node:path';
import { runGit } from '@internal/plugin-gitops-node';
import {
  actionOptions,
  REQUEST,
  runTemplate,
  SERVICE,
  startRemote,
  TestRemote,
} from './__testUtils__';

// Every test runs git against a loopback server; a loaded CI machine is slow.
jest.setTimeout(30_000);

const BRANCH = 'refs/heads/portal/deploy-service/payments/api';

describe('gitops:change:publish keeps teams and requesters apart', () => {
  let remote: TestRemote;

  beforeEach(async () => {
    remote = await startRemote();
  });
  afterEach(() => remote.cleanup());

  it("refuses a change outside the team's folders, and pushes nothing", async () => {
    const before = await remote.heads();
    const hostile: Array<Record<string, string>> = [
      { 'README.md': '# edited\n' },
      { 'services/search/api/base/kustomization.yaml': 'resources: []\n' },
      { 'bootstrap/argocd/evil.yaml': 'kind: AppProject\n' },
    ];
    for (const files of hostile) {
      await expect(
        runTemplate(remote, actionOptions(remote), {
          files: { ...SERVICE, ...files },
        }),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
        message: expect.stringContaining(
          `this one also changes ${Object.keys(files)[0]}`,
        ),
      });
    }
    // A deletion in another team's folder is refused too.
    await expect(
      runTemplate(remote, actionOptions(remote), {
        request: { ...REQUEST, team: 'group:default/search' },
        files: {},
        remove: ['services/payments/existing'],
      }),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
    expect(await remote.heads()).toEqual(before);
  });

  it('refuses a team that is not a group ref', async () => {
    for (const team of ['payments', 'user:default/bob', 'group:default/']) {
      await expect(
        runTemplate(remote, actionOptions(remote), {
          request: { ...REQUEST, team },
        }),
      ).rejects.toMatchObject({ name: 'InputError' });
    }
  });

  it("never replaces another requester's pending change request", async () => {
    const options = actionOptions(remote);
    const bob = await runTemplate(remote, options, {
      user: 'user:default/bob',
    });
    // Same content from a teammate: the same change request, untouched.
    const same = await runTemplate(remote, options, {
      user: 'user:default/carol',
    });
    expect(same.published.commit).toBe(bob.published.commit);
    // Different content from a teammate: refused, and told whose it is.
    await expect(
      runTemplate(remote, options, {
        user: 'user:default/carol',
        files: { ...SERVICE, 'services/payments/api/extra.yaml': 'a: 1\n' },
      }),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining(
        'holds a pending change request of user:default/bob',
      ),
    });
    expect((await remote.heads())[BRANCH]).toBe(bob.published.commit);
    // The same requester updates it.
    const again = await runTemplate(remote, options, {
      user: 'user:default/bob',
      files: { ...SERVICE, 'services/payments/api/extra.yaml': 'a: 1\n' },
    });
    expect((await remote.heads())[BRANCH]).toBe(again.published.commit);
  });

  it('lets anyone reuse the branch once the change request is merged', async () => {
    const options = actionOptions(remote);
    const bob = await runTemplate(remote, options);
    await runGit([
      `--git-dir=${remote.bare}`,
      'update-ref',
      'refs/heads/main',
      bob.published.commit as string,
    ]);
    const carol = await runTemplate(remote, options, {
      user: 'user:default/carol',
      files: { 'services/payments/api/extra.yaml': 'a: 1\n' },
    });
    expect((await remote.heads())[BRANCH]).toBe(carol.published.commit);
  });
});

describe('sparse worktrees', () => {
  let remote: TestRemote;

  beforeEach(async () => {
    remote = await startRemote();
  });
  afterEach(() => remote.cleanup());

  it('checks out only the declared folders, and still refuses existing paths', async () => {
    const fetchInput = {
      targetPath: 'gitops',
      mustExist: ['teams/payments'],
      mustNotExist: ['services/payments/api'],
    };
    const { workspace, published } = await runTemplate(
      remote,
      actionOptions(remote),
      { fetchInput },
    );
    expect(published.paths).toEqual(Object.keys(SERVICE).sort());
    const root = path.join(workspace, 'gitops');
    expect(existsSync(path.join(root, 'teams/payments/.gitkeep'))).toBe(true);
    expect(existsSync(path.join(root, 'services/payments/existing'))).toBe(
      false,
    );
    // The existing service is not on disk, but it still exists.
    await expect(
      runTemplate(remote, actionOptions(remote), {
        fetchInput: {
          targetPath: 'gitops',
          mustNotExist: ['services/payments/existing'],
        },
      }),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining(
        'service payments/existing already exists',
      ),
    });
  });

  it('refuses files written outside the declared folders', async () => {
    const before = await remote.heads();
    await expect(
      runTemplate(remote, actionOptions(remote), {
        fetchInput: { targetPath: 'gitops', paths: ['services/payments/api'] },
        files: { ...SERVICE, 'services/payments/other/x.yaml': 'a: 1\n' },
      }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining(
        'outside the folders it declared to gitops:repo:fetch (services/payments/api): services/payments/other/x.yaml',
      ),
    });
    expect(await remote.heads()).toEqual(before);
  });
});

describe('concurrent tasks on one repository', () => {
  let remote: TestRemote;

  beforeAll(async () => {
    remote = await startRemote();
  });
  afterAll(() => remote.cleanup());

  it('runs ten tasks at once on one mirror, each with its own branch', async () => {
    const options = actionOptions(remote);
    const names = Array.from({ length: 10 }, (_, i) => `svc-${i}`);
    const results = await Promise.all(
      names.map(name =>
        runTemplate(remote, options, {
          fetchInput: {
            targetPath: 'gitops',
            mustNotExist: [`services/payments/${name}`],
          },
          files: {
            [`services/payments/${name}/base/kustomization.yaml`]: `# ${name}\n`,
          },
          request: { ...REQUEST, branchName: `portal/deploy/${name}` },
        }),
      ),
    );
    const heads = await remote.heads();
    for (const [i, name] of names.entries()) {
      expect(heads[`refs/heads/portal/deploy/${name}`]).toBe(
        results[i].published.commit,
      );
      expect(await remote.files(`portal/deploy/${name}`)).toContain(
        `services/payments/${name}/base/kustomization.yaml`,
      );
      expect(results[i].published.paths).toEqual([
        `services/payments/${name}/base/kustomization.yaml`,
      ]);
    }
  }, 60_000);
});

describe('commit to the base branch', () => {
  let remote: TestRemote;

  beforeEach(async () => {
    remote = await startRemote();
  });
  afterEach(() => remote.cleanup());

  it('rebases onto a base branch that moved, and pushes again', async () => {
    const options = actionOptions(remote, { commitToBaseBranch: true });
    const { published } = await runTemplate(remote, options, {
      beforePublish: async () => {
        await remote.commit({
          'services/payments/other/kustomization.yaml': 'a\n',
        });
      },
    });
    const heads = await remote.heads();
    expect(heads['refs/heads/main']).toBe(published.commit);
    expect(await remote.files('main')).toEqual(
      expect.arrayContaining([
        'services/payments/other/kustomization.yaml',
        ...Object.keys(SERVICE),
      ]),
    );
    expect(await remote.log('main')).toContain('elsewhere');
  });

  it('refuses, changing nothing, when the moved base changed the same file', async () => {
    const options = actionOptions(remote, { commitToBaseBranch: true });
    const [file] = Object.keys(SERVICE);
    let moved = '';
    await expect(
      runTemplate(remote, options, {
        beforePublish: async () => {
          await remote.commit({ [file]: 'kind: Deployment # theirs\n' });
          moved = (await remote.heads())['refs/heads/main'];
        },
      }),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining('no longer applies'),
    });
    expect((await remote.heads())['refs/heads/main']).toBe(moved);
  });
});
