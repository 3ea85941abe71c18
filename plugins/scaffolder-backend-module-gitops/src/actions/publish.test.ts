import fs from 'node:fs/promises';
import { mockServices } from '@backstage/backend-test-utils';
import { createGitopsRepoFetchAction } from './fetch';
import { createGitopsChangePublishAction } from './publish';
import {
  actionOptions,
  mockContext,
  REQUEST,
  runTemplate,
  SERVICE,
  startRemote,
  TestRemote,
} from './__testUtils__';
import { GitopsActionOptions } from './options';

// Every test runs git against a loopback server; a loaded CI machine is slow.
jest.setTimeout(30_000);

describe('gitops:repo:fetch and gitops:change:publish against a loopback git server', () => {
  let remote: TestRemote;
  let options: GitopsActionOptions;

  beforeEach(async () => {
    remote = await startRemote();
    options = actionOptions(remote);
  });
  afterEach(() => remote.cleanup());

  it('publishes one branch with exactly the expected files', async () => {
    const before = await remote.heads();
    const { fetched, published } = await runTemplate(remote, options);

    expect(fetched.baseCommit).toBe(before['refs/heads/main']);
    const heads = await remote.heads();
    expect(Object.keys(heads).sort()).toEqual([
      'refs/heads/main',
      'refs/heads/portal/deploy-service/payments/api',
    ]);
    expect(heads['refs/heads/main']).toBe(before['refs/heads/main']);
    const branch = 'portal/deploy-service/payments/api';
    expect(published).toEqual({
      branch,
      commit: heads[`refs/heads/${branch}`],
      changeUrl: `${remote.repoUrl.replace(
        /\.git$/,
        '',
      )}/compare/main...portal/deploy-service/payments/api`,
      forgeUrl: `${remote.repoUrl.replace(
        /\.git$/,
        '',
      )}/compare/main...portal/deploy-service/payments/api`,
      paths: [
        'services/payments/api/base/deployment.yaml',
        'services/payments/api/base/kustomization.yaml',
      ],
    });
    const added = (await remote.files(branch)).filter(
      f => !Object.keys(SERVICE).includes(f),
    );
    expect(added).toEqual(await remote.files('main'));
    expect(
      await remote.show(branch, 'services/payments/api/base/deployment.yaml'),
    ).toBe('kind: Deployment # from the template\n');
    const log = await remote.log(branch);
    expect(log).toContain('Developer Portal <developer-portal@localhost>');
    expect(log).toContain(
      'Deploy service api for payments\n\nAdds the service api of team payments.\n\nRequested-by: user:default/bob',
    );
  });

  it('updates the same branch when the same request runs again', async () => {
    const first = await runTemplate(remote, options);
    const second = await runTemplate(remote, options);
    let heads = await remote.heads();
    expect(Object.keys(heads)).toHaveLength(2);
    // Identical content: the branch is left at the first run's commit.
    expect(second.published.commit).toBe(first.published.commit);

    // Changed content: the same branch is replaced, still one branch.
    const third = await runTemplate(remote, options, {
      files: {
        ...SERVICE,
        'services/payments/api/base/deployment.yaml': 'kind: Deployment # v2\n',
      },
    });
    heads = await remote.heads();
    expect(Object.keys(heads)).toHaveLength(2);
    expect(heads['refs/heads/portal/deploy-service/payments/api']).toBe(
      third.published.commit,
    );
    expect(third.published.commit).not.toBe(first.published.commit);
    expect(
      await remote.show(
        'portal/deploy-service/payments/api',
        'services/payments/api/base/deployment.yaml',
      ),
    ).toBe('kind: Deployment # v2\n');
    // One commit on top of main, not a pile of them.
    expect(
      (await remote.log('main..portal/deploy-service/payments/api')).match(
        /Requested-by/g,
      ),
    ).toHaveLength(1);
  });

  it('publishes deletions and edits', async () => {
    const kustomization = 'services/payments/existing/base/kustomization.yaml';
    const { published } = await runTemplate(remote, options, {
      files: { [kustomization]: 'resources: []\n' },
      remove: ['services/payments/existing/base/deployment.yaml'],
      request: { ...REQUEST, branchName: 'portal/remove/existing' },
    });
    expect(published.paths).toEqual([
      'services/payments/existing/base/deployment.yaml',
      kustomization,
    ]);
    const files = await remote.files('portal/remove/existing');
    expect(files).not.toContain(
      'services/payments/existing/base/deployment.yaml',
    );
    expect(await remote.show('portal/remove/existing', kustomization)).toBe(
      'resources: []\n',
    );
  });

  it('refuses when a path that must not exist does, and changes nothing', async () => {
    const before = await remote.heads();
    const workspace = await remote.workspace();
    const { ctx } = mockContext(workspace, {
      mustNotExist: ['services/payments/existing', 'services/payments/new'],
    });
    await expect(
      createGitopsRepoFetchAction(options).handler(ctx),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining(
        'service payments/existing already exists at services/payments/existing',
      ),
    });
    expect(await remote.heads()).toEqual(before);
    expect(await fs.readdir(workspace)).toEqual([]);
  });

  it('refuses when a path that must exist does not', async () => {
    const { ctx } = mockContext(await remote.workspace(), {
      mustExist: ['teams/payments', 'teams/search'],
    });
    await expect(
      createGitopsRepoFetchAction(options).handler(ctx),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(/^teams\/search must exist/),
    });
  });

  it.each([
    [{ mustNotExist: ['../outside'] }, 'InputError'],
    [{ mustNotExist: ['services/../../outside'] }, 'InputError'],
    [{ mustExist: ['/etc/passwd'] }, 'InputError'],
    [{ mustExist: ['.git/config'] }, 'InputError'],
    [{ targetPath: '../outside' }, 'NotAllowedError'],
  ])('refuses the path escape %j', async (input, name) => {
    const before = await remote.heads();
    const workspace = await remote.workspace();
    const { ctx } = mockContext(workspace, input as any);
    await expect(
      createGitopsRepoFetchAction(options).handler(ctx),
    ).rejects.toMatchObject({ name });
    expect(await remote.heads()).toEqual(before);
  });

  it('refuses a sourcePath outside the workspace', async () => {
    const { ctx } = mockContext(await remote.workspace(), {
      ...REQUEST,
      sourcePath: '../../..',
    });
    await expect(
      createGitopsChangePublishAction(options).handler(ctx),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
    });
  });

  it('pushes nothing in a dry run, but computes the change', async () => {
    const before = await remote.heads();
    const { fetched, published } = await runTemplate(remote, options, {
      isDryRun: true,
    });
    expect(fetched.baseCommit).toBe(before['refs/heads/main']);
    expect(published.paths).toEqual(Object.keys(SERVICE).sort());
    expect(published.branch).toBe(REQUEST.branchName);
    expect(published.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(await remote.heads()).toEqual(before);
  });

  it('refuses an empty change', async () => {
    await expect(
      runTemplate(remote, options, { files: {} }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('nothing to change'),
    });
    expect(Object.keys(await remote.heads())).toEqual(['refs/heads/main']);
  });

  it.each([
    'bad..name',
    '-leading',
    'has space',
    'ends/',
    'x.lock',
    'a//b',
    'évil',
  ])('refuses the branch name %j', async branchName => {
    await expect(
      runTemplate(remote, options, { request: { ...REQUEST, branchName } }),
    ).rejects.toMatchObject({ name: 'InputError' });
  });

  it('never publishes a request on the base branch', async () => {
    await expect(
      runTemplate(remote, options, {
        request: { ...REQUEST, branchName: 'main' },
      }),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
  });

  it('commits straight to the base branch when so configured', async () => {
    const direct = actionOptions(remote, { commitToBaseBranch: true });
    const { published } = await runTemplate(remote, direct);
    const heads = await remote.heads();
    expect(Object.keys(heads)).toEqual(['refs/heads/main']);
    expect(published.branch).toBe('main');
    expect(heads['refs/heads/main']).toBe(published.commit);
    expect(published.changeUrl).toBe(
      `${remote.repoUrl.replace(/\.git$/, '')}/commit/${published.commit}`,
    );
  });

  it('fills in gitops.changeUrlTemplate', async () => {
    const templated = actionOptions(remote, {
      changeUrlTemplate:
        'https://git.example.com/platform/gitops/compare/{baseBranch}...{branch}',
    });
    const { published } = await runTemplate(remote, templated);
    expect(published.changeUrl).toBe(
      'https://git.example.com/platform/gitops/compare/main...portal/deploy-service/payments/api',
    );
  });
});

