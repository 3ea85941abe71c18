/*
 * The GitOps catalog provider at 10, 1,000 and 10,000 services: what one
 * provider run costs (wall time, git time, files read) when it reads
 * everything, when one or a hundred services changed and when nothing did,
 * and how long a merge takes to reach the catalog through the push webhook.
 * Figures only, no assertions: they depend on the machine. Not run in CI.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs \
 *     bench/gitops-catalog/bench.ts [sizes, default 10 1000 10000]
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  coreServices,
  createServiceFactory,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import eventsPlugin from '@backstage/plugin-events-backend';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { startGitHttpServer } from '@internal/dev-git-server';
import gitopsCatalogModules, {
  GitopsEntityProvider,
  GitopsProviderRun,
  GitopsProviderStore,
} from '@internal/plugin-catalog-backend-module-gitops';
import {
  createGitopsService,
  GitopsConfig,
  readGitopsConfig,
} from '@internal/plugin-gitops-node';
import { knex } from 'knex';
import { commit, generate, serviceFiles, serviceName } from './repository';
import { runMain } from '../figures';

const SECRET = 'bench-webhook-secret';

/** Warnings and errors only: a provider run logs one info line. */
const logger: LoggerService = {
  error: (message: string) => console.error(`  ! ${message}`),
  warn: (message: string) => console.error(`  ! ${message}`),
  info: () => {},
  debug: () => {},
  child: () => logger,
};

function gitopsConfig(repoUrl: string, mirrorDirectory: string): GitopsConfig {
  return readGitopsConfig(
    new ConfigReader({ gitops: { repoUrl, mirrorDirectory } }),
  )!;
}

function row(what: string, run: GitopsProviderRun) {
  console.log(
    `  ${what.padEnd(44)} ${run.kind.padEnd(5)} ${String(run.wallMs).padStart(
      7,
    )} ms wall ${String(run.gitMs).padStart(7)} ms git ${String(
      run.filesRead,
    ).padStart(6)} files read ${String(run.added).padStart(6)} entities out`,
  );
}

/** A provider on its own mirror, with a catalog that takes everything. */
async function provider(config: GitopsConfig, store: GitopsProviderStore) {
  const service = createGitopsService(
    config,
    ScmIntegrations.fromConfig(new ConfigReader({})),
  );
  const p = new GitopsEntityProvider({
    gitops: config,
    repository: () => service.repository(),
    store,
    logger,
  });
  await p.connect({ applyMutation: async () => {}, refresh: async () => {} });
  return { provider: p, first: await p.refresh() };
}

async function providerRuns(
  bare: string,
  repoUrl: string,
  dir: string,
  size: number,
) {
  const config = gitopsConfig(repoUrl, path.join(dir, 'mirror'));
  // The provider's shared state, kept across the restart as the catalog's
  // database is.
  const database = knex({
    client: 'better-sqlite3',
    connection: ':memory:',
    useNullAsDefault: true,
  });
  const store = await GitopsProviderStore.create({
    getClient: async () => database,
  });
  const cold = await provider(config, store);
  row('first run, empty mirror (clone)', cold.first);
  const warm = await provider(config, store);
  row('first run after a restart (mirror kept)', warm.first);
  row('nothing merged', await warm.provider.refresh());
  await commit(bare, serviceFiles(0, 'Changed once'));
  row('one service changed', await warm.provider.refresh());
  const hundred: Record<string, string> = {};
  for (let i = 0; i < Math.min(100, size); i++) {
    Object.assign(hundred, serviceFiles(i, 'Changed twice'));
  }
  await commit(bare, hundred);
  row(`${Math.min(100, size)} services changed`, await warm.provider.refresh());
  await database.destroy();
}

async function catalogOf(repoUrl: string, dir: string) {
  const events = mockServices.events();
  const backend = await startTestBackend({
    features: [
      catalogPlugin,
      eventsPlugin,
      gitopsCatalogModules,
      createServiceFactory({
        service: eventsServiceRef,
        deps: {},
        factory: () => events,
      }),
      createServiceFactory({
        service: coreServices.rootLogger,
        deps: {},
        factory: () => logger,
      }),
      mockServices.rootConfig.factory({
        data: {
          backend: {
            database: { client: 'better-sqlite3', connection: ':memory:' },
          },
          gitops: {
            repoUrl,
            mirrorDirectory: path.join(dir, 'catalog-mirror'),
          },
          catalog: {
            providers: {
              gitops: {
                schedule: { frequency: { hours: 1 }, timeout: { minutes: 10 } },
              },
            },
          },
          events: { modules: { gitops: { webhookSecret: SECRET } } },
        },
      }),
    ],
  });
  const baseUrl = `http://localhost:${backend.server.port()}`;
  const get = (p: string) =>
    fetch(`${baseUrl}/api/catalog${p}`, {
      headers: { authorization: mockCredentials.service.header() },
    });
  return { backend, baseUrl, get };
}

async function mergeToCatalog(
  bare: string,
  repoUrl: string,
  dir: string,
  size: number,
) {
  const started = Date.now();
  const { backend, baseUrl, get } = await catalogOf(repoUrl, dir);
  for (;;) {
    const res = await get('/entities/by-query?limit=1&filter=kind=component');
    const { totalItems } = await res.json();
    if (totalItems >= size) break;
    process.stdout.write(`  ingested ${totalItems}/${size} services\r`);
    await new Promise(r => setTimeout(r, 1000));
  }
  console.log(
    `  catalog ingestion of all services: ${(
      (Date.now() - started) /
      1000
    ).toFixed(1)} s`,
  );

  const merged = Date.now();
  await commit(bare, serviceFiles(size, 'Merged just now'));
  const body = JSON.stringify({
    ref: 'refs/heads/main',
    repository: { clone_url: repoUrl },
  });
  const res = await fetch(`${baseUrl}/api/events/http/gitops`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-hub-signature-256': `sha256=${crypto
        .createHmac('sha256', SECRET)
        .update(body)
        .digest('hex')}`,
    },
    body,
  });
  if (res.status !== 202) throw new Error(`webhook answered ${res.status}`);
  while (
    (await get(`/entities/by-name/component/default/${serviceName(size)}`))
      .status !== 200
  ) {
    await new Promise(r => setTimeout(r, 100));
  }
  console.log(
    `  merge to entity in the catalog (webhook):    ${(
      (Date.now() - merged) /
      1000
    ).toFixed(1)} s`,
  );
  await backend.stop();
}

async function main() {
  const sizes = process.argv.slice(2).map(Number);
  for (const size of sizes.length ? sizes : [10, 1000, 10000]) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-catalog-bench-'));
    try {
      const bare = path.join(dir, 'repos', 'gitops.git');
      const generated = Date.now();
      await generate(bare, size);
      console.log(
        `\n${size} services (${size * 7} files, generated in ${
          Date.now() - generated
        } ms)`,
      );
      const server = await startGitHttpServer({
        root: path.join(dir, 'repos'),
      });
      try {
        const repoUrl = server.url('gitops.git');
        await providerRuns(bare, repoUrl, dir, size);
        await mergeToCatalog(bare, repoUrl, dir, size);
      } finally {
        await server.stop();
      }
    } finally {
      // A run requested during the last one may still be on its way out.
      await new Promise(r => setTimeout(r, 2000));
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}

runMain(main);
