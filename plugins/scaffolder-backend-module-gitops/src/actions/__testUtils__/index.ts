// Test support shared by the action tests; not exported from the package.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { JsonObject } from '@backstage/types';
import { mockServices } from '@backstage/backend-test-utils';
import { ActionContext } from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { readGitopsConfig } from '@internal/plugin-gitops-node';
import { runGit } from '@internal/plugin-gitops-node';
import {
  GitHttpServer,
  seedRepository,
  startGitHttpServer,
} from '@internal/dev-git-server';
import { GitopsActionOptions } from '../options';

export const SEED: Record<string, string> = {
  'README.md': '# GitOps\n',
  'services/.gitkeep': '',
  'services/payments/existing/base/kustomization.yaml':
    'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [deployment.yaml]\n',
  'services/payments/existing/base/deployment.yaml':
    'kind: Broken # invalid on purpose, never changed\n',
  'teams/payments/.gitkeep': '',
};

export async function writeTree(root: string, files: Record<string, string>) {
  for (const [file, content] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await fs.writeFile(path.join(root, file), content);
  }
}

export interface TestRemote {
  dir: string;
  bare: string;
  server: GitHttpServer;
  repoUrl: string;
  /** `refs/heads/*` of the remote, by `git ls-remote`. */
  heads(): Promise<Record<string, string>>;
  /** The files of a ref of the remote. */
  files(ref: string): Promise<string[]>;
  show(ref: string, file: string): Promise<string>;
  log(ref: string): Promise<string>;
  workspace(): Promise<string>;
  cleanup(): Promise<void>;
}

export async function startRemote(auth?: {
  username: string;
  password: string;
}): Promise<TestRemote> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gitops-test-'));
  await writeTree(path.join(dir, 'seed'), SEED);
  const bare = await seedRepository(
    path.join(dir, 'repos'),
    'gitops.git',
    path.join(dir, 'seed'),
  );
  const server = await startGitHttpServer({
    root: path.join(dir, 'repos'),
    port: 0,
    ...auth,
  });
  let workspaces = 0;
  return {
    dir,
    bare,
    server,
    repoUrl: server.url('gitops.git'),
    async heads() {
      // What a client sees: `git ls-remote` through the HTTP server.
      const { stdout } = await runGit(
        ['ls-remote', '--heads', server.url('gitops.git')],
        { auth },
      );
      return Object.fromEntries(
        stdout
          .trim()
          .split('\n')
          .filter(Boolean)
          .map(line => {
            const [sha, ref] = line.split('\t');
            return [ref, sha];
          }),
      );
    },
    async files(ref) {
      const { stdout } = await runGit([
        `--git-dir=${bare}`,
        'ls-tree',
        '-r',
        '--name-only',
        ref,
      ]);
      return stdout.trim().split('\n').filter(Boolean).sort();
    },
    async show(ref, file) {
      return (await runGit([`--git-dir=${bare}`, 'show', `${ref}:${file}`]))
        .stdout;
    },
    async log(ref) {
      return (
        await runGit([
          `--git-dir=${bare}`,
          'log',
          '--format=%an <%ae>%n%B',
          ref,
        ])
      ).stdout;
    },
    async workspace() {
      workspaces += 1;
      const ws = path.join(dir, `workspace-${workspaces}`);
      await fs.mkdir(ws);
      return ws;
    },
    async cleanup() {
      await server.stop();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}

export function actionOptions(
  repoUrl: string,
  gitops: JsonObject = {},
  integrations: JsonObject = {},
): GitopsActionOptions {
  const config = new ConfigReader({
    gitops: { repoUrl, provider: 'git', ...gitops },
    integrations,
  });
  return {
    gitops: readGitopsConfig(config),
    integrations: ScmIntegrations.fromConfig(config),
  };
}

export function mockContext<T extends JsonObject>(
  workspacePath: string,
  input: T,
  extra: {
    isDryRun?: boolean;
    logger?: ReturnType<typeof mockServices.logger.mock>;
  } = {},
) {
  const outputs: Record<string, unknown> = {};
  // createMockActionContext takes only some fields; the rest are set here.
  const ctx = {
    ...createMockActionContext<T>({
      workspacePath,
      input,
      ...(extra.logger ? { logger: extra.logger } : {}),
      user: { ref: 'user:default/bob' },
    }),
    isDryRun: extra.isDryRun,
    createTemporaryDirectory: () =>
      fs.mkdtemp(path.join(path.dirname(workspacePath), 'tmp-')),
    output: (name: string, value: unknown) => {
      outputs[name] = value;
    },
  } as ActionContext<any, any, any>;
  return { ctx, outputs };
}
