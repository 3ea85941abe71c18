import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SpanStatusCode } from '@opentelemetry/api';
import { recordSpans } from '@internal/stand-ins';
import { runGit } from './git';

const spans = recordSpans();

describe('git command spans', () => {
  it('names each git command and its exit code, and nothing that could carry a secret', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'git-span-'));
    await runGit(['init', '--quiet', dir]);
    await expect(
      runGit(['cat-file', '-e', 'deadbeef:nothing'], { cwd: dir }),
    ).rejects.toThrow('git cat-file failed');
    await expect(
      runGit(
        ['ls-remote', 'http://someone:url-secret@127.0.0.1:1/gitops.git'],
        {
          auth: { username: 'portal', password: 'header-secret' },
          timeoutMs: 10_000,
        },
      ),
    ).rejects.toThrow('git ls-remote failed');

    const ended = spans.spans();
    expect(
      ended.map(s => [
        s.name,
        s.attributes['process.exit.code'],
        s.status.code,
      ]),
    ).toEqual([
      ['git init', 0, SpanStatusCode.UNSET],
      ['git cat-file', 128, SpanStatusCode.ERROR],
      ['git ls-remote', 128, SpanStatusCode.ERROR],
    ]);
    const recorded = JSON.stringify(
      ended.map(s => ({
        name: s.name,
        attributes: s.attributes,
        status: s.status,
        events: s.events,
      })),
    );
    for (const leak of ['secret', '127.0.0.1', 'deadbeef', dir]) {
      expect(recorded).not.toContain(leak);
    }
    await fs.rm(dir, { recursive: true, force: true });
  });
});
