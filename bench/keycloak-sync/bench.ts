/*
 * A full Keycloak org sync at 10,000 users in 1,000 nested groups: the
 * real provider (patched, as the backend runs it) in a child process with
 * the production maxConcurrency, against the Keycloak admin API stand-in
 * in this one. Duration and peak RSS of the syncing process; the requests
 * per second (peak and mean) and the peak concurrency Keycloak saw; what
 * was committed. Figures only, no assertions, no vanilla column (vanilla
 * create-app has no Keycloak org sync). Not run in CI.
 *
 *   yarn bench keycloak-sync [--quick]
 *   node --require @backstage/cli/config/nodeTransform.cjs \
 *     bench/keycloak-sync/bench.ts [users, default 10000] \
 *     [--latency <ms>, default 10] [--concurrency <n>, default production]
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { startKeycloakAdminStandIn } from '@internal/stand-ins';
import { parse } from 'yaml';
import { Figure, sizes, writeFigures, runMain } from '../figures';

const root = path.resolve(__dirname, '../..');

/** The setting the portal runs with, so the figures follow the config. */
function productionMaxConcurrency(): number {
  const config = parse(
    fs.readFileSync(path.join(root, 'app-config.production.yaml'), 'utf8'),
  );
  const value = config.catalog.providers.keycloakOrg.production.maxConcurrency;
  if (!Number.isInteger(value)) {
    throw new Error('No keycloakOrg maxConcurrency in app-config.production');
  }
  return value;
}

/** Runs sync.ts in a child process against the stand-in; what it printed. */
async function syncInChild(env: object) {
  const transform = require.resolve('@backstage/cli/config/nodeTransform.cjs');
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--require', transform, path.join(__dirname, 'sync.ts')],
    {
      cwd: root,
      env: { ...process.env, KEYCLOAK_SYNC: JSON.stringify(env) },
      // Bounded: the production schedule gives a sync 3 minutes.
      timeout: 10 * 60_000,
    },
  );
  return JSON.parse(stdout.trim().split('\n').pop()!) as {
    ms: number;
    users: number;
    groups: number;
    rssBeforeMiB: number;
    peakRssMiB: number;
  };
}

async function benchSync(users: number, latencyMs: number, limit: number) {
  const groups = Math.max(1, Math.round(users / 10));
  const keycloak = await startKeycloakAdminStandIn({
    org: { generated: { users, groups } },
    latencyMs,
  });
  try {
    const { baseUrl, realm, loginRealm, clientId, clientSecret } = keycloak;
    // This process only serves Keycloak's answers while the child syncs:
    // its CPU time shows whether the stand-in could be the bottleneck.
    const cpu = process.cpuUsage();
    const sync = await syncInChild({
      keycloak: { baseUrl, realm, loginRealm, clientId, clientSecret },
      config: { maxConcurrency: limit },
    });
    const { user, system } = process.cpuUsage(cpu);
    const standInCpuMs = Math.round((user + system) / 1000);
    const stats = keycloak.stats();
    const size = `${users.toLocaleString('en')} users / ${groups.toLocaleString(
      'en',
    )} groups`;
    const setup = `maxConcurrency ${limit}, stand-in answers after ${latencyMs} ms`;
    console.log(`\nKeycloak org sync, ${size} (${setup})`);
    console.log(JSON.stringify({ sync, stats, standInCpuMs }, null, 2));
    const figure = (name: string, unit: string, portal: number, note = '') => ({
      name: `${name}, ${size}`,
      unit,
      portal,
      note: [note, setup].filter(Boolean).join('; '),
    });
    return [
      figure(
        'Keycloak sync duration',
        'ms',
        sync.ms,
        `the stand-in used ${standInCpuMs} ms of CPU meanwhile`,
      ),
      figure(
        'Keycloak sync peak RSS',
        'MiB',
        sync.peakRssMiB,
        `the syncing process, sampled every 20 ms; ${sync.rssBeforeMiB} MiB before the sync`,
      ),
      figure(
        'requests/s to Keycloak, peak',
        'req/s',
        stats.peakPerSecond,
        'most within any one second',
      ),
      figure(
        'requests/s to Keycloak, mean',
        'req/s',
        Math.round(stats.meanPerSecond),
        'from the first request to the last',
      ),
      figure(
        'peak requests in flight at Keycloak',
        'requests',
        stats.peakConcurrency,
      ),
      figure('requests to Keycloak', 'requests', stats.requests),
      figure('users committed', 'users', sync.users),
      figure('groups committed', 'groups', sync.groups),
    ];
  } finally {
    await keycloak.close();
  }
}

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      latency: { type: 'string' },
      concurrency: { type: 'string' },
    },
  });
  const latencyMs = Number(values.latency ?? 10);
  const limit = Number(values.concurrency ?? productionMaxConcurrency());
  const figures: Figure[] = [];
  for (const users of sizes(positionals, { full: [10_000], quick: [1_000] })) {
    figures.push(...(await benchSync(users, latencyMs, limit)));
  }
  writeFigures(figures);
}

runMain(main);
