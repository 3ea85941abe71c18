import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import { BackendProcess } from './backend';
import { IssuerAccount } from './oidcIssuer';
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
}

/**
 * Starts the bundle the way the image's CMD does: `node packages/backend`
 * from /app, as the image's user when the tests run as root. Only PATH comes
 * from the test's environment, so nothing the test runner sets leaks in.
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

export interface KeycloakAdminStandIn {
  /** As `KEYCLOAK_BASE_URL`. */
  baseUrl: string;
  realm: string;
  clientId: string;
  clientSecret: string;
  /** Paths of the admin API calls, in order. */
  requests: string[];
  close(): Promise<void>;
}

interface StandInGroup {
  id: string;
  name: string;
  path: string;
  parentId?: string;
  subGroupCount: number;
}

/**
 * Keycloak's admin REST API for one realm, as much of it as the catalog's
 * Keycloak org provider reads (Keycloak 26 shapes): a client-credentials
 * token endpoint, users, groups with their children and members, and the
 * server version. The users are the issuer's accounts, so whoever signs in
 * through the loopback issuer has a User entity, as in production.
 */
export async function startKeycloakAdminStandIn(options: {
  accounts: IssuerAccount[];
  /** Group paths, parents before children. */
  groups: string[];
  realm?: string;
}): Promise<KeycloakAdminStandIn> {
  const realm = options.realm ?? 'portal';
  const clientId = 'developer-portal-org-reader';
  const clientSecret = 'org-reader-secret';
  const token = 'stand-in-admin-token';
  const groups: StandInGroup[] = options.groups.map((groupPath, i) => ({
    id: `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
    name: groupPath.split('/').pop()!,
    path: groupPath,
    subGroupCount: 0,
  }));
  for (const group of groups) {
    const parentPath = group.path.slice(0, group.path.lastIndexOf('/'));
    const parent = groups.find(g => g.path === parentPath);
    if (parent) {
      group.parentId = parent.id;
      parent.subGroupCount++;
    }
  }
  const users = options.accounts.map(a => ({
    id: a.sub,
    username: a.username,
    email: a.email,
    emailVerified: a.emailVerified,
    firstName: a.name.split(' ')[0],
    lastName: a.name.split(' ').slice(1).join(' ') || undefined,
    enabled: true,
  }));
  const members = (group: StandInGroup) =>
    options.accounts
      .filter(a => a.groups.includes(group.path))
      .map(a => users.find(u => u.id === a.sub)!);
  const page = <T>(items: T[], query: URLSearchParams) => {
    const first = Number(query.get('first') ?? 0);
    const max = Number(query.get('max') ?? 100);
    return items.slice(first, first + max);
  };

  const requests: string[] = [];
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    requests.push(`${req.method} ${url.pathname}`);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (
      req.method === 'POST' &&
      url.pathname === `/realms/${realm}/protocol/openid-connect/token`
    ) {
      let body = '';
      for await (const chunk of req) body += chunk;
      const form = new URLSearchParams(body);
      // Keycloak takes client credentials as HTTP Basic (what the admin
      // client sends) or in the form.
      const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
      const [id, secret] = basic
        ? Buffer.from(basic[1], 'base64')
            .toString('utf8')
            .split(':')
            .map(decodeURIComponent)
        : [form.get('client_id'), form.get('client_secret')];
      const ok =
        form.get('grant_type') === 'client_credentials' &&
        id === clientId &&
        secret === clientSecret;
      send(
        ok ? 200 : 401,
        ok
          ? { access_token: token, expires_in: 300, token_type: 'Bearer' }
          : { error: 'unauthorized_client' },
      );
      return;
    }
    if (req.headers.authorization !== `Bearer ${token}`) {
      send(401, { error: 'HTTP 401 Unauthorized' });
      return;
    }
    if (url.pathname === '/admin/serverinfo') {
      send(200, { systemInfo: { version: '26.0.7' } });
      return;
    }
    const prefix = `/admin/realms/${realm}`;
    // The admin client asks for collections with a trailing slash.
    const rest = url.pathname.startsWith(prefix)
      ? url.pathname.slice(prefix.length).replace(/\/+$/, '')
      : undefined;
    const topLevel = groups.filter(g => !g.parentId);
    let match: RegExpExecArray | null;
    if (rest === '/users/count') {
      send(200, users.length);
    } else if (rest === '/users') {
      send(200, page(users, url.searchParams));
    } else if (rest === '/groups/count') {
      send(200, { count: topLevel.length });
    } else if (rest === '/groups') {
      send(200, page(topLevel, url.searchParams));
    } else if ((match = /^\/groups\/([^/]+)(\/[a-z]+)?$/.exec(rest ?? ''))) {
      const group = groups.find(g => g.id === match![1]);
      if (!group) {
        send(404, { error: 'Could not find group by id' });
      } else if (match[2] === '/children') {
        send(
          200,
          page(
            groups.filter(g => g.parentId === group.id),
            url.searchParams,
          ),
        );
      } else if (match[2] === '/members') {
        send(200, page(members(group), url.searchParams));
      } else if (!match[2]) {
        send(200, group);
      } else {
        send(404, { error: 'unknown resource' });
      }
    } else {
      send(404, { error: 'unknown resource' });
    }
  });
  await new Promise<void>(resolve =>
    server.listen(0, '127.0.0.1', () => resolve()),
  );
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    realm,
    clientId,
    clientSecret,
    requests,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
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
 * `<label>-<name>`. The GitOps remote is a closed port: nothing here pushes.
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
    GITOPS_WEBHOOK_SECRET: `${label}-gitops-webhook-secret`,
  };
}
