import { PostgresCluster } from '@internal/test-harness';
import {
  CATALOG_DB,
  captureStatements,
  explainAnalyze,
  seqScans,
  vacuumAnalyze,
} from './explain';
import { percentile } from '../figures';
import { catalogQueries, get } from './timing';

const ms = (n: number) => `${n.toFixed(1)} ms`;

/** Execution time of a plan, from its last line. */
const executionMs = (plan: string[]) =>
  Number(/Execution Time: ([\d.]+)/.exec(plan.join('\n'))?.[1] ?? NaN);

function printPlan(label: string, sql: string, plan: string[]) {
  const scans = seqScans(plan);
  console.log(
    `    ${label}: ${sql.slice(0, 2000)}\n${plan
      .map(line => `      ${line}`)
      .join('\n')}\n    sequential scans: ${
      scans.length > 0 ? scans.join('; ') : 'none'
    }`,
  );
}

/**
 * Where the time of one request goes for each user: the statements the
 * catalog sends to PostgreSQL (from its log, with the server's time for
 * each; a page and its count run in parallel) against the whole request;
 * the rest is the permission round trip, the catalog's own work and JSON.
 * The developer's statements are printed under EXPLAIN ANALYZE, the
 * admin's execution times beside them, and the developer's are tried
 * once more with a candidate index.
 */
export async function breakdown(
  pg: PostgresCluster,
  baseUrl: string,
  tokens: Record<string, string>,
) {
  await userInfoRoundTrip(baseUrl, tokens.developer);
  const developerSql: string[] = [];
  // by-name needs a count to spread its names; one is enough here.
  const queries = catalogQueries(1).filter(q => q.what !== 'by-name');
  for (const query of queries) {
    const route = query.path(0);
    console.log(`\n  where the time goes: GET /api/catalog${route}`);
    for (const [who, token] of Object.entries(tokens)) {
      let total = 0;
      const statements = await captureStatements(pg, async () => {
        total = (await get(baseUrl, token, route)).ms;
      });
      const plans = statements.map(s => explainAnalyze(pg, s.sql));
      console.log(
        `    ${who}: request ${ms(total)}; statements ${statements
          .map(s => ms(s.durationMs))
          .join(' and ')}; under EXPLAIN ANALYZE ${plans
          .map(p => ms(executionMs(p)))
          .join(' and ')}`,
      );
      if (who !== 'developer') continue;
      statements.forEach((s, i) => {
        printPlan(`statement ${i + 1}`, s.sql, plans[i]);
        developerSql.push(s.sql);
      });
    }
  }
  tryCandidateIndex(pg, developerSql);
}

/**
 * A condition joins every matching search row to final_entities by its
 * primary key and reads the row for `final_entity IS NOT NULL`; a partial
 * index on the id alone would let those probes be index-only. Shown with
 * and without it, then dropped: figures for the decision, not a change.
 */
function tryCandidateIndex(pg: PostgresCluster, statements: string[]) {
  const name = 'bench_final_entities_visible_idx';
  const before = statements.map(sql => executionMs(explainAnalyze(pg, sql)));
  pg.query(
    CATALOG_DB,
    `CREATE INDEX ${name} ON final_entities (entity_id) WHERE final_entity IS NOT NULL`,
  );
  vacuumAnalyze(pg);
  try {
    console.log(`\n  candidate index ${name}, developer's statements:`);
    const after = statements.map(sql => explainAnalyze(pg, sql));
    // Plans costed above jit_above_cost are compiled first, every time.
    const noJit = statements.map(sql =>
      executionMs(explainAnalyze(pg, sql, 'SET jit = off;')),
    );
    after.forEach((plan, i) =>
      console.log(
        `    statement ${i + 1}: ${ms(before[i])} without, ${ms(
          executionMs(plan),
        )} with, ${ms(noJit[i])} with and jit off`,
      ),
    );
    const saving = (i: number) => before[i] - executionMs(after[i]);
    const most = statements.reduce(
      (m, _, i) => (saving(i) > saving(m) ? i : m),
      0,
    );
    printPlan(
      `with the index, statement ${most + 1}`,
      statements[most],
      after[most],
    );
  } finally {
    pg.query(CATALOG_DB, `DROP INDEX ${name}`);
  }
}

/**
 * The permission backend resolves a user's ownership references from the
 * auth backend's /v1/userinfo (tokens carry none), at most once per token
 * every 5 s (the user info service's cache): the cost of that miss.
 */
async function userInfoRoundTrip(baseUrl: string, token: string) {
  const samples: number[] = [];
  for (let i = 0; i < 20; i++) {
    const start = performance.now();
    const res = await fetch(`${baseUrl}/api/auth/v1/userinfo`, {
      headers: { authorization: `Bearer ${token}` },
    });
    await res.json();
    samples.push(performance.now() - start);
  }
  console.log(
    `\n  ownership references of the developer, GET /api/auth/v1/userinfo: p50 ${ms(
      percentile(samples, 0.5),
    )}, p95 ${ms(percentile(samples, 0.95))} (n=20)`,
  );
}
