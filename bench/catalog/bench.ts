/*
 * Catalog reads on PostgreSQL 15 at 10,000 and 50,000 components: the
 * portal's admin (ALLOW) and developer (CONDITIONAL) beside vanilla
 * create-app 0.9.2 (its allow-all guest), p50 and p95 of the catalog's
 * page reads, ingestion time and backend RSS after load, and where the
 * developer's request time goes (EXPLAIN ANALYZE of the SQL it runs).
 *
 * Both backends run from source, as `yarn start` runs them, each on its own
 * throwaway cluster. Vanilla is the app `yarn bench bundle` creates and
 * installs under .scratch/bench/vanilla; without it, portal figures only.
 *
 *   yarn bench catalog [--quick]
 *   node --require @backstage/cli/config/nodeTransform.cjs \
 *     bench/catalog/bench.ts [sizes...]   (default 10000 50000)
 */
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot, startPostgres } from '@internal/test-harness';
import { Figure, quick, sizes, writeFigures, runMain } from '../figures';
import {
  RunningApp,
  VANILLA_ROOT,
  startPortal,
  startVanilla,
} from './backends';
import { writeComponents } from './entities';
import { breakdown } from './breakdown';
import { vacuumAnalyze } from './explain';
import {
  Series,
  catalogQueries,
  timeQueries,
  waitForIngestion,
} from './timing';

const SIZES = { full: [10_000, 50_000], quick: [1_000] };
/** Sequential requests per query and user. */
const SAMPLES = quick ? 10 : 40;
const INGESTION_LIMIT_MS = 45 * 60_000;

interface AppRun {
  ingestionMs: number;
  rssMiB: number;
  series: Map<string, Series>;
}

function rssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)![1]);
  return Math.round((kb / 1024) * 10) / 10;
}

async function run(
  name: 'portal' | 'vanilla',
  scratch: string,
  count: number,
  components: string,
): Promise<AppRun> {
  const dir = path.join(scratch, `${name}-${count}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const pg = await startPostgres(dir);
  let app: RunningApp | undefined;
  try {
    const start = name === 'portal' ? startPortal : startVanilla;
    app = await start(dir, pg, components);
    const { admin, developer } = await app.tokens();
    const baseUrl = app.backend.baseUrl;
    const ingestionMs = await waitForIngestion(
      baseUrl,
      admin,
      count,
      INGESTION_LIMIT_MS,
    );
    const rss = rssMiB(app.backend.pid);
    // What autovacuum does within minutes of a bulk load: fresh planner
    // statistics and visibility, so that plans are the steady state's.
    vacuumAnalyze(pg);
    console.log(
      `  ${name}: all ${count} components listed ${Math.round(
        ingestionMs / 1000,
      )} s after ready; RSS ${rss} MiB`,
    );
    const tokens: Record<string, string> = developer
      ? { admin, developer }
      : { admin };
    const series = await timeQueries(
      baseUrl,
      tokens,
      catalogQueries(count),
      SAMPLES,
    );
    if (developer) {
      await breakdown(pg, baseUrl, tokens);
    }
    return { ingestionMs, rssMiB: rss, series };
  } finally {
    await app?.close();
    pg.destroy();
  }
}

function figuresOf(
  count: number,
  portal: AppRun | Error,
  vanilla: AppRun | Error | undefined,
): Figure[] {
  const of = (r: AppRun | Error | undefined, get: (r: AppRun) => number) =>
    r instanceof Error || r === undefined ? null : get(r);
  const errors = [portal, vanilla]
    .filter((r): r is Error => r instanceof Error)
    .map(e => e.message.slice(0, 200));
  const note = (extra: string) =>
    [extra, ...errors, ...(vanilla ? [] : ['vanilla not installed'])]
      .filter(Boolean)
      .join('; ');
  const at = count.toLocaleString('en-US');
  const figures: Figure[] = [
    {
      name: `ingestion, ready to all listed, ${at} components`,
      unit: 's',
      portal: of(portal, r => Math.round(r.ingestionMs / 100) / 10),
      vanilla: of(vanilla, r => Math.round(r.ingestionMs / 100) / 10),
      note: note(''),
    },
    {
      name: `backend RSS after loading ${at} components`,
      unit: 'MiB',
      portal: of(portal, r => r.rssMiB),
      vanilla: of(vanilla, r => r.rssMiB),
      note: note('from source, as yarn start runs it'),
    },
  ];
  for (const query of catalogQueries(count)) {
    for (const who of ['admin', 'developer']) {
      for (const p of ['p50', 'p95'] as const) {
        const key = `${query.what}|${who}`;
        figures.push({
          name: `${query.what}, ${at}, ${who} ${p}`,
          unit: 'ms',
          portal: of(portal, r => r.series.get(key)![p]),
          // Vanilla has one user, allowed everything: beside both roles.
          vanilla: of(vanilla, r => r.series.get(`${query.what}|admin`)![p]),
          note: note(
            `n=${SAMPLES}; ${
              who === 'admin' ? 'alice, ALLOW' : 'bob, CONDITIONAL'
            }; vanilla: its guest`,
          ),
        });
      }
    }
  }
  return figures;
}

async function main() {
  const scratch = path.join(repoRoot, '.scratch/bench/catalog');
  fs.mkdirSync(scratch, { recursive: true });
  const withVanilla = fs.existsSync(
    path.join(VANILLA_ROOT, 'node_modules/@backstage/cli-node'),
  );
  const figures: Figure[] = [];
  let failed = false;
  for (const count of sizes(process.argv.slice(2), SIZES)) {
    console.log(`\n${count.toLocaleString('en-US')} components`);
    const components = writeComponents(scratch, count);
    const attempt = (name: 'portal' | 'vanilla') =>
      run(name, scratch, count, components).catch((error: Error) => {
        console.error(`  ${name} failed: ${error.stack ?? error}`);
        failed = true;
        return error;
      });
    const portal = await attempt('portal');
    const vanilla = withVanilla ? await attempt('vanilla') : undefined;
    figures.push(...figuresOf(count, portal, vanilla));
  }
  for (const f of figures) {
    console.log(
      `${f.name.padEnd(58)} ${String(f.portal ?? '-').padStart(9)} ${String(
        f.vanilla ?? '-',
      ).padStart(9)} ${f.unit}`,
    );
  }
  writeFigures(figures);
  if (failed || !withVanilla) process.exitCode = 1;
}

runMain(main);
