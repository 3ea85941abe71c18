import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runGit } from '@internal/plugin-gitops-node';
import { createGitopsChangePublishAction } from './publish';
import { actionOptions, mockContext, writeTree } from './__testUtils__';

// The standard actions are mocked: this tests what our action hands them.
const github = { id: 'publish:github:pull-request', handler: jest.fn() };
const gitlab = { id: 'publish:gitlab:merge-request', handler: jest.fn() };
jest.mock('@backstage/plugin-scaffolder-backend-module-github', () => ({
  createPublishGithubPullRequestAction: jest.fn(() => github),
}));
jest.mock('@backstage/plugin-scaffolder-backend-module-gitlab', () => ({
  createPublishGitlabMergeRequestAction: jest.fn(() => gitlab),
}));

const REQUEST = {
  sourcePath: 'gitops',
  branchName: 'portal/deploy-service/payments/api',
  title: 'Deploy service api for payments',
  description: 'Requested in the portal.',
};

/** A working copy as gitops:repo:fetch leaves it, without a remote. */
async function workingCopy(): Promise<string> {
  const workspace = await fs.mkdtemp(
    path.join(os.tmpdir(), 'gitops-delegate-'),
  );
  const root = path.join(workspace, 'gitops');
  await writeTree(root, {
    'README.md': '# GitOps\n',
    'services/payments/old/base/deployment.yaml': 'kind: Deployment\n',
  });
  const env = {
    GIT_AUTHOR_NAME: 't',
    GIT_AUTHOR_EMAIL: 't@localhost',
    GIT_COMMITTER_NAME: 't',
    GIT_COMMITTER_EMAIL: 't@localhost',
  };
  await runGit(['init', '--quiet', '--initial-branch=main'], { cwd: root });
  await runGit(['add', '--all'], { cwd: root });
  await runGit(['commit', '--quiet', '-m', 'seed'], { cwd: root, env });
  await runGit(['update-ref', 'refs/remotes/origin/main', 'HEAD'], {
    cwd: root,
  });
  return workspace;
}

