/**
 * `yarn bench [--quick] [name...]`: runs every benchmark of bench/ (or the
 * named ones) one after the other, prints one table of figures, each beside
 * vanilla create-app 0.9.2 where the benchmark measured one, and writes them
 * to .scratch/bench/results.json. A benchmark that fails shows its error in
 * the table; the others still run. Not part of CI.
 *
 * A benchmark is a folder bench/<name>/ with one entry: run.sh, or else
 * bench.ts (run with the Backstage CLI's TypeScript transform). See
 * bench/figures.ts for what an entry writes, and bench/README.md.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot, stopTree } from '@internal/test-harness';
import { Figure, runMain } from './figures';

const BENCH_DIR = path.join(repoRoot, 'bench');
const OUT_DIR = path.join(repoRoot, '.scratch', 'bench');
const ENTRIES = ['run.sh', 'bench.ts'];

interface Outcome {
  name: string;
  entry: string;
  ok: boolean;
  durationMs: number;
  figures: Figure[];
  error?: string;
  log: string;
}

/** Every bench/<name>/ with an entry, by name. */
function discover(): Map<string, string> {
  const found = new Map<string, string>();
  for (const dirent of fs.readdirSync(BENCH_DIR, { withFileTypes: true })) {
    if (!dirent.isDirectory()) continue;
    const entry = ENTRIES.map(e => path.join(BENCH_DIR, dirent.name, e)).find(
      e => fs.existsSync(e),
    );
    if (entry) found.set(dirent.name, entry);
  }
  return new Map([...found].sort(([a], [b]) => a.localeCompare(b)));
}

function command(entry: string): [string, string[]] {
  if (entry.endsWith('.sh')) return ['bash', [entry]];
  const transform = require.resolve('@backstage/cli/config/nodeTransform.cjs', {
    paths: [repoRoot],
  });
  return [process.execPath, ['--require', transform, entry]];
}

/** The last lines of a log that say what went wrong. */
function tail(log: string, lines = 6): string {
  return log.trim().split('\n').slice(-lines).join('\n');
}

