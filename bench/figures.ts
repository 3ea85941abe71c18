/**
 * The contract between `yarn bench` (bench/run.ts) and each benchmark's
 * entry: the runner sets BENCH_OUT (and BENCH_QUICK=1 in quick mode); the
 * entry writes its figures to BENCH_OUT as a JSON array of {@link Figure}
 * and exits with 0. Run alone, without BENCH_OUT, an entry just prints.
 */
import fs from 'node:fs';

/** One measured figure, beside vanilla create-app 0.9.2 where one exists. */
export interface Figure {
  /** What was measured, e.g. `deploy-service p95, 1,000 services`. */
  name: string;
  /** `ms`, `MiB`, `files`, `µs`, … */
  unit: string;
  /** The portal's figure; null when it could not be measured. */
  portal: number | null;
  /** The same figure of vanilla create-app 0.9.2, built the same way in the same run. */
  vanilla?: number | null;
  /** Sample size, failures, or what the figure depends on. */
  note?: string;
}

/** Whether the runner asked for small sizes (`yarn bench --quick`). */
export const quick = process.env.BENCH_QUICK === '1';

/** Writes the figures where the runner reads them (BENCH_OUT), if it asked. */
export function writeFigures(figures: Figure[]): void {
  const out = process.env.BENCH_OUT;
  if (out) {
    fs.writeFileSync(out, `${JSON.stringify(figures, null, 2)}\n`);
  }
}

/** The nearest-rank percentile `q` (0..1) of the samples. */
export function percentile(samples: number[], q: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length, Math.ceil(q * sorted.length)) - 1];
}

/** The sizes to run: the command line's, else the quick or the full ones. */
export function sizes(
  argv: string[],
  defaults: { full: number[]; quick: number[] },
): number[] {
  const given = argv.map(Number).filter(n => Number.isInteger(n) && n > 0);
  if (given.length > 0) return given;
  return quick ? defaults.quick : defaults.full;
}

/**
 * Runs a benchmark's (or the runner's) entry and exits with its code, 0 by
 * default, or 1 on an error: stopped backends and pools may leave timers
 * behind once the figures are out, and they must not keep the process up.
 */
export function runMain(main: () => Promise<number | void>): void {
  main().then(
    code => process.exit(code ?? 0),
    error => {
      process.stderr.write(`${error?.stack ?? error}\n`);
      process.exit(1);
    },
  );
}