describe('gitops:change:publish delegating to the standard actions (mocked)', () => {
  let workspace: string;
  beforeEach(async () => {
    workspace = await workingCopy();
    github.handler.mockReset();
    gitlab.handler.mockReset();
  });
  afterEach(() => fs.rm(workspace, { recursive: true, force: true }));

  it('hands only the changed files and the deletions to publish:github:pull-request', async () => {
    await writeTree(path.join(workspace, 'gitops'), {
      'services/payments/api/base/deployment.yaml': 'kind: Deployment # new\n',
    });
    await fs.rm(
      path.join(workspace, 'gitops/services/payments/old/base/deployment.yaml'),
    );

    let staged: Record<string, string> = {};
    github.handler.mockImplementation(async ctx => {
      const dir = path.join(ctx.workspacePath, ctx.input.sourcePath);
      const file = 'services/payments/api/base/deployment.yaml';
      staged = { [file]: await fs.readFile(path.join(dir, file), 'utf8') };
      ctx.output('remoteUrl', 'https://github.com/acme/gitops/pull/7');
      ctx.output('pullRequestNumber', 7);
    });

    const options = actionOptions('https://github.com/acme/gitops.git', {
      provider: 'github',
    });
    const { ctx, outputs } = mockContext(workspace, REQUEST);
    await createGitopsChangePublishAction(options).handler(ctx);

    expect(github.handler).toHaveBeenCalledTimes(1);
    const delegated = github.handler.mock.calls[0][0];
    expect(delegated.input).toEqual({
      repoUrl: 'github.com?owner=acme&repo=gitops',
      branchName: 'portal/deploy-service/payments/api',
      targetBranchName: 'main',
      title: 'Deploy service api for payments',
      description: 'Requested in the portal.',
      sourcePath: expect.stringMatching(/^\.gitops-change-[0-9a-f]+$/),
      filesToDelete: ['services/payments/old/base/deployment.yaml'],
      update: true,
      commitMessage: expect.stringContaining('Requested-by: user:default/bob'),
      gitAuthorName: 'Developer Portal',
      gitAuthorEmail: 'developer-portal@localhost',
    });
    expect(delegated.workspacePath).toBe(workspace);
    expect(staged).toEqual({
      'services/payments/api/base/deployment.yaml': 'kind: Deployment # new\n',
    });
    // The staging folder is gone afterwards.
    expect((await fs.readdir(workspace)).sort()).toEqual(['gitops']);
    expect(outputs).toEqual({
      changeUrl: 'https://github.com/acme/gitops/pull/7',
      branch: 'portal/deploy-service/payments/api',
      commit: '',
      paths: [
        'services/payments/api/base/deployment.yaml',
        'services/payments/old/base/deployment.yaml',
      ],
    });
  });

  it('hands the changed files to publish:gitlab:merge-request, nested groups included', async () => {
    await writeTree(path.join(workspace, 'gitops'), {
      'README.md': '# GitOps v2\n',
    });
    gitlab.handler.mockImplementation(async ctx => {
      ctx.output(
        'mergeRequestUrl',
        'https://gitlab.example.com/platform/infra/gitops/-/merge_requests/3',
      );
    });
    const options = actionOptions(
      'https://gitlab.example.com/platform/infra/gitops.git',
      {
        provider: 'gitlab',
      },
    );
    const { ctx, outputs } = mockContext(workspace, REQUEST);
    await createGitopsChangePublishAction(options).handler(ctx);
    expect(gitlab.handler.mock.calls[0][0].input).toEqual({
      repoUrl: 'gitlab.example.com?owner=platform%2Finfra&repo=gitops',
      branchName: 'portal/deploy-service/payments/api',
      targetBranchName: 'main',
      title: 'Deploy service api for payments',
      description: 'Requested in the portal.',
      sourcePath: expect.stringMatching(/^\.gitops-change-/),
      commitAction: 'auto',
      removeSourceBranch: true,
    });
    expect(outputs.changeUrl).toBe(
      'https://gitlab.example.com/platform/infra/gitops/-/merge_requests/3',
    );
    expect(outputs.paths).toEqual(['README.md']);
  });

  it('refuses additions mixed with deletions on gitlab, before calling it', async () => {
    await writeTree(path.join(workspace, 'gitops'), {
      'README.md': '# GitOps v2\n',
    });
    await fs.rm(
      path.join(workspace, 'gitops/services/payments/old/base/deployment.yaml'),
    );
    const options = actionOptions(
      'https://gitlab.example.com/platform/gitops.git',
      {
        provider: 'gitlab',
      },
    );
    await expect(
      createGitopsChangePublishAction(options).handler(
        mockContext(workspace, REQUEST).ctx,
      ),
    ).rejects.toMatchObject({ name: 'InputError' });
    expect(gitlab.handler).not.toHaveBeenCalled();
  });

  it('refuses to hand a symbolic link to a provider', async () => {
    await fs.symlink('/etc/hostname', path.join(workspace, 'gitops/leak.yaml'));
    const options = actionOptions('https://github.com/acme/gitops.git', {
      provider: 'github',
    });
    await expect(
      createGitopsChangePublishAction(options).handler(
        mockContext(workspace, REQUEST).ctx,
      ),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('leak.yaml is a symbolic link'),
    });
    expect(github.handler).not.toHaveBeenCalled();
  });

  it('calls no provider in a dry run', async () => {
    await writeTree(path.join(workspace, 'gitops'), {
      'README.md': '# GitOps v2\n',
    });
    const options = actionOptions('https://github.com/acme/gitops.git', {
      provider: 'github',
    });
    const { ctx, outputs } = mockContext(workspace, REQUEST, {
      isDryRun: true,
    });
    await createGitopsChangePublishAction(options).handler(ctx);
    expect(github.handler).not.toHaveBeenCalled();
    expect(outputs.paths).toEqual(['README.md']);
    expect(outputs.changeUrl).toBe(
      'https://github.com/acme/gitops/compare/main...portal/deploy-service/payments/api',
    );
  });
});
