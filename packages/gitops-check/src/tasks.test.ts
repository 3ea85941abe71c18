import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  GitHttpServer,
  seedRepository,
  startGitHttpServer,
} from '@internal/dev-git-server';
import { readTree, writeTree } from './files';
import { ScaffolderHarness, startHarness } from './harness';
import { gitopsDir, templatesDir } from './paths';
import { gitopsConfig } from './templates';
import { DEFAULT_PLATFORM_OPTIONS } from './validate';

jest.setTimeout(60_000);

/*
 * The fixtures go through the dry-run API; this is the path the portal's
 * form takes (a task from a catalog template), with a real push.
 */
describe('templates as real tasks', () => {
  let root: string;
  let server: GitHttpServer;
  let harness: ScaffolderHarness;
  let bare: string;

  const values = {
    team: 'group:default/team-payments',
    name: 'payments-api',
    description: 'Takes card payments.',
    image: 'quay.io/acme/payments-api',
    tag: '1.4.2',
    port: 8080,
    healthPath: '/healthz',
    size: 'S',
    replicas: 2,
    autoscaling: false,
    maxReplicas: 5,
  };

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-tasks-'));
    const seed = path.join(root, 'seed');
    writeTree(seed, await readTree(gitopsDir));
    writeTree(
      seed,
      await readTree(
        path.join(templatesDir, 'onboard-team/fixtures/team-payments/expected'),
      ),
    );
    bare = await seedRepository(path.join(root, 'git'), 'gitops.git', seed);
    server = await startGitHttpServer({ root: path.join(root, 'git') });
    harness = await startHarness({
      config: gitopsConfig(server.url('gitops.git'), DEFAULT_PLATFORM_OPTIONS),
      templateDirs: [path.join(templatesDir, 'deploy-service')],
    });
  });

  afterAll(async () => {
    await harness?.stop();
    await server?.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('refuses invalid parameters when the task is created', async () => {
    await expect(
      harness.runTask('deploy-service', { ...values, name: 'Payments_API' }),
    ).rejects.toThrow(
      /task not created \(400\): instance\.name does not match pattern/,
    );
  });

  it('pushes the change to its branch, and again to the same branch', async () => {
    const branch = 'portal/deploy-service/team-payments/payments-api';
    const first = await harness.runTask('deploy-service', values);
    expect(first.status).toBe('completed');
    expect(first.output?.links).toEqual([
      {
        title: 'Change request',
        url: expect.stringContaining(`/compare/main...${branch}`),
      },
    ]);
    const files = execFileSync(
      'git',
      ['--git-dir', bare, 'diff', '--name-only', 'main', branch],
      { encoding: 'utf8' },
    );
    expect(files.trim().split('\n')).toContain(
      'services/team-payments/payments-api/overlays/prod/kustomization.yaml',
    );

    const second = await harness.runTask('deploy-service', {
      ...values,
      tag: '1.4.3',
    });
    expect(second.status).toBe('completed');
    const commits = execFileSync(
      'git',
      ['--git-dir', bare, 'rev-list', '--count', `main..${branch}`],
      { encoding: 'utf8' },
    );
    // One commit on top of main: the request was replaced, not stacked.
    expect(commits.trim()).toBe('1');
    expect(
      execFileSync(
        'git',
        [
          '--git-dir',
          bare,
          'show',
          `${branch}:services/team-payments/payments-api/overlays/prod/kustomization.yaml`,
        ],
        { encoding: 'utf8' },
      ),
    ).toContain('1.4.3');
  });
});
