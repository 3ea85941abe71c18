import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { KeycloakAdminStandIn } from '@internal/stand-ins';
import { BackendProcess } from './backend';
import { repoRoot } from './paths';

/** Where `scripts/build-bundle.sh all` builds; kept between runs, reused when the sources are unchanged. */
export const bundleOut = path.join(repoRoot, '.scratch', 'bundle');

export interface BuiltBundle {
  /** What the image holds in /app. */
  appDir: string;
  /** Wall time of the build step, or 0 when a build from the same sources was reused. */
  seconds: number;
  reused: boolean;
}

let built: BuiltBundle | undefined;

/**
 * Builds the image's /app with the Dockerfile's own script, once per test
 * process; a build from identical sources is reused across runs.
 */
export function buildBundle(): BuiltBundle {
  if (built) {
    return built;
  }
  const started = Date.now();
  const result = spawnSync(
    'bash',
    [path.join(repoRoot, 'scripts/build-bundle.sh'), 'all', bundleOut],
    {
      cwd: repoRoot,
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      timeout: 30 * 60_000,
    },
  );
  const output = `${result.stdout}\n${result.stderr}`;
  if (result.status !== 0) {
    throw new Error(
      `scripts/build-bundle.sh all failed (${
        result.status ?? result.signal
      }):\n${output.slice(-6000)}`,
    );
  }
  const reused = output.includes('reusing');
  built = {
    appDir: path.join(bundleOut, 'app'),
    seconds: reused ? 0 : Math.round((Date.now() - started) / 1000),
    reused,
  };
  return built;
}

/** The image's user: uid 1001 in group 0, as OpenShift runs it. */
export const IMAGE_UID = 1001;
export const IMAGE_GID = 0;

/**
 * Folders the image's user may write to, standing in for the pod's emptyDir
 * volumes; everything else (the bundle in /app) stays read-only to it.
 */
export function writableDirs(dir: string) {
  const tmp = path.join(dir, 'tmp');
  const techdocs = path.join(dir, 'techdocs');
  for (const d of [tmp, techdocs]) {
    fs.mkdirSync(d, { recursive: true });
    if (process.getuid?.() === 0) {
      fs.chownSync(d, IMAGE_UID, IMAGE_GID);
    }
  }
  return { tmp, techdocs };
}

export interface BundleOptions {
  appDir: string;
  port: number;
  configFiles: string[];
  env: NodeJS.ProcessEnv;
  /** Node options before `packages/backend`; the portal image's ({@link imageNodeOptions}) by default. */
  nodeOptions?: string[];
}

/**
 * The node options of the image's CMD, those before `packages/backend`
 * (the `--require` of the OpenTelemetry instrumentation file), read from the
 * Dockerfile so that the tests start the bundle exactly as the image does.
 */
export function imageNodeOptions(): string[] {
  const dockerfile = fs.readFileSync(path.join(repoRoot, 'Dockerfile'), 'utf8');
  const cmd = /^CMD\s+(\[.*\])\s*$/m.exec(dockerfile);
  if (!cmd) throw new Error('The Dockerfile has no CMD in exec form');
  const args: string[] = JSON.parse(cmd[1]);
  const entry = args.indexOf('packages/backend');
  if (args[0] !== 'node' || entry < 0) {
    throw new Error(`The Dockerfile's CMD does not run node packages/backend`);
  }
  return args.slice(1, entry);
}

/**
 * Starts the bundle the way the image's CMD does: `node [options]
 * packages/backend` from /app, as the image's user when the tests run as
 * root. Only PATH comes from the test's environment, so nothing the test
 * runner sets leaks in.
 */
export interface BundleProcess extends BackendProcess {
  pid: number;
}

