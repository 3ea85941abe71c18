import fs from 'node:fs';
import path from 'node:path';
import { PostgresCluster } from '@internal/test-harness';

/** The catalog's database with the default pluginDivisionMode. */
export const CATALOG_DB = 'backstage_plugin_catalog';

/** One statement the catalog ran, with its parameters filled in. */
export interface CapturedStatement {
  durationMs: number;
  sql: string;
}

function logFile(pg: PostgresCluster): string {
  // startPostgres logs next to the data directory (pg_ctl -l <base>/log).
  const [data] = pg.query('postgres', 'SHOW data_directory');
  return path.join(path.dirname(data), 'log');
}

function setStatementLogging(pg: PostgresCluster, on: boolean) {
  pg.query(
    'postgres',
    on
      ? 'ALTER SYSTEM SET log_min_duration_statement = 0'
      : 'ALTER SYSTEM RESET log_min_duration_statement',
  );
  pg.query('postgres', 'SELECT pg_reload_conf()');
}

/** `$1 = 'a', $2 = NULL` from a log DETAIL line, as literals by number. */
function parameters(detail: string): Map<number, string> {
  const values = new Map<number, string>();
  for (const m of detail.matchAll(/\$(\d+) = ('(?:[^']|'')*'|NULL)/g)) {
    values.set(Number(m[1]), m[2]);
  }
  return values;
}

/** Statements on the catalog's tables in a slice of the server's log. */
function parseLog(text: string): CapturedStatement[] {
  const statements: CapturedStatement[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m =
      /LOG: {2}duration: ([\d.]+) ms {2}(?:execute [^:]*|statement): (.*)$/.exec(
        lines[i],
      );
    if (!m || !/final_entities|search|relations/.test(m[2])) continue;
    const detail = /DETAIL: {2}parameters: (.*)$/.exec(lines[i + 1] ?? '');
    const values = detail ? parameters(detail[1]) : new Map<number, string>();
    const sql = m[2].replace(
      /\$(\d+)\b/g,
      (all, n) => values.get(Number(n)) ?? all,
    );
    statements.push({ durationMs: Number(m[1]), sql });
  }
  return statements;
}

/**
 * The SQL the catalog runs for one request, read from PostgreSQL's own log
 * (every statement logged while the request runs), with the time the
 * server took for each.
 */
export async function captureStatements(
  pg: PostgresCluster,
  request: () => Promise<unknown>,
): Promise<CapturedStatement[]> {
  const file = logFile(pg);
  const before = fs.statSync(file).size;
  setStatementLogging(pg, true);
  try {
    // A reload reaches the backend's pooled sessions asynchronously.
    await new Promise(r => setTimeout(r, 500));
    await request();
  } finally {
    setStatementLogging(pg, false);
  }
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.statSync(file).size;
    const buffer = Buffer.alloc(size - before);
    fs.readSync(fd, buffer, 0, buffer.length, before);
    return parseLog(buffer.toString('utf8'));
  } finally {
    fs.closeSync(fd);
  }
}

/** EXPLAIN (ANALYZE, BUFFERS) of one captured statement (after `settings`), as text lines. */
export function explainAnalyze(
  pg: PostgresCluster,
  sql: string,
  settings = '',
): string[] {
  return pg.query(CATALOG_DB, `${settings} EXPLAIN (ANALYZE, BUFFERS) ${sql}`);
}

/** Fresh statistics and visibility map of the catalog's tables. */
export function vacuumAnalyze(pg: PostgresCluster): void {
  pg.query(CATALOG_DB, 'VACUUM ANALYZE');
}

/** Whether a plan reads a whole large table instead of an index. */
export function seqScans(plan: string[]): string[] {
  return plan
    .filter(line => /Seq Scan on/.test(line))
    .map(line => line.trim().replace(/\s+\(cost.*$/, ''));
}
