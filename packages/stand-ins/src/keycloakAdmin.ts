import crypto from 'node:crypto';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { Answer, adminAnswer } from './keycloak/adminApi';
import {
  GeneratedOrg,
  KeycloakOrgUser,
  Org,
  generatedOrg,
  listedOrg,
} from './keycloak/org';
import { KeycloakAdminStats, recorder } from './keycloak/recorder';
import { FaultOptions, faults } from './keycloak/faults';
import { clientCredentials } from './keycloak/token';

export type { KeycloakRequestKind } from './keycloak/adminApi';
export type { GeneratedOrg, KeycloakOrgUser } from './keycloak/org';
export type { KeycloakAdminStats } from './keycloak/recorder';
export type { FaultOptions } from './keycloak/faults';

export interface KeycloakAdminStandInOptions {
  /** A few named people and group paths, or a generated org of any size. */
  org:
    | { listed: { users: KeycloakOrgUser[]; groups: string[] } }
    | { generated: GeneratedOrg };
  /** The realm whose users and groups are served; defaults to `portal`. */
  realm?: string;
  /** The realm whose token endpoint logs the client in; defaults to `realm`. */
  loginRealm?: string;
  /** Reported by `/admin/serverinfo`; defaults to a Keycloak 26 release. */
  version?: string;
  /** Lifetime of the access tokens it issues; Keycloak's default is 300. */
  tokenLifetimeSeconds?: number;
  /**
   * Milliseconds each answer takes, as a real server's do; with none, every
   * answer is ready before the next request arrives, so nothing overlaps.
   */
  latencyMs?: number;
}

export interface KeycloakAdminStandIn {
  /** As `catalog.providers.keycloakOrg.*.baseUrl` (`KEYCLOAK_BASE_URL`). */
  baseUrl: string;
  realm: string;
  loginRealm: string;
  clientId: string;
  clientSecret: string;
  /** `METHOD path` of the most recent requests (the last 10,000), in order. */
  requests: string[];
  stats(): KeycloakAdminStats;
  resetStats(): void;
  /**
   * After `count` more requests (of the kinds in `options.only`, default
   * any), fail the following ones (`options.times`, default all until
   * heal()): answer 500, or hang without an answer.
   */
  failAfter(count: number, options?: FaultOptions): void;
  /** Answers again, and drops hung connections as a restart would. */
  heal(): void;
  close(): Promise<void>;
}

/**
 * Keycloak's admin REST API for one realm, as much of it as
 * `@backstage-community/plugin-catalog-backend-module-keycloak` reads
 * (Keycloak 26 shapes): the client-credentials token endpoint of the login
 * realm, users and their count, top-level groups and their count, a group,
 * its children and its members, all paged with `first`/`max`, and the
 * server version. A generated org of any size is computed per request, so
 * 10,000 users and 1,000 nested groups cost no memory. It records what it
 * saw and can be told to fail part way through a sync.
 */
export async function startKeycloakAdminStandIn(
  options: KeycloakAdminStandInOptions,
): Promise<KeycloakAdminStandIn> {
  const realm = options.realm ?? 'portal';
  const loginRealm = options.loginRealm ?? realm;
  const clientId = 'developer-portal-org-reader';
  const clientSecret = crypto.randomBytes(18).toString('base64url');
  const org: Org =
    'listed' in options.org
      ? listedOrg(options.org.listed.users, options.org.listed.groups)
      : generatedOrg(options.org.generated);
  const record = recorder();
  const fault = faults();
  const credentials = clientCredentials({
    clientId,
    clientSecret,
    lifetime: options.tokenLifetimeSeconds ?? 300,
  });
  const server = { realm, version: options.version ?? '26.0.7' };
  const tokenPath = `/realms/${loginRealm}/protocol/openid-connect/token`;
  const answer = async (
    req: http.IncomingMessage,
    url: URL,
  ): Promise<Answer> => {
    if (url.pathname === tokenPath) {
      return credentials.answer(req);
    }
    if (options.latencyMs) {
      await new Promise(resolve => setTimeout(resolve, options.latencyMs));
    }
    if (!credentials.valid(req.headers.authorization)) {
      return {
        kind: 'unknown',
        status: 401,
        body: { error: 'HTTP 401 Unauthorized' },
      };
    }
    return adminAnswer(org, server, req.method, url);
  };

  const httpServer = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    record.started(`${req.method} ${url.pathname}`);
    res.once('close', record.finished);
    answer(req, url).then(
      ({ kind, status, body }) => {
        record.counted(kind);
        const decision = fault.decide(kind, res);
        if (decision === 'hang') {
          return; // never answered; heal() or close() drops the connection
        }
        const failing = decision === 'error';
        res.writeHead(failing ? 500 : status, {
          'content-type': 'application/json',
        });
        res.end(JSON.stringify(failing ? { error: 'unknown_error' } : body));
      },
      error => res.writeHead(500).end(String(error)),
    );
  });
  await new Promise<void>(resolve =>
    httpServer.listen(0, '127.0.0.1', () => resolve()),
  );
  const { port } = httpServer.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    realm,
    loginRealm,
    clientId,
    clientSecret,
    requests: record.requests,
    stats: record.snapshot,
    resetStats: record.reset,
    failAfter: fault.failAfter,
    heal: fault.heal,
    close: () =>
      new Promise<void>(resolve => {
        httpServer.closeAllConnections();
        httpServer.close(() => resolve());
      }),
  };
}