describe('credentials', () => {
  const USER = { username: 'portal-bot', password: 's3cr3t-Pa55word' };
  let remote: TestRemote;

  beforeEach(async () => {
    remote = await startRemote(USER);
  });
  afterEach(() => remote.cleanup());

  const withIntegration = (password: string) =>
    actionOptions(remote, {
      auth: { username: USER.username, password },
    });

  it('uses the basic auth of gitops.auth and never logs it', async () => {
    const logger = mockServices.logger.mock();
    const { published } = await runTemplate(
      remote,
      withIntegration(USER.password),
      { logger },
    );
    expect(Object.keys(await remote.heads())).toHaveLength(2);
    expect(published.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(remote.server.requests.length).toBeGreaterThan(0);
    expect(remote.server.requests.every(r => r.authenticated)).toBe(true);

    const logged = JSON.stringify(
      ['info', 'warn', 'error', 'debug'].flatMap(
        level => (logger as any)[level].mock.calls,
      ),
    );
    expect(logged).toContain('portal-bot');
    expect(logged).not.toContain(USER.password);
    expect(logged).not.toContain(
      Buffer.from(`${USER.username}:${USER.password}`).toString('base64'),
    );
  });

  it('keeps a wrong password out of the error', async () => {
    const wrong = 'wrong-Pa55word-123';
    const error = await runTemplate(remote, withIntegration(wrong)).catch(
      e => e,
    );
    expect(error.name).toBe('InputError');
    expect(error.message).toContain('Could not fetch');
    expect(error.message).not.toContain(wrong);
    expect(error.message).not.toContain(
      Buffer.from(`${USER.username}:${wrong}`).toString('base64'),
    );
  });

  it('is refused without credentials', async () => {
    await expect(
      runTemplate(remote, actionOptions(remote)),
    ).rejects.toMatchObject({
      name: 'InputError',
    });
    expect(remote.server.requests.some(r => !r.authenticated)).toBe(true);
  });
});
