import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  commitAndPush,
  GitHttpServer,
  seedRepository,
  startGitHttpServer,
} from '@internal/dev-git-server';
import { GitopsConfig } from '@internal/plugin-gitops-node';
import { gitopsConfig } from './fixtures';

/** A GitOps repository on a loopback Git server, for tests. */
export interface TestGitopsRepository {
  server: GitHttpServer;
  /** The gitops config of a backend that follows it, with its own mirror. */
  config(overrides?: Partial<GitopsConfig>): GitopsConfig;
  /** Commits to main behind the server's back (no HTTP request). */
  push(change: {
    files?: Record<string, string>;
    remove?: string[];
  }): Promise<string>;
  stop(): Promise<void>;
}

export async function startGitopsRepository(
  files: Record<string, string>,
): Promise<TestGitopsRepository> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'gitops-catalog-'));
  const seed = path.join(root, 'seed');
  for (const [file, content] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(seed, file)), { recursive: true });
    await fs.writeFile(path.join(seed, file), content);
  }
  const bare = await seedRepository(
    path.join(root, 'repos'),
    'gitops.git',
    seed,
  );
  const server = await startGitHttpServer({ root: path.join(root, 'repos') });
  return {
    server,
    config: overrides =>
      gitopsConfig({
        repoUrl: server.url('gitops.git'),
        mirrorDirectory: path.join(root, 'mirror'),
        ...overrides,
      }),
    push: async change =>
      (
        await commitAndPush({
          repoUrl: `file://${bare}`,
          branch: 'main',
          ...change,
        })
      ).commit,
    stop: async () => {
      await server.stop();
      await fs.rm(root, { recursive: true, force: true });
    },
  };
}
