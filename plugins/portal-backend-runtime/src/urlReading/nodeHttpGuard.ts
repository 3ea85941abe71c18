import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import { guardedLookup, refuseAddress } from './guardedLookup';
import { ReadingPolicy } from './readingPolicy';
import { currentReadingCall, perPolicy } from './readingScope';

/** Node's agents take requests through this method, which its types leave out. */
type RequestTaking = {
  addRequest(request: http.ClientRequest, options: object): void;
};

/** The routing agents installed here, to install them once only. */
const routers = new WeakSet<http.Agent>();

/**
 * Makes `agent` connect only to addresses the policy allowed for the host
 * and port.
 */
function guard<A extends http.Agent>(agent: A, policy: ReadingPolicy): A {
  const create = agent.createConnection.bind(agent);
  const defaultPort = agent instanceof https.Agent ? 443 : 80;
  agent.createConnection = (options, callback) => {
    const port = options.port ?? defaultPort;
    const refusal = refuseAddress(policy, String(options.host), port);
    if (refusal) {
      callback!(refusal, undefined as unknown as Duplex);
      return undefined;
    }
    return create({ ...options, lookup: guardedLookup(policy, port) });
  };
  return agent;
}

/** The options of Node's own global agents. */
const AGENT_OPTIONS = {
  keepAlive: true,
  scheduling: 'lifo',
  timeout: 5000,
} as const;

const guardedHttp = perPolicy(policy =>
  guard(new http.Agent(AGENT_OPTIONS), policy),
);
const guardedHttps = perPolicy(policy =>
  guard(new https.Agent(AGENT_OPTIONS), policy),
);

/**
 * An agent that hands requests made while reading URLs to the guarded
 * agent of the call's policy and all others to `outside`, so the two never
 * share a pooled connection.
 */
function routingAgent<A extends http.Agent>(
  router: A,
  outside: A,
  guarded: (policy: ReadingPolicy) => http.Agent,
): A {
  (router as unknown as RequestTaking).addRequest = (request, options) => {
    const call = currentReadingCall();
    const target = call ? guarded(call.policy) : outside;
    (target as unknown as RequestTaking).addRequest(request, options);
  };
  routers.add(router);
  return router;
}

/**
 * Makes Node's default HTTP and HTTPS agents (which node-fetch, and so the
 * GitHub reader, use) route URL reading through guarded pools (idempotent).
 */
export function guardNodeHttp(): void {
  if (!routers.has(http.globalAgent)) {
    http.globalAgent = routingAgent(
      new http.Agent({ keepAlive: true }),
      http.globalAgent,
      guardedHttp,
    );
  }
  if (!routers.has(https.globalAgent)) {
    https.globalAgent = routingAgent(
      new https.Agent({ keepAlive: true }),
      https.globalAgent,
      guardedHttps,
    );
  }
}
