/*
 * How long a template takes from task creation to its pushed branch, and
 * how that grows with the size of the GitOps repository.
 *
 * For each size it generates a GitOps repository (gitops/ plus onboarded
 * teams and N services shaped like deploy-service's output) in a scratch
 * folder, serves it on a loopback Git server and runs every template once
 * as a real task (POST /api/scaffolder/v2/tasks, no dry run) in the real
 * scaffolder with the GitOps actions. Each run is checked to have pushed
 * its branch.
 *
 *   yarn workspace @internal/gitops-check bench [sizes...]   (default 10 1000 10000)
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { seedRepository, startGitHttpServer } from '@internal/dev-git-server';
import { readTree, writeTree } from '../src/files';
import { startHarness } from '../src/harness';
import { gitopsDir, templatesDir } from '../src/paths';
import { gitopsConfig } from '../src/templates';
import { DEFAULT_PLATFORM_OPTIONS } from '../src/validate';

const execFileAsync = promisify(execFile);
const TEAMS = 20;
const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter(n => n > 0);
const SIZES = sizes.length > 0 ? sizes : [10, 1000, 10000];

const teamName = (t: number) => `team-${String(t).padStart(2, '0')}`;
const serviceName = (s: number) => `svc-${String(s).padStart(5, '0')}`;
/** Services go to teams round-robin: svc-<TEAMS> is team-00's second one. */
const decommissioned = (services: number) =>
  serviceName(services > TEAMS ? TEAMS : 0);

function fixtureOutput(fixture: string): Promise<Map<string, string>> {
  return readTree(path.join(templatesDir, fixture, 'expected'));
}

/** Renames every occurrence of a name in a set of files (paths too). */
function renamed(files: Map<string, string>, from: string, to: string) {
  return new Map(
    [...files].map(([file, content]) => [
      file.split(from).join(to),
      content.split(from).join(to),
    ]),
  );
}

/** Writes gitops/ with TEAMS teams and `services` services into `dir`. */
async function generateRepository(dir: string, services: number) {
  writeTree(dir, await readTree(gitopsDir));
  const team = await fixtureOutput('onboard-team/fixtures/team-payments');
  const service = await fixtureOutput('deploy-service/fixtures/payments-api');
  for (let t = 0; t < TEAMS; t++) {
    writeTree(dir, renamed(team, 'team-payments', teamName(t)));
  }
  for (let s = 0; s < services; s++) {
    writeTree(
      dir,
      renamed(
        renamed(service, 'payments-api', serviceName(s)),
        'team-payments',
        teamName(s % TEAMS),
      ),
    );
  }
}

/** One run per template; every value is fixed so runs are comparable. */
function runs(services: number) {
  const team = `group:default/${teamName(0)}`;
  return [
    {
      template: 'onboard-team',
      values: {
        team: 'team-bench',
        displayName: 'Bench',
        description: 'Benchmark team',
        size: 'S',
      },
      branch: 'portal/onboard-team/team-bench',
    },
    {
      template: 'deploy-service',
      values: {
        team,
        name: 'bench-api',
        description: 'Benchmark service',
        image: 'quay.io/acme/bench-api',
        tag: '1.0.0',
        port: 8080,
        healthPath: '/healthz',
        size: 'S',
        replicas: 2,
        autoscaling: false,
        maxReplicas: 5,
      },
      branch: `portal/deploy-service/${teamName(0)}/bench-api`,
    },
    {
      template: 'add-database',
      values: {
        team,
        env: 'prod',
        name: 'bench-db',
        description: 'Benchmark database',
        instances: 2,
        storageSize: '10Gi',
        size: 'S',
        backups: true,
        schedule: '0 0 2 * * *',
        retention: '30d',
      },
      branch: `portal/add-database/${teamName(0)}/prod/bench-db`,
    },
    {
      template: 'promote-image',
      values: { team, service: serviceName(0), env: 'prod', tag: '9.9.9' },
      branch: `portal/promote-image/${teamName(0)}/${serviceName(0)}/prod`,
    },
    {
      template: 'decommission-service',
      values: {
        team,
        service: decommissioned(services),
        confirm: true,
      },
      branch: `portal/decommission-service/${teamName(0)}/${decommissioned(
        services,
      )}`,
    },
  ];
}

function hasBranch(bare: string, branch: string): boolean {
  if (fs.existsSync(path.join(bare, 'refs/heads', branch))) {
    return true;
  }
  const packed = path.join(bare, 'packed-refs');
  return (
    fs.existsSync(packed) &&
    fs.readFileSync(packed, 'utf8').includes(` refs/heads/${branch}\n`)
  );
}

