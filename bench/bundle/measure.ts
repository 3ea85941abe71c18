/**
 * Measures built backend bundles (the image's /app, from
 * scripts/build-bundle.sh): size on disk, cold start to ready, and memory at
 * rest. Run through bench/bundle/run.sh, which builds both apps first.
 *
 *   measure.ts --portal <app dir> [--vanilla <app dir>]
 *
 * Each app gets its own fresh PostgreSQL 15 cluster, so "cold" includes
 * every plugin's migrations; a second start on the migrated database is
 * reported as "warm". On that warm backend, Chromium then weighs the first
 * load of the sign-in page and of the catalog page (firstLoad.ts), the
 * frontend served by the backend's app plugin as in the image.
 *
 *   measure.ts ... --first-load-only   start each app once and weigh only that
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  BundleProcess,
  answers,
  freePort,
  productionVariables,
  repoRoot,
  spawnBundle,
  startPostgres,
  writableDirs,
  writeConfig,
} from '@internal/test-harness';
import {
  ISSUER_ACCOUNTS,
  keycloakOrgUsers,
  keycloakRedirectUri,
  startArgoCdStandIn,
  startKeycloakAdminStandIn,
  startKubernetesStandIn,
  startOidcIssuer,
} from '@internal/stand-ins';
import { Figure, quick, writeFigures, runMain } from '../figures';
import {
  FirstLoad,
  FirstLoadTarget,
  PageWeight,
  launchChromium,
  measureFirstLoad,
} from './firstLoad';

/** How long a backend idles after ready before its memory is read. */
const IDLE_MS = quick ? 5_000 : 30_000;
const READY_TIMEOUT_MS = 5 * 60_000;
const PORTAL = 'portal';
const VANILLA = 'vanilla create-app 0.9.2';

interface Figures {
  app: string;
  unpackedBytes: number;
  nodeModulesBytes: number;
  files: number;
  coldStartMs?: number;
  warmStartMs?: number;
  rssAtRestBytes?: number;
  firstLoad: FirstLoad;
}

const firstLoadOnly = process.argv.includes('--first-load-only');

/** Apparent size of every regular file below `dir`, symlinks not followed. */
function diskUsage(dir: string): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) {
        walk(full);
      } else if (entry.isFile()) {
        bytes += fs.lstatSync(full).size;
        files++;
      }
    }
  };
  walk(dir);
  return { bytes, files };
}

function rssOf(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+) kB/m.exec(status);
  if (!kb) {
    throw new Error(`no VmRSS for ${pid}`);
  }
  return Number(kb[1]) * 1024;
}

