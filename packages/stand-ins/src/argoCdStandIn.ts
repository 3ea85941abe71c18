import crypto from 'node:crypto';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import type { StandIn } from './platformApis';

/**
 * A loopback stand-in for the Argo CD API server (REST API v1): the
 * Applications of several teams as the GitOps repository's ApplicationSets
 * generate them (names `<team>.<service>.<env>` and the `portal.platform/*`
 * labels), listing by name and label selector, single Applications and
 * revision metadata. It wants a bearer token like Argo CD and records the
 * Authorization header of every request, so tests can tell where the
 * portal's token went.
 */
export interface ArgoCdStandIn extends StandIn {
  requests: Array<{ method: string; path: string; authorization?: string }>;
  /** From now on hang without answering, answer 500, or behave (undefined). */
  setFault(fault: 'hang' | 'error' | undefined): void;
  /**
   * Adds or updates the Applications of a service, as the services
   * ApplicationSet would after a merge, with the sync and health Argo CD
   * would report; no status removes them. Tests in another process use
   * {@link setServiceStatusOver} instead.
   */
  setServiceStatus(service: ServiceStatus): void;
}

/** The Applications of a service in its environments, and their state. */
export interface ServiceStatus {
  team: string;
  service: string;
  envs: string[];
  /** Omitted: the service's Applications are gone. */
  status?: { sync: string; health: string };
}

/** Where the stand-in takes {@link ServiceStatus} from another process. */
const CONTROL_PATH = '/_stand-in/service-status';

/**
 * Sets a service's Applications on a running stand-in from another process
 * (a test worker), through its loopback control route.
 */