function countFiles(dir: string): number {
  let count = 0;
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(path.join(d, entry.name));
      else count++;
    }
  };
  walk(dir);
  return count;
}

async function benchSize(scratch: string, services: number) {
  const tree = path.join(scratch, `tree-${services}`);
  let started = Date.now();
  await generateRepository(tree, services);
  const files = countFiles(tree);
  const generateMs = Date.now() - started;
  const gitRoot = path.join(scratch, 'git');
  started = Date.now();
  const bare = await seedRepository(gitRoot, `gitops-${services}.git`, tree);
  const seedMs = Date.now() - started;
  fs.rmSync(tree, { recursive: true, force: true });
  process.stdout.write(
    `\n${services} services (${files} files): generated in ${generateMs} ms, committed in ${seedMs} ms\n`,
  );

  const server = await startGitHttpServer({ root: gitRoot, port: 0 });
  // The floor of every run: the shallow clone each task makes first.
  const cloneDir = path.join(scratch, `clone-${services}`);
  started = Date.now();
  // Asynchronously: the Git server runs in this process.
  await execFileAsync('git', [
    'clone',
    '--quiet',
    '--depth=1',
    '--single-branch',
    server.url(`gitops-${services}.git`),
    cloneDir,
  ]);
  const cloneMs = Date.now() - started;
  fs.rmSync(cloneDir, { recursive: true, force: true });
  process.stdout.write(
    `  (a shallow clone of the repository alone takes ${cloneMs} ms)\n`,
  );
  const harness = await startHarness({
    config: gitopsConfig(
      server.url(`gitops-${services}.git`),
      DEFAULT_PLATFORM_OPTIONS,
    ),
    templateDirs: runs(services).map(r => path.join(templatesDir, r.template)),
  });
  const results = [];
  try {
    for (const run of runs(services)) {
      // The task's own events carry second-resolution timestamps, so the
      // push is timed by watching the bare repository for the branch.
      const runStarted = Date.now();
      let pushedMs: number | undefined;
      let finished = false;
      const watch = (async () => {
        while (!finished && pushedMs === undefined) {
          if (hasBranch(bare, run.branch)) {
            pushedMs = Date.now() - runStarted;
          } else {
            await new Promise(r => setTimeout(r, 5));
          }
        }
      })();
      const result = await harness.runTask(run.template, run.values);
      finished = true;
      await watch;
      const pushed = pushedMs !== undefined || hasBranch(bare, run.branch);
      results.push({ services, ...run, result, pushed, pushedMs });
      process.stdout.write(
        `  ${run.template.padEnd(22)} pushed after ${String(
          pushedMs ?? '-',
        ).padStart(6)} ms, task completed after ${String(
          result.durationMs,
        ).padStart(6)} ms  ${
          result.status === 'completed' && pushed
            ? ''
            : `NOT PUSHED (${result.status})`
        }\n`,
      );
      if (result.status !== 'completed') {
        process.stdout.write(`    ${result.log.slice(-3).join('\n    ')}\n`);
      }
    }
  } finally {
    await harness.stop();
    await server.stop();
  }
  return { services, files, generateMs, seedMs, cloneMs, results };
}

async function main() {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-bench-'));
  process.stdout.write(
    `Time from task creation (POST /v2/tasks) to the branch on the Git server, per template\nNode ${
      process.version
    }, ${os.cpus().length} CPUs, scratch ${scratch}\n`,
  );
  const all = [];
  try {
    for (const size of SIZES) {
      all.push(await benchSize(scratch, size));
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  process.stdout.write('\nSummary (ms from task creation to pushed branch)\n');
  const templates = all[0].results.map(r => r.template);
  process.stdout.write(
    `${'template'.padEnd(22)}${all
      .map(s => `${s.services} svc`.padStart(12))
      .join('')}\n`,
  );
  for (const template of templates) {
    process.stdout.write(
      `${template.padEnd(22)}${all
        .map(s => {
          const r = s.results.find(x => x.template === template)!;
          return `${r.pushedMs ?? 'not pushed'}`.padStart(12);
        })
        .join('')}\n`,
    );
  }
  process.stdout.write(
    `${'(shallow clone alone)'.padEnd(22)}${all
      .map(s => `${s.cloneMs}`.padStart(12))
      .join('')}\n`,
  );
  const failed = all.flatMap(s => s.results).filter(r => !r.pushed);
  process.exit(failed.length === 0 ? 0 : 1);
}

main().catch(error => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