/** Milliseconds from spawn to the first 200 from readiness, bounded. */
async function timeToReady(backend: BundleProcess): Promise<number> {
  const started = performance.now();
  let exit: number | null | undefined;
  backend.exited.then(code => (exit = code));
  const readiness = `${backend.baseUrl}/.backstage/health/v1/readiness`;
  while (performance.now() - started < READY_TIMEOUT_MS) {
    if (exit !== undefined) {
      const log = backend
        .output()
        .split('\n')
        .filter(line => !line.includes('"incomingRequest"'))
        .join('\n');
      throw new Error(`exited with ${exit} before ready:\n${log.slice(-4000)}`);
    }
    if (await answers(readiness, 200)) {
      return Math.round(performance.now() - started);
    }
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error(
    `not ready after ${READY_TIMEOUT_MS} ms; its output is kept next to its database`,
  );
}

interface Target {
  name: string;
  appDir: string;
  /** Config files and environment for a backend on `port` against `pg`. */
  setup(
    port: number,
    pg: { host: string; port: number; user: string; password: string },
    dir: string,
  ): Promise<{
    configFiles: string[];
    env: NodeJS.ProcessEnv;
    close(): Promise<void>;
    /** Node options of its image's CMD; the portal image's when absent. */
    nodeOptions?: string[];
  }>;
  /** How Chromium finds its catalog page and signs in, as a person would. */
  firstLoad: Omit<FirstLoadTarget, 'baseUrl'>;
}

async function measure(target: Target, scratch: string): Promise<Figures> {
  // pg_ctl takes the socket folder inside an unquoted option string.
  const dir = path.join(scratch, target.name.replace(/[^a-z0-9.-]+/gi, '-'));
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const all = diskUsage(target.appDir);
  const nodeModules = diskUsage(path.join(target.appDir, 'node_modules'));
  const pg = await startPostgres(dir);
  const port = await freePort();
  const { configFiles, env, close, nodeOptions } = await target.setup(
    port,
    pg,
    dir,
  );
  const start = () =>
    spawnBundle({ appDir: target.appDir, port, configFiles, env, nodeOptions });
  let backend: BundleProcess | undefined;
  let runs = 0;
  const keepLog = () =>
    backend &&
    fs.writeFileSync(path.join(dir, `backend-${++runs}.log`), backend.output());
  try {
    backend = start();
    const coldStartMs = await timeToReady(backend);
    let startFigures = {};
    if (!firstLoadOnly) {
      await new Promise(r => setTimeout(r, IDLE_MS));
      const rssAtRestBytes = rssOf(backend.pid);
      await backend.stop();
      keepLog();
      backend = start();
      const warmStartMs = await timeToReady(backend);
      startFigures = { coldStartMs, warmStartMs, rssAtRestBytes };
    }
    const browser = await launchChromium();
    let firstLoad: FirstLoad;
    try {
      firstLoad = await measureFirstLoad(browser, {
        baseUrl: backend.baseUrl,
        ...target.firstLoad,
      });
    } finally {
      await browser.close();
    }
    fs.writeFileSync(
      path.join(dir, 'first-load.json'),
      `${JSON.stringify(firstLoad, null, 2)}\n`,
    );
    return {
      app: target.name,
      unpackedBytes: all.bytes,
      nodeModulesBytes: nodeModules.bytes,
      files: all.files,
      ...startFigures,
      firstLoad,
    };
  } finally {
    await backend?.stop();
    keepLog();
    await close();
    pg.destroy();
  }
}

const listen = (port: number) => ({
  backend: { listen: { port, host: '127.0.0.1' } },
});

function portal(appDir: string): Target {
  return {
    name: PORTAL,
    appDir,
    firstLoad: {
      catalogPath: '/catalog',
      // Production signs in through Keycloak only (the guest sign-in is
      // refused there); the loopback issuer stands in for it. Right after
      // start-up the sign-in is refused until the org sync has brought the
      // user into the catalog, so it is tried again for a while.
      async signIn(page) {
        const { username, password } = ISSUER_ACCOUNTS.alice;
        const deadline = Date.now() + READY_TIMEOUT_MS;
        for (;;) {
          const popupOpened = page.waitForEvent('popup');
          await page.getByRole('button', { name: 'Sign In' }).click();
          const popup = await popupOpened;
          // Once the issuer knows the browser, its popup closes by itself.
          const form = await popup
            .locator('#username')
            .waitFor({ timeout: 10_000 })
            .then(
              () => true,
              () => false,
            );
          if (form) {
            await popup.locator('#username').fill(username);
            await popup.locator('#password').fill(password);
            await popup.locator('#kc-login').click();
          }
          const signedIn = await page
            .getByRole('link', { name: 'Catalog' })
            .first()
            .waitFor({ timeout: 10_000 })
            .then(
              () => true,
              () => false,
            );
          if (signedIn || Date.now() > deadline) return;
          await page.reload();
        }
      },
    },
    async setup(port, pg, dir) {
      const baseUrl = `http://127.0.0.1:${port}`;
      const issuer = await startOidcIssuer({
        redirectUris: [keycloakRedirectUri(baseUrl)],
      });
      const keycloak = await startKeycloakAdminStandIn({
        org: {
          listed: {
            users: keycloakOrgUsers(),
            groups: ['/engineering', '/engineering/platform-team'],
          },
        },
      });
      const kubernetes = await startKubernetesStandIn();
      const argocd = await startArgoCdStandIn();
      return {
        configFiles: [
          'app-config.yaml',
          'app-config.production.yaml',
          writeConfig(dir, 'listen.json', listen(port)),
        ],
        env: {
          ...productionVariables(
            {
              baseUrl,
              postgres: pg,
              issuer,
              keycloak,
              kubernetes,
              argocd,
              writable: writableDirs(dir),
            },
            'bench',
          ),
          ...(process.env.BENCH_PORTAL_EXTRA_ENV
            ? JSON.parse(process.env.BENCH_PORTAL_EXTRA_ENV)
            : {}),
        },
        async close() {
          await issuer.close();
          await keycloak.close();
          await kubernetes.close();
          await argocd.close();
        },
      };
    },
  };
}

function vanilla(appDir: string): Target {
  return {
    name: VANILLA,
    appDir,
    firstLoad: {
      // Its app-config.yaml mounts the catalog page at the root.
      catalogPath: '/',
      async signIn(page) {
        await page.getByRole('button', { name: 'Enter' }).click();
      },
    },
    async setup(port, pg, dir) {
      const baseUrl = `http://127.0.0.1:${port}`;
      const tmp = writableDirs(dir);
      return {
        // Its own production config, as its Dockerfile starts it, plus the
        // same loopback listen address.
        configFiles: [
          'app-config.yaml',
          'app-config.production.yaml',
          // Its production config writes the listener as a string, which
          // an object cannot override.
          writeConfig(dir, 'listen.json', {
            app: { baseUrl },
            backend: { baseUrl, listen: `127.0.0.1:${port}` },
            // Its guest sign-in (production config), which refuses to run
            // with NODE_ENV=production unless told otherwise.
            auth: {
              providers: {
                guest: { dangerouslyAllowOutsideDevelopment: true },
              },
            },
          }),
        ],
        env: {
          NODE_ENV: 'production',
          HOME: tmp.tmp,
          TMPDIR: tmp.tmp,
          POSTGRES_HOST: pg.host,
          POSTGRES_PORT: String(pg.port),
          POSTGRES_USER: pg.user,
          POSTGRES_PASSWORD: pg.password,
        },
        // Its Dockerfile's CMD is plain `node packages/backend`.
        nodeOptions: [],
        close: async () => {},
      };
    },
  };
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const mib = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
/** Decimal kilobytes, as the issue states first-load weight in MB. */
const kb = (bytes: number) => Math.round(bytes / 100) / 10;

/** The figures of each app, in the order they are printed. */
const MEASURES: Array<[string, string, (f: Figures) => number | undefined]> = [
  ['unpacked size', 'MiB', f => mib(f.unpackedBytes)],
  ['node_modules', 'MiB', f => mib(f.nodeModulesBytes)],
  ['files', 'files', f => f.files],
  ['cold start to ready (fresh database)', 'ms', f => f.coldStartMs],
  ['warm start to ready', 'ms', f => f.warmStartMs],
  [
    `RSS ready + ${IDLE_MS / 1000} s idle`,
    'MiB',
    f => f.rssAtRestBytes && mib(f.rssAtRestBytes),
  ],
];

/** First-load weight in Chromium, per page. */
const FIRST_LOADS: Array<[string, (f: FirstLoad) => PageWeight]> = [
  ['first-load bytes in Chromium: sign-in page', f => f.signInPage],
  ['first-load bytes in Chromium: catalog page, signed in', f => f.catalogPage],
];

async function main() {
  const targets: Target[] = [];
  const portalDir = arg('portal');
  const vanillaDir = arg('vanilla');
  if (portalDir) targets.push(portal(path.resolve(portalDir)));
  if (vanillaDir) targets.push(vanilla(path.resolve(vanillaDir)));
  if (targets.length === 0) {
    throw new Error(
      'usage: measure.ts --portal <dir> [--vanilla <dir>] [--first-load-only]',
    );
  }
  const scratch = path.join(repoRoot, '.scratch', 'bench', 'runs');
  const results: Figures[] = [];
  const failures: string[] = [];
  for (const target of targets) {
    process.stderr.write(`measuring ${target.name} (${target.appDir})\n`);
    try {
      results.push(await measure(target, scratch));
    } catch (error) {
      failures.push(`${target.name}: ${(error as Error).message}`);
    }
  }
  const byName = new Map(results.map(r => [r.app, r]));
  const notes = [
    ...failures,
    ...(vanillaDir ? [] : ['no vanilla app in this run']),
    ...(quick ? ['quick: last good portal build, short idle'] : []),
  ];
  const figure = (
    name: string,
    unit: string,
    get: (f: Figures) => number | undefined,
    extraNote?: string,
  ): Figure => {
    const of = (app: string) => {
      const r = byName.get(app);
      return r ? get(r) ?? null : null;
    };
    const note = [...(extraNote ? [extraNote] : []), ...notes].join('; ');
    return {
      name,
      unit,
      portal: of(PORTAL),
      ...(vanillaDir ? { vanilla: of(VANILLA) } : {}),
      ...(note ? { note } : {}),
    };
  };
  const startFigures = firstLoadOnly ? MEASURES.slice(0, 3) : MEASURES;
  const figures: Figure[] = startFigures.map(([name, unit, get]) =>
    figure(name, unit, get),
  );
  const firstLoads = FIRST_LOADS.map(([name, page]) => {
    const bytesOf = (app: string) => {
      const r = byName.get(app);
      return r && page(r.firstLoad).bytes;
    };
    const p = bytesOf(PORTAL);
    const v = bytesOf(VANILLA);
    const requests = (app: string) => {
      const r = byName.get(app);
      return r ? `${page(r.firstLoad).requests}` : '-';
    };
    return figure(
      name,
      'kB',
      f => kb(page(f.firstLoad).bytes),
      `gzip as served, to network idle; requests ${requests(PORTAL)}${
        vanillaDir ? ` vs ${requests(VANILLA)}` : ''
      }${p && v ? `; portal/vanilla ${(p / v).toFixed(2)}x` : ''}`,
    );
  });
  const print = (f: Figure) =>
    process.stdout.write(
      `${f.name.padEnd(54)} ${String(f.portal ?? '-').padStart(10)} ${String(
        f.vanilla ?? '-',
      ).padStart(10)} ${f.unit}\n`,
    );
  figures.forEach(print);
  process.stdout.write('First-load bytes of both apps in Chromium\n');
  firstLoads.forEach(print);
  for (const f of firstLoads) {
    if (f.note) process.stdout.write(`  ${f.name}: ${f.note}\n`);
  }
  figures.push(...firstLoads);
  writeFigures(figures);
  if (failures.length > 0) {
    throw new Error(`not measured:\n${failures.join('\n')}`);
  }
}

runMain(main);
