import { percentile } from '../figures';
import { BENCH_LABEL, DEVELOPER_TEAM, componentName } from './entities';

/** A catalog read the UI makes; `path(i)` may vary per sample. */
export interface Query {
  what: string;
  path(i: number): string;
}

/** The reads of issue 13, as the catalog's pages make them. */
export function catalogQueries(count: number): Query[] {
  const page = '/entities/by-query?limit=100&orderField=metadata.name,asc';
  return [
    { what: 'by-query, first 100 by name', path: () => page },
    // The catalog table's own page request: it asks for the count apart.
    {
      what: 'by-query, first 100 by name, no count',
      path: () => `${page}&totalItems=exclude`,
    },
    {
      what: 'by-query, owner filter',
      path: () => `${page}&filter=spec.owner=${DEVELOPER_TEAM}`,
    },
    {
      what: 'by-name',
      // Spread over the catalog, so no one row stays hot.
      path: i =>
        `/entities/by-name/component/default/${componentName(
          (i * 7919) % count,
        )}`,
    },
    { what: 'facets kind', path: () => '/entity-facets?facet=kind' },
    { what: 'facets spec.type', path: () => '/entity-facets?facet=spec.type' },
  ];
}

/** GET on the catalog as the token's user; milliseconds and the body. */
export async function get(
  baseUrl: string,
  token: string,
  route: string,
): Promise<{ ms: number; body: any }> {
  const start = performance.now();
  const res = await fetch(`${baseUrl}/api/catalog${route}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const body = await res.json();
  const ms = performance.now() - start;
  if (!res.ok) {
    throw new Error(`${route} answered ${res.status}: ${JSON.stringify(body)}`);
  }
  return { ms, body };
}

/** How many generated components a token's user can list. */
export async function countComponents(baseUrl: string, token: string) {
  const { body } = await get(
    baseUrl,
    token,
    `/entities/by-query?limit=1&filter=metadata.labels.${BENCH_LABEL.key}=${BENCH_LABEL.value}`,
  );
  return body.totalItems as number;
}

/** Milliseconds until the admin lists all `count` components, bounded. */
export async function waitForIngestion(
  baseUrl: string,
  token: string,
  count: number,
  limitMs: number,
): Promise<number> {
  const start = performance.now();
  for (;;) {
    const seen = await countComponents(baseUrl, token);
    if (seen >= count) return performance.now() - start;
    if (performance.now() - start > limitMs) {
      throw new Error(`only ${seen} of ${count} ingested in ${limitMs} ms`);
    }
    await new Promise(r => setTimeout(r, 1000));
  }
}

export interface Series {
  p50: number;
  p95: number;
  n: number;
}

const round = (ms: number) => Math.round(ms * 10) / 10;

/**
 * `n` sequential samples of each query for each user, after a warm-up;
 * users take turns per sample so that noise on the shared machine falls
 * on all of them alike.
 */
export async function timeQueries(
  baseUrl: string,
  tokens: Record<string, string>,
  queries: Query[],
  n: number,
): Promise<Map<string, Series>> {
  const results = new Map<string, Series>();
  for (const query of queries) {
    const samples: Record<string, number[]> = {};
    for (const [who, token] of Object.entries(tokens)) {
      samples[who] = [];
      for (let i = 0; i < 3; i++) await get(baseUrl, token, query.path(i));
    }
    for (let i = 0; i < n; i++) {
      for (const [who, token] of Object.entries(tokens)) {
        samples[who].push((await get(baseUrl, token, query.path(i))).ms);
      }
    }
    for (const [who, ms] of Object.entries(samples)) {
      results.set(`${query.what}|${who}`, {
        p50: round(percentile(ms, 0.5)),
        p95: round(percentile(ms, 0.95)),
        n,
      });
    }
  }
  return results;
}
