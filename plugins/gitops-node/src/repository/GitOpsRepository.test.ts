import childProcess from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import {
  commitAndPush,
  GitHttpServer,
  seedRepository,
  startGitHttpServer,
} from '@internal/dev-git-server';
import { readGitopsConfig } from '../config';
import { GitOpsRepository } from './GitOpsRepository';

// Every test runs git against a loopback server; a loaded CI machine is slow.
jest.setTimeout(30_000);

const TEAMS = Array.from({ length: 8 }, (_, i) => `team-${i}`);

describe('GitOpsRepository with tasks at once', () => {
  let dir: string;
  let server: GitHttpServer;
  let mirrors = 0;

  /** A repository object with a mirror of its own, not yet created. */
  const freshMirror = () =>
    new GitOpsRepository(
      readGitopsConfig(
        new ConfigReader({
          gitops: {
            repoUrl: server.url('gitops.git'),
            mirrorDirectory: path.join(dir, `mirror-${++mirrors}`),
          },
        }),
      )!,
    );

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gitops-repository-'));
    for (const team of TEAMS) {
      const file = path.join(dir, 'seed', 'teams', team, 'team.yaml');
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(file, `name: ${team}\n`);
    }
    await seedRepository(
      path.join(dir, 'repos'),
      'gitops.git',
      path.join(dir, 'seed'),
    );
    server = await startGitHttpServer({
      root: path.join(dir, 'repos'),
      port: 0,
    });
  });

  afterAll(async () => {
    await server.stop();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('shares a waiting fetch among callers, but never one that already started', async () => {
    const repo = freshMirror();
    const execFile = jest.spyOn(childProcess, 'execFile');
    const fetches = () =>
      execFile.mock.calls.filter(call =>
        (call[1] as string[]).includes('fetch'),
      ).length;
    const first = await Promise.all(TEAMS.map(() => repo.fetch()));
    expect(new Set(first).size).toBe(1);
    expect(fetches()).toBe(1);

    // A push made while a fetch runs is seen by the fetch asked for after it.
    const running = repo.fetch();
    const { commit } = await commitAndPush({
      repoUrl: server.url('gitops.git'),
      branch: 'main',
      files: { 'teams/team-0/more.yaml': 'a: 1\n' },
    });
    const after = await repo.fetch();
    await running;
    expect(after).toBe(commit);
    execFile.mockRestore();
  });

  it('tells folders, files and missing paths apart from one process', async () => {
    const repo = freshMirror();
    const base = await repo.fetch();
    const spawn = jest.spyOn(childProcess, 'spawn');
    const types = await repo.pathTypes(base, [
      'teams/team-1',
      'teams/team-1/team.yaml',
      'teams/none',
      'teams/team-1/team.yaml/deeper',
    ]);
    expect(spawn).toHaveBeenCalledTimes(1);
    spawn.mockRestore();
    expect(Object.fromEntries(types)).toEqual({
      'teams/team-1': 'tree',
      'teams/team-1/team.yaml': 'blob',
    });
    expect(await repo.pathTypes(base, [])).toEqual(new Map());
  });

  it('makes sparse worktrees at once on a new mirror, each with its own folders', async () => {
    // The first sparse checkout of a mirror turns on per-worktree config,
    // rewriting the shared config non-atomically: done by git in tasks
    // checking out at once, one of them could fail ("must be run in a work
    // tree"). The mirror does it before its first worktree.
    const repo = freshMirror();
    const base = await repo.fetch();
    const config = (key: string) =>
      repo.git(['config', '--get', key]).then(({ stdout }) => stdout.trim());
    expect(await config('extensions.worktreeConfig')).toBe('true');
    const worktrees = await Promise.all(
      TEAMS.map(team =>
        repo.createWorktree(path.join(dir, `wt-${mirrors}-${team}`), base, [
          `teams/${team}`,
        ]),
      ),
    );
    for (const [i, worktree] of worktrees.entries()) {
      expect(worktree.folders).toEqual([`teams/${TEAMS[i]}`]);
      const teams = await fs.readdir(path.join(worktree.root, 'teams'));
      expect(teams).toEqual([TEAMS[i]]);
    }
    expect(
      (await repo.git(['rev-parse', '--is-bare-repository'])).stdout.trim(),
    ).toBe('true');
  });
});