export function spawnBundle(options: BundleOptions): BundleProcess {
  const asImageUser = process.getuid?.() === 0;
  let output = '';
  const child: ChildProcess = spawn(
    process.execPath,
    [
      ...(options.nodeOptions ?? imageNodeOptions()),
      'packages/backend',
      ...options.configFiles.flatMap(file => ['--config', file]),
    ],
    {
      cwd: options.appDir,
      env: { PATH: process.env.PATH, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(asImageUser ? { uid: IMAGE_UID, gid: IMAGE_GID } : {}),
    },
  );
  child.stdout!.on('data', chunk => (output += chunk));
  child.stderr!.on('data', chunk => (output += chunk));
  // A test runner that dies mid-test must not leave a backend behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<number | null>(resolve =>
    child.once('exit', code => {
      process.off('exit', killOnExit);
      resolve(code);
    }),
  );
  return {
    baseUrl: `http://127.0.0.1:${options.port}`,
    pid: child.pid!,
    output: () => output,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) {
        return;
      }
      child.kill('SIGTERM');
      // serverShutdownDelay is 5 s in production; do not wait forever.
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Every `${VAR}` a config file reads, without a `:-` fallback. */
export function configVariables(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    if (line.trimStart().startsWith('#')) {
      continue;
    }
    for (const match of line.matchAll(/(?<!\$)\$\{([^{}]*)\}/g)) {
      if (!match[1].includes(':-')) {
        names.add(match[1].trim());
      }
    }
  }
  return [...names].sort();
}

/** The loopback services a production bundle is pointed at. */
export interface LoopbackServices {
  baseUrl: string;
  postgres: { host: string; port: number; user: string; password: string };
  issuer: { metadataUrl: string; clientId: string; clientSecret: string };
  keycloak: KeycloakAdminStandIn;
  kubernetes: { url: string };
  argocd: { url: string };
  /** The writable folders of the image (writableDirs). */
  writable: { tmp: string; techdocs: string };
}

/**
 * What app-config.production.yaml reads from the environment, set the way
 * the Helm chart sets it, pointed at the loopback services; secrets are
 * `<label>-<name>`. The GitOps remote is a closed port: nothing here pushes;
 * so is the templates repository, unless the caller serves one
 * (bundle.spec.ts does).
 */
export function productionVariables(
  services: LoopbackServices,
  label: string,
): Record<string, string> {
  const { baseUrl, postgres, issuer, keycloak, kubernetes, argocd } = services;
  return {
    NODE_ENV: 'production',
    // The image's environment (Dockerfile ENV): $HOME and the TechDocs
    // publish directory on writable volumes.
    HOME: services.writable.tmp,
    TMPDIR: services.writable.tmp,
    APP_CONFIG_techdocs_publisher_local_publishDirectory:
      services.writable.techdocs,
    // The image serves metrics on 0.0.0.0:9464; a test that scrapes them
    // (telemetry.spec.ts) opens them on loopback and a free port instead, so
    // bundles started side by side do not compete for one port.
    OTEL_METRICS_EXPORTER: 'none',
    APP_BASE_URL: baseUrl,
    BACKEND_BASE_URL: baseUrl,
    POSTGRES_HOST: postgres.host,
    POSTGRES_PORT: String(postgres.port),
    POSTGRES_USER: postgres.user,
    POSTGRES_PASSWORD: postgres.password,
    AUTH_SESSION_SECRET: `${label}-session-secret`,
    KEYCLOAK_METADATA_URL: issuer.metadataUrl,
    KEYCLOAK_CLIENT_ID: issuer.clientId,
    KEYCLOAK_CLIENT_SECRET: issuer.clientSecret,
    KEYCLOAK_BASE_URL: keycloak.baseUrl,
    KEYCLOAK_REALM: keycloak.realm,
    KEYCLOAK_ORG_CLIENT_ID: keycloak.clientId,
    KEYCLOAK_ORG_CLIENT_SECRET: keycloak.clientSecret,
    K8S_CLUSTER_NAME: 'stand-in',
    K8S_CLUSTER_URL: kubernetes.url,
    K8S_SA_TOKEN: `${label}-k8s-token`,
    ARGOCD_URL: argocd.url,
    ARGOCD_AUTH_TOKEN: `${label}-argocd-token`,
    CI_EXTERNAL_ACCESS_TOKEN: `${label}-ci-token`,
    GITOPS_REPO_URL: 'http://127.0.0.1:1/gitops.git',
    GITOPS_GIT_HOST: '127.0.0.1:1',
    GITOPS_GIT_USERNAME: 'portal',
    GITOPS_GIT_PASSWORD: `${label}-gitops-password`,
    TEMPLATES_LOCATION_URL:
      'http://127.0.0.1:1/platform/developer-portal/src/branch/main/templates/catalog-info.yaml',
    GITOPS_WEBHOOK_SECRET: `${label}-gitops-webhook-secret`,
  };
}