export async function setServiceStatusOver(
  standInUrl: string,
  service: ServiceStatus,
): Promise<void> {
  const res = await fetch(`${standInUrl}${CONTROL_PATH}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(service),
  });
  if (!res.ok) throw new Error(`stand-in control: ${res.status}`);
}

function applyServiceStatus(apps: App[], update: ServiceStatus): App[] {
  const names = update.envs.map(
    env => `${update.team}.${update.service}.${env}`,
  );
  const others = apps.filter(app => !names.includes(app.metadata.name));
  if (!update.status) return others;
  const { sync, health } = update.status;
  return [
    ...others,
    ...update.envs.map(env =>
      serviceApp(update.team, update.service, env, sync, health),
    ),
  ];
}

export interface ArgoCdStandInOptions {
  /** The only token accepted; without it any bearer token is. */
  token?: string;
}

const now = new Date().toISOString();
const REPO = 'https://git.example.com/platform/gitops.git';

function revisionOf(name: string): string {
  return crypto.createHash('sha1').update(name).digest('hex');
}

function application(
  name: string,
  labels: Record<string, string>,
  path: string,
  destination: string,
  sync: string,
  health: string,
) {
  const revision = revisionOf(name);
  const source = { repoURL: REPO, path, targetRevision: 'main' };
  return {
    metadata: {
      name,
      namespace: 'openshift-gitops',
      uid: revision.slice(0, 8),
      labels,
    },
    spec: {
      project: labels['portal.platform/team'],
      source,
      destination: {
        server: 'https://kubernetes.default.svc',
        namespace: destination,
      },
      syncPolicy: { automated: { prune: true, selfHeal: true } },
    },
    status: {
      sync: { status: sync, revision, comparedTo: { source } },
      health: { status: health },
      operationState: {
        phase: 'Succeeded',
        message: 'successfully synced (all tasks run)',
        startedAt: now,
        finishedAt: now,
        syncResult: { revision, source },
      },
      history: [
        { id: 1, revision, deployStartedAt: now, deployedAt: now, source },
      ],
      reconciledAt: now,
      summary: { images: [`registry.example.com/${destination}:1.0.0`] },
    },
  };
}

function serviceApp(
  team: string,
  service: string,
  env: string,
  sync: string,
  health: string,
) {
  const labels = {
    'portal.platform/team': team,
    'portal.platform/service': service,
    'portal.platform/env': env,
  };
  const name = `${team}.${service}.${env}`;
  return application(
    name,
    labels,
    `services/${team}/${service}/overlays/${env}`,
    `${team}-${env}`,
    sync,
    health,
  );
}

/** The Applications, as Argo CD would list them. */
export const ARGOCD_STAND_IN_APPLICATIONS = [
  application(
    'developer-portal',
    { 'portal.platform/team': 'platform-team' },
    'apps/developer-portal',
    'developer-portal',
    'Synced',
    'Healthy',
  ),
  serviceApp('team-payments', 'payments-api', 'dev', 'Synced', 'Healthy'),
  serviceApp(
    'team-payments',
    'payments-api',
    'test',
    'OutOfSync',
    'Progressing',
  ),
  serviceApp('team-payments', 'payments-api', 'prod', 'Synced', 'Healthy'),
  serviceApp('team-search', 'search-api', 'dev', 'Synced', 'Degraded'),
];

type App = (typeof ARGOCD_STAND_IN_APPLICATIONS)[number];

/** Equality, inequality and existence requirements, comma-separated. */
function matchesSelector(app: App, selector: string): boolean | undefined {
  const labels: Record<string, string> = app.metadata.labels;
  const results = selector.split(',').map(part => {
    const m = /^\s*(!?)([\w./-]+)\s*(?:(==|=|!=)\s*([\w.-]*))?\s*$/.exec(part);
    if (!m || (m[1] && m[3])) {
      return undefined;
    }
    const [, not, key, op, value] = m;
    if (!op) {
      return not ? !(key in labels) : key in labels;
    }
    return op === '!=' ? labels[key] !== value : labels[key] === value;
  });
  return results.includes(undefined) ? undefined : results.every(Boolean);
}

const error = (status: number, message: string, code: number) => ({
  status,
  body: { error: message, code, message },
});

function answer(url: URL, apps: App[]): { status: number; body: unknown } {
  const path = url.pathname.split('/').map(decodeURIComponent);
  if (url.pathname === '/api/v1/applications') {
    const name = url.searchParams.get('name');
    const selector = url.searchParams.get('selector') ?? '';
    const matched = apps.map(app => ({
      app,
      ok:
        (!name || app.metadata.name === name) &&
        (!selector || matchesSelector(app, selector)),
    }));
    if (matched.some(m => m.ok === undefined)) {
      return error(400, `unable to parse selector "${selector}"`, 3);
    }
    const items = matched.filter(m => m.ok).map(m => m.app);
    // Argo CD sends null, not [], for an empty list.
    return {
      status: 200,
      body: {
        metadata: { resourceVersion: '1' },
        items: items.length ? items : null,
      },
    };
  }
  const app = apps.find(a => a.metadata.name === path[4]);
  const single = path.length === 5 && path[3] === 'applications';
  const revision =
    path.length === 8 &&
    path[3] === 'applications' &&
    path[5] === 'revisions' &&
    path[7] === 'metadata';
  if ((single || revision) && !app) {
    // Argo CD does not tell missing applications from forbidden ones.
    return error(403, 'permission denied', 7);
  }
  if (single) {
    return { status: 200, body: app };
  }
  if (revision && app!.status.history.some(h => h.revision === path[6])) {
    return {
      status: 200,
      body: {
        author: 'Platform Bot <platform-bot@example.com>',
        date: now,
        message: `Deploy ${path[4]}`,
        tags: [],
      },
    };
  }
  return error(404, `no route or revision for ${url.pathname}`, 5);
}

function safeAnswer(url: string, apps: App[]) {
  try {
    return answer(new URL(url, 'http://stand-in'), apps);
  } catch {
    return error(400, `malformed request path ${url}`, 3);
  }
}

/** Starts the stand-in on 127.0.0.1 with a free port. */
export function startArgoCdStandIn(
  options: ArgoCdStandInOptions = {},
): Promise<ArgoCdStandIn> {
  const requests: ArgoCdStandIn['requests'] = [];
  let fault: 'hang' | 'error' | undefined;
  let apps: App[] = [...ARGOCD_STAND_IN_APPLICATIONS];
  const server = http.createServer(async (req, res) => {
    if (req.url === CONTROL_PATH && req.method === 'PUT') {
      let body = '';
      for await (const chunk of req) body += chunk;
      apps = applyServiceStatus(apps, JSON.parse(body));
      res.writeHead(204);
      res.end();
      return;
    }
    const authorization = req.headers.authorization;
    requests.push({
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      authorization,
    });
    if (fault === 'hang') {
      return;
    }
    const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
    let reply = safeAnswer(req.url ?? '/', apps);
    if (req.method !== 'GET') {
      reply = error(405, 'read-only stand-in', 12);
    } else if (!token || (options.token && token !== options.token)) {
      reply = error(401, 'no session information', 16);
    } else if (fault === 'error') {
      reply = error(500, 'stand-in fault', 13);
    }
    const { status, body } = reply;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  return new Promise(resolve => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        requests,
        setFault: next => (fault = next),
        setServiceStatus: update => {
          apps = applyServiceStatus(apps, update);
        },
        close: () =>
          new Promise(done => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
