import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fastImport, initBareRepository } from './fastImport';

describe('fastImport', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fast-import-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const git = (bare: string, ...args: string[]) =>
    execFileSync('git', [`--git-dir=${bare}`, ...args], { encoding: 'utf8' });

  it('writes a tree larger than its buffer, then a commit on top of it', async () => {
    const bare = initBareRepository(path.join(dir, 'repo.git'));
    // Well over one write chunk, so backpressure is exercised.
    const files = function* files() {
      for (let i = 0; i < 3000; i++) {
        yield [`dir-${i % 7}/file-${i}.txt`, `${i}\n`.repeat(100)] as [
          string,
          string,
        ];
      }
    };
    await fastImport(bare, { files: files() });
    expect(
      git(bare, 'ls-tree', '-r', '--name-only', 'main').split('\n'),
    ).toHaveLength(3001);
    expect(git(bare, 'show', 'main:dir-3/file-10.txt')).toBe(
      '10\n'.repeat(100),
    );

    await fastImport(bare, {
      files: [['new.txt', 'new\n']],
      remove: ['dir-3/file-10.txt'],
      parent: true,
      message: 'Second',
    });
    expect(git(bare, 'rev-list', '--count', 'main').trim()).toBe('2');
    expect(git(bare, 'log', '-1', '--format=%s', 'main').trim()).toBe('Second');
    expect(git(bare, 'ls-tree', '-r', '--name-only', 'main')).toContain(
      'new.txt',
    );
    expect(git(bare, 'ls-tree', '-r', '--name-only', 'main')).not.toContain(
      'dir-3/file-10.txt',
    );
  });

  it("fails with git's message on a bad stream", async () => {
    const bare = initBareRepository(path.join(dir, 'repo.git'));
    await expect(
      fastImport(bare, { files: [['a.txt', 'a']], parent: true }),
    ).rejects.toThrow(/fast-import exited with/);
  });
});
