/*
 * One Keycloak org sync in a process of its own, so that its peak RSS is
 * the provider's alone (the stand-in runs in bench.ts). Started by
 * bench.ts with KEYCLOAK_SYNC = { keycloak, config } (JSON); prints one
 * JSON line: duration, what was committed, RSS before and at its peak.
 */
import { syncOnce } from '@internal/stand-ins/src/keycloak/orgProvider';
import { runMain } from '../figures';

/** Often enough to catch the peak of a sync of a few seconds. */
const SAMPLE_MS = 20;
const MiB = 1024 * 1024;

async function main() {
  const { keycloak, config } = JSON.parse(process.env.KEYCLOAK_SYNC!);
  const rssBefore = process.memoryUsage().rss;
  let peakRss = rssBefore;
  // Stops with the sync; unref'd so it can never keep the process alive.
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, SAMPLE_MS).unref();
  try {
    const { ms, users, groups } = await syncOnce(keycloak, config);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    const result = {
      ms,
      users: users.length,
      groups: groups.length,
      rssBeforeMiB: Math.round(rssBefore / MiB),
      peakRssMiB: Math.round(peakRss / MiB),
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    clearInterval(sampler);
  }
}

runMain(main);
