import childProcess from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { seedRepository } from '@internal/dev-git-server';
import { readGitopsConfig } from '../config';
import { GitOpsRepository } from './GitOpsRepository';

const FILES: Record<string, string | Buffer> = {
  'services/a/catalog-info.yaml': 'kind: Component\nmetadata:\n  name: a\n',
  'services/b/catalog-info.yaml': 'no trailing newline',
  'services/c/catalog-info.yaml': '',
  'services/d/catalog-info.yaml': 'description: "Zahlungen – ünïcödé ✓"\r\n',
  'services/e/logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0x0a, 0xff]),
};

describe('GitOpsRepository.readFiles', () => {
  let dir: string;
  let repo: GitOpsRepository;
  let commit: string;

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'read-files-'));
    for (const [file, content] of Object.entries(FILES)) {
      await fs.mkdir(path.dirname(path.join(dir, 'seed', file)), {
        recursive: true,
      });
      await fs.writeFile(path.join(dir, 'seed', file), content);
    }
    const bare = await seedRepository(
      dir,
      'gitops.git',
      path.join(dir, 'seed'),
    );
    repo = new GitOpsRepository(
      readGitopsConfig(
        new ConfigReader({
          gitops: {
            repoUrl: 'http://127.0.0.1:1/gitops.git',
            mirrorDirectory: bare,
          },
        }),
      )!,
    );
    commit = (await repo.resolve('refs/heads/main'))!;
  });

  afterAll(() => fs.rm(dir, { recursive: true, force: true }));

  it('reads many files byte for byte from one process, and leaves out what is no file', async () => {
    const text = Object.keys(FILES).filter(f => f.endsWith('.yaml'));
    const spawn = jest.spyOn(childProcess, 'spawn');
    const files = await repo.readFiles(commit, [
      ...text,
      'services/missing/catalog-info.yaml',
      'services/a',
      'services/e/logo.png',
    ]);
    expect(spawn).toHaveBeenCalledTimes(1);
    spawn.mockRestore();
    expect(Object.fromEntries(files)).toEqual({
      ...Object.fromEntries(text.map(f => [f, FILES[f]])),
      'services/e/logo.png': (FILES['services/e/logo.png'] as Buffer).toString(
        'utf8',
      ),
    });
    expect(await repo.readFile(commit, 'services/b/catalog-info.yaml')).toBe(
      'no trailing newline',
    );
    expect(await repo.readFile(commit, 'services')).toBeUndefined();
  });

  it('finds nothing at a commit that does not exist, and reads nothing for no paths', async () => {
    const absent = '0123456789abcdef0123456789abcdef01234567';
    expect(await repo.readFiles(absent, Object.keys(FILES))).toEqual(new Map());
    expect(await repo.readFiles(commit, [])).toEqual(new Map());
  });

  it('reads thousands of files in one go', async () => {
    const paths = Array.from({ length: 3000 }, (_, i) =>
      i % 2 ? 'services/a/catalog-info.yaml' : `services/none-${i}/x.yaml`,
    );
    const files = await repo.readFiles(commit, paths);
    expect([...files.keys()]).toEqual(['services/a/catalog-info.yaml']);
  });

  it('fails with a git error when the mirror is not a repository', async () => {
    const broken = new GitOpsRepository({
      ...repo.config,
      mirrorDirectory: path.join(dir, 'nowhere'),
    });
    await expect(broken.readFiles(commit, ['a'])).rejects.toThrow(
      /git cat-file failed/,
    );
  });
});
