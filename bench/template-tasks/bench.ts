/*
 * How long a golden path takes from task start to its pushed branch, and
 * how that grows with the GitOps repository: deploy-service's p50/p95 over
 * sequential tasks, the first task of a backend (empty mirror), ten tasks
 * started at once on one repository, and each other template once, with
 * 10 to 50,000 services in the repository.
 *
 * Each size gets a repository written with git fast-import (bench/
 * template-tasks/repository.ts) on the loopback Git server, and the real
 * scaffolder with the GitOps actions on a real backend (the gitops-check
 * harness), which keeps its own mirror and makes a sparse worktree per
 * task. Tasks go through POST /api/scaffolder/v2/tasks; the push is timed
 * by watching the bare repository for the branch (task events carry
 * second-resolution timestamps).
 *
 *   yarn bench template-tasks [--quick]
 *   node --require @backstage/cli/config/nodeTransform.cjs \
 *     bench/template-tasks/bench.ts [sizes...]   (default 10 1000 10000 50000)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startGitHttpServer } from '@internal/dev-git-server';
import {
  DEFAULT_PLATFORM_OPTIONS,
  gitopsConfig,
  startHarness,
  templatesDir,
} from '@internal/gitops-check';
import { Figure, quick, sizes, writeFigures, runMain } from '../figures';
import { generateRepository } from './repository';
import { deployService, otherTemplates, timeRuns, TEMPLATES } from './runs';

const SIZES = { full: [10, 1000, 10000, 50000], quick: [10, 100] };
/** Sequential deploy-service tasks per size, for p50 and p95. */
const SEQUENTIAL = quick ? 3 : 20;
const AT_ONCE = 10;

const count = (n: number) => n.toLocaleString('en-US');

/** The figures of one series of runs: p50 and p95, or what failed. */
function seriesFigures(
  label: string,
  series: Awaited<ReturnType<typeof timeRuns>>,
): Figure[] {
  const note = `n=${series.runs}${
    series.failures.length > 0
      ? `; ${series.failures.length} failed: ${series.failures[0]}`
      : ''
  }`;
  return [
    { name: `${label} p50`, unit: 'ms', portal: series.p50, note },
    { name: `${label} p95`, unit: 'ms', portal: series.p95, note },
  ];
}

async function benchSize(scratch: string, services: number) {
  const gitRoot = path.join(scratch, 'git');
  const bare = path.join(gitRoot, `gitops-${services}.git`);
  let started = Date.now();
  const files = await generateRepository(bare, services);
  const where = `${count(services)} services`;
  console.log(
    `\n${where} (${count(files)} files): generated and packed in ${
      Date.now() - started
    } ms`,
  );
  const server = await startGitHttpServer({ root: gitRoot, port: 0 });
  const config = gitopsConfig(
    server.url(`gitops-${services}.git`),
    DEFAULT_PLATFORM_OPTIONS,
  );
  // The first fetch of a 50,000-service repository outlasts the default
  // minute per git command on a small machine.
  (config.gitops as Record<string, unknown>).gitTimeout = { minutes: 15 };
  started = Date.now();
  const harness = await startHarness({
    config,
    templateDirs: TEMPLATES.map(t => path.join(templatesDir, t)),
    logLevel: 'error',
  });
  console.log(`  backend ready in ${Date.now() - started} ms`);
  const figures: Figure[] = [];
  try {
    const first = await timeRuns(harness, bare, [deployService('first')]);
    figures.push({
      name: `deploy-service, first task (empty mirror), ${where}`,
      unit: 'ms',
      portal: first.p95,
      note: first.failures[0] ?? `${count(files)} files in the repository`,
    });
    const sequential = await timeRuns(
      harness,
      bare,
      Array.from({ length: SEQUENTIAL }, (_, i) => deployService(`seq-${i}`)),
    );
    figures.push(...seriesFigures(`deploy-service, ${where}`, sequential));
    const burst = await timeRuns(
      harness,
      bare,
      Array.from({ length: AT_ONCE }, (_, i) => deployService(`burst-${i}`)),
      { atOnce: true },
    );
    figures.push(
      ...seriesFigures(`${AT_ONCE} deploy-service at once, ${where}`, burst),
    );
    for (const run of otherTemplates(services)) {
      const once = await timeRuns(harness, bare, [run]);
      figures.push({
        name: `${run.template}, ${where}`,
        unit: 'ms',
        portal: once.p95,
        note: once.failures[0] ?? 'one run',
      });
    }
  } finally {
    await harness.stop();
    await server.stop();
    fs.rmSync(bare, { recursive: true, force: true });
  }
  return figures;
}

async function main() {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'template-tasks-'));
  console.log(
    `Task start to pushed branch, Node ${process.version}, ${
      os.cpus().length
    } CPUs, scratch ${scratch}`,
  );
  const figures: Figure[] = [];
  let failed = false;
  try {
    for (const size of sizes(process.argv.slice(2), SIZES)) {
      try {
        figures.push(...(await benchSize(scratch, size)));
      } catch (error) {
        failed = true;
        figures.push({
          name: `${count(size)} services`,
          unit: 'ms',
          portal: null,
          note: `not measured: ${(error as Error).message}`,
        });
      }
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  for (const f of figures) {
    console.log(
      `${f.name.padEnd(60)} ${String(f.portal ?? '-').padStart(8)} ${f.unit}  ${
        f.note ?? ''
      }`,
    );
  }
  writeFigures(figures);
  failed ||= figures.some(
    f => f.portal === null || /failed/.test(f.note ?? ''),
  );
  process.exit(failed ? 1 : 0);
}

runMain(main);