/** Runs one entry, its output on the console and in <name>.log, bounded. */
async function runOne(
  name: string,
  entry: string,
  options: { quick: boolean; timeoutMs: number },
): Promise<Outcome> {
  const figuresFile = path.join(OUT_DIR, `${name}.figures.json`);
  const log = path.join(OUT_DIR, `${name}.log`);
  fs.rmSync(figuresFile, { force: true });
  const logStream = fs.createWriteStream(log);
  const started = Date.now();
  const [cmd, args] = command(entry);
  const child = spawn(cmd, args, {
    cwd: repoRoot,
    env: {
      ...process.env,
      BENCH_OUT: figuresFile,
      ...(options.quick ? { BENCH_QUICK: '1' } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const take = (target: NodeJS.WriteStream) => (chunk: Buffer) => {
    output += chunk;
    target.write(chunk);
    logStream.write(chunk);
  };
  child.stdout.on('data', take(process.stdout));
  child.stderr.on('data', take(process.stderr));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    stopTree(child.pid!, 10_000);
  }, options.timeoutMs);
  const code = await new Promise<number | null>(resolve => {
    child.once('error', error => {
      output += `${error}\n`;
      resolve(null);
    });
    child.once('close', resolve);
  });
  clearTimeout(timer);
  logStream.end();
  const durationMs = Date.now() - started;
  const figures: Figure[] = fs.existsSync(figuresFile)
    ? JSON.parse(fs.readFileSync(figuresFile, 'utf8'))
    : [];
  let error: string | undefined;
  if (timedOut) {
    error = `stopped after ${Math.round(options.timeoutMs / 60_000)} min`;
  } else if (code !== 0) {
    error = `exited with ${code}: ${tail(output)}`;
  } else if (figures.length === 0) {
    error = 'wrote no figures to BENCH_OUT (see bench/figures.ts)';
  }
  const relative = path.relative(repoRoot, log);
  return { name, entry, ok: !error, durationMs, figures, error, log: relative };
}

function format(value: number | null | undefined, unit: string): string {
  if (value === undefined) return '';
  if (value === null || Number.isNaN(value)) return '-';
  const digits = Math.abs(value) >= 100 || Number.isInteger(value) ? 0 : 1;
  return `${value.toLocaleString('en-US', {
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  })} ${unit}`;
}

function printTable(outcomes: Outcome[]) {
  const rows: string[][] = [
    ['benchmark', 'figure', 'portal', 'vanilla 0.9.2', 'note'],
  ];
  for (const outcome of outcomes) {
    for (const f of outcome.figures) {
      rows.push([
        outcome.name,
        f.name,
        format(f.portal, f.unit),
        format(f.vanilla, f.unit),
        f.note ?? '',
      ]);
    }
    if (outcome.error) {
      const [first, ...rest] = outcome.error.split('\n');
      rows.push([outcome.name, 'FAILED', '', '', first]);
      for (const line of rest) rows.push(['', '', '', '', line]);
      rows.push(['', '', '', '', `log: ${outcome.log}`]);
    }
  }
  const widths = rows[0].map((_, c) =>
    Math.min(60, Math.max(...rows.map(r => r[c].length))),
  );
  const line = (row: string[]) =>
    row
      .map((cell, c) =>
        c === 2 || c === 3 ? cell.padStart(widths[c]) : cell.padEnd(widths[c]),
      )
      .join('  ')
      .trimEnd();
  process.stdout.write(`\n${line(rows[0])}\n`);
  process.stdout.write(`${widths.map(w => '-'.repeat(w)).join('  ')}\n`);
  for (const row of rows.slice(1)) process.stdout.write(`${line(row)}\n`);
}

const USAGE = `Usage: yarn bench [--quick] [--timeout <minutes>] [--out <file>] [name...]

Runs every benchmark in bench/ (or the named ones) in sequence and prints
one table of figures. --quick uses small sizes, for a smoke test.
Figures go to .scratch/bench/results.json (or --out).
`;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      quick: { type: 'boolean', default: false },
      timeout: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const available = discover();
  if (values.help) {
    process.stdout.write(
      `${USAGE}\nBenchmarks: ${[...available.keys()].join(', ')}\n`,
    );
    return 0;
  }
  const unknown = positionals.filter(name => !available.has(name));
  if (unknown.length > 0) {
    process.stderr.write(
      `Unknown benchmark(s): ${unknown.join(', ')}; there are ${[
        ...available.keys(),
      ].join(', ')}\n`,
    );
    return 2;
  }
  const names = positionals.length > 0 ? positionals : [...available.keys()];
  const timeoutMs =
    Number(values.timeout ?? (values.quick ? 20 : 240)) * 60_000;
  fs.mkdirSync(OUT_DIR, { recursive: true });
  const startedAt = new Date().toISOString();
  const outcomes: Outcome[] = [];
  for (const name of names) {
    process.stdout.write(
      `\n=== bench ${name}${values.quick ? ' (quick)' : ''}\n`,
    );
    outcomes.push(
      await runOne(name, available.get(name)!, {
        quick: values.quick,
        timeoutMs,
      }),
    );
  }
  printTable(outcomes);
  const out = path.resolve(values.out ?? path.join(OUT_DIR, 'results.json'));
  const machine = {
    node: process.version,
    cpus: os.cpus().length,
    memoryBytes: os.totalmem(),
  };
  fs.writeFileSync(
    out,
    `${JSON.stringify(
      { startedAt, quick: values.quick, machine, benchmarks: outcomes },
      null,
      2,
    )}\n`,
  );
  process.stdout.write(
    `\nFigures written to ${path.relative(process.cwd(), out)}\n`,
  );
  return outcomes.every(o => o.ok) ? 0 : 1;
}

runMain(main);
