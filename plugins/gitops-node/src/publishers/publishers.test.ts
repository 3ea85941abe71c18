import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { JsonObject } from '@backstage/types';
import {
  seedRepository,
  startGitHttpServer,
  GitHttpServer,
} from '@internal/dev-git-server';
import {
  ForgeRepository,
  startGithubStandIn,
  startGitlabStandIn,
} from '@internal/stand-ins';
import { readGitopsConfig } from '../config';
import { createGitopsService, GitopsService } from '../service';
import { commitMessage } from './pushBranch';

// Every test talks to a loopback server over HTTP; a loaded CI machine is slow.
jest.setTimeout(30_000);

const TOKEN = 'stand-in-token-0123456789';
const AUTHOR = { name: 'Developer Portal', email: 'portal@localhost' };

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'publishers-'));
  await fs.mkdir(path.join(dir, 'seed/teams/payments'), { recursive: true });
  await fs.writeFile(path.join(dir, 'seed/teams/payments/team.yaml'), 'a: 1\n');
});
afterEach(() => fs.rm(dir, { recursive: true, force: true }));

function service(gitops: JsonObject, integrations: JsonObject = {}) {
  const config = new ConfigReader({
    gitops: { mirrorDirectory: path.join(dir, 'mirror'), ...gitops },
    integrations,
  });
  return createGitopsService(
    readGitopsConfig(config),
    ScmIntegrations.fromConfig(config),
  );
}

let worktrees = 0;
/** A task: a worktree of main with one file written, committed. */
async function publishFile(
  gitops: GitopsService,
  file: string,
  content: string,
  title = 'Add a service',
) {
  const repository = gitops.repository();
  const base = await repository.fetch();
  worktrees += 1;
  const root = path.join(dir, `task-${worktrees}`);
  const worktree = await repository.createWorktree(root, base, []);
  await fs.mkdir(path.dirname(path.join(root, file)), { recursive: true });
  await fs.writeFile(path.join(root, file), content);
  await worktree.stage();
  const requester = 'user:default/bob';
  const commit = await worktree.commit(
    commitMessage(title, 'Requested in the portal.', requester),
    AUTHOR,
  );
  return gitops.publisher().publish({
    repository,
    worktree,
    commit,
    branch: 'portal/deploy/payments/api',
    title,
    description: 'Requested in the portal.',
    requester,
    author: AUTHOR,
  });
}

describe('GitChangePublisher against the loopback Git server', () => {
  let server: GitHttpServer;
  let forge: ForgeRepository;
  let gitops: GitopsService;

  beforeEach(async () => {
    const bare = await seedRepository(
      path.join(dir, 'repos'),
      'gitops.git',
      path.join(dir, 'seed'),
    );
    forge = new ForgeRepository(bare);
    server = await startGitHttpServer({ root: path.join(dir, 'repos') });
    gitops = service({ repoUrl: server.url('gitops.git'), provider: 'git' });
  });
  afterEach(() => server.stop());

  it('reads open, updated, merged and closed from the branch and the base', async () => {
    const published = await publishFile(
      gitops,
      'services/payments/api/a.yaml',
      'a\n',
    );
    let ref = { branch: published.branch, commit: published.commit };
    const publisher = gitops.publisher();
    expect(await publisher.readState(ref)).toEqual({
      state: 'open',
      headCommit: published.commit,
    });

    const updated = await publishFile(
      gitops,
      'services/payments/api/a.yaml',
      'b\n',
    );
    expect(updated.outcome).toBe('updated');
    expect(await publisher.readState(ref)).toEqual({
      state: 'open',
      headCommit: updated.commit,
    });

    // The poller records the head it saw.
    ref = { ...ref, commit: updated.commit };
    await forge.merge(published.branch, 'main', true);
    expect((await publisher.readState(ref)).state).toBe('merged');

    const closed = await publishFile(
      gitops,
      'services/payments/api/c.yaml',
      'c\n',
    );
    await forge.deleteBranch(closed.branch);
    expect(
      await publisher.readState({
        branch: closed.branch,
        commit: closed.commit,
      }),
    ).toEqual({ state: 'closed' });
  });
});

describe('GithubChangePublisher against a GitHub stand-in', () => {
  it('opens a pull request, updates it, and reads merged and checks back', async () => {
    const github = await startGithubStandIn({
      project: 'acme/gitops',
      seedDir: path.join(dir, 'seed'),
      token: TOKEN,
    });
    try {
      const host = new URL(github.url).host;
      const gitops = service(
        { repoUrl: github.repoUrl, provider: 'github' },
        { github: [{ host, apiBaseUrl: github.apiBaseUrl, token: TOKEN }] },
      );
      const first = await publishFile(
        gitops,
        'services/payments/api/a.yaml',
        'a\n',
      );
      expect(first).toMatchObject({
        outcome: 'created',
        number: 1,
        url: `${github.url}/acme/gitops/pull/1`,
        branch: 'portal/deploy/payments/api',
      });
      expect(await github.repository.tip(first.branch)).toBe(first.commit);

      const second = await publishFile(
        gitops,
        'services/payments/api/a.yaml',
        'b\n',
        'Add a service, again',
      );
      expect(second).toMatchObject({ outcome: 'updated', number: 1 });
      expect(github.pulls()).toHaveLength(1);
      expect(github.pulls()[0].title).toBe('Add a service, again');

      const ref = { branch: second.branch, commit: second.commit, number: 1 };
      expect(await gitops.publisher().readState(ref)).toEqual({
        state: 'open',
        headCommit: second.commit,
        checks: undefined,
      });
      github.setStatus(second.commit, 'failure');
      expect((await gitops.publisher().readState(ref)).checks).toBe('failure');
      await github.merge(1);
      expect((await gitops.publisher().readState(ref)).state).toBe('merged');
      expect(github.requests.every(r => r.authenticated)).toBe(true);
    } finally {
      await github.close();
    }
  });
});

describe('GitlabChangePublisher against a GitLab stand-in', () => {
  it('opens a merge request, updates it, and reads the pipeline and closed back', async () => {
    const gitlab = await startGitlabStandIn({
      project: 'platform/gitops',
      seedDir: path.join(dir, 'seed'),
      token: TOKEN,
    });
    try {
      const host = new URL(gitlab.url).host;
      const gitops = service(
        { repoUrl: gitlab.repoUrl, provider: 'gitlab' },
        { gitlab: [{ host, apiBaseUrl: gitlab.apiBaseUrl, token: TOKEN }] },
      );
      const first = await publishFile(
        gitops,
        'services/payments/api/a.yaml',
        'a\n',
      );
      expect(first).toMatchObject({
        outcome: 'created',
        number: 1,
        url: `${gitlab.url}/platform/gitops/-/merge_requests/1`,
      });
      // A deletion and an addition in one merge request.
      const second = await publishFile(
        gitops,
        'services/payments/api/b.yaml',
        'b\n',
      );
      expect(second).toMatchObject({ outcome: 'updated', number: 1 });
      expect(gitlab.mergeRequests()).toHaveLength(1);

      const ref = { branch: second.branch, commit: second.commit, number: 1 };
      gitlab.setPipeline(1, 'running');
      expect(await gitops.publisher().readState(ref)).toEqual({
        state: 'open',
        headCommit: second.commit,
        checks: 'pending',
      });
      gitlab.closeMergeRequest(1);
      expect((await gitops.publisher().readState(ref)).state).toBe('closed');
    } finally {
      await gitlab.close();
    }
  });
});
