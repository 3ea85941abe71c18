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
import {
  createGitopsService,
  readGitopsConfig,
  runGit,
} from '@internal/plugin-gitops-node';
import {
  commitAndPush,
  GitHttpServer,
  seedRepository,
  startGitHttpServer,
} from '@internal/dev-git-server';
import { createGitopsRepoFetchAction } from '../fetch';
import { GitopsActionOptions } from '../options';
import { createGitopsChangePublishAction } from '../publish';

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
  /** Commits files to main of the remote, as someone else's push would. */
  commit(files: Record<string, string>, message?: string): Promise<string>;
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
    async commit(files, message) {
      const { commit } = await commitAndPush({
        repoUrl: server.url('gitops.git'),
        branch: 'main',
        files,
        message,
        auth,
      });
      return commit;
    },
    async cleanup() {
      await server.stop();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}

let mirrors = 0;

/**
 * The actions' options for the remote, each call with its own mirror (as
 * each backend has its own).
 */
export function actionOptions(
  remote: TestRemote,
  gitops: JsonObject = {},
  integrations: JsonObject = {},
): GitopsActionOptions {
  mirrors += 1;
  const config = new ConfigReader({
    gitops: {
      repoUrl: remote.repoUrl,
      provider: 'git',
      mirrorDirectory: path.join(remote.dir, `mirror-${mirrors}`),
      allowedImageRegistries: ['quay.io/acme'],
      ...gitops,
    },
    integrations,
  });
  return {
    gitops: createGitopsService(
      readGitopsConfig(config),
      ScmIntegrations.fromConfig(config),
    ),
  };
}

export function mockContext<T extends JsonObject>(
  workspacePath: string,
  input: T,
  extra: {
    isDryRun?: boolean;
    logger?: ReturnType<typeof mockServices.logger.mock>;
    user?: string;
  } = {},
) {
  const outputs: Record<string, unknown> = {};
  // createMockActionContext takes only some fields; the rest are set here.
  const ctx = {
    ...createMockActionContext<T>({
      workspacePath,
      input,
      ...(extra.logger ? { logger: extra.logger } : {}),
      user: { ref: extra.user ?? 'user:default/bob' },
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

/** What deploy-service writes, in the layout of the seed. */
export const SERVICE: Record<string, string> = {
  'services/payments/api/base/deployment.yaml':
    'kind: Deployment # from the template\n',
  'services/payments/api/base/kustomization.yaml':
    'resources: [deployment.yaml]\n',
};

/** The publish step's input for {@link SERVICE}. */
export const REQUEST = {
  sourcePath: 'gitops',
  team: 'group:default/payments',
  branchName: 'portal/deploy-service/payments/api',
  title: 'Deploy service api for payments',
  description: 'Adds the service api of team payments.',
};

/** The steps of a template: fetch, write files, publish. */
export async function runTemplate(
  remote: TestRemote,
  options: GitopsActionOptions,
  {
    files = SERVICE,
    remove = [] as string[],
    request = REQUEST as typeof REQUEST,
    fetchInput = { targetPath: 'gitops' } as JsonObject,
    isDryRun = false,
    logger = undefined as
      | ReturnType<typeof mockServices.logger.mock>
      | undefined,
    user = undefined as string | undefined,
    beforePublish = undefined as (() => Promise<void>) | undefined,
  } = {},
) {
  const workspace = await remote.workspace();
  const fetch = mockContext(workspace, fetchInput, { isDryRun, logger, user });
  await createGitopsRepoFetchAction(options).handler(fetch.ctx);
  await writeTree(path.join(workspace, 'gitops'), files);
  for (const file of remove) {
    await fs.rm(path.join(workspace, 'gitops', file), { recursive: true });
  }
  await beforePublish?.();
  const publish = mockContext(workspace, request, { isDryRun, logger, user });
  await createGitopsChangePublishAction(options).handler(publish.ctx);
  return { workspace, fetched: fetch.outputs, published: publish.outputs };
}
