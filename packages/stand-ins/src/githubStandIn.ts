import http from 'node:http';
import {
  ForgeStandIn,
  ForgeStandInOptions,
  jsonBody,
  sendJson,
  startForge,
} from './forgeRepository';

interface Pull {
  number: number;
  head: string;
  base: string;
  title: string;
  body: string;
  state: 'open' | 'closed';
  merged_at: string | null;
}

/** A GitHub stand-in: git transport, and the pull request REST API subset the portal uses. */
export interface GithubStandIn extends ForgeStandIn {
  /** `apiBaseUrl` for `integrations.github`. */
  apiBaseUrl: string;
  pulls(): Pull[];
  /** A reviewer merges the pull request in the forge. */
  merge(number: number): Promise<void>;
  /** A reviewer closes it without merging. */
  closePull(number: number): void;
  /** A CI system reports a commit status. */
  setStatus(sha: string, state: 'pending' | 'success' | 'failure'): void;
}

/**
 * Starts a GitHub stand-in on loopback. Answers in the shapes of GitHub's
 * REST API v3: list, create, update and get pull requests, combined commit
 * status and check runs of a ref; the branch and head of a pull request
 * come from the real repository behind it.
 */
export async function startGithubStandIn(
  options: ForgeStandInOptions,
): Promise<GithubStandIn> {
  const pulls: Pull[] = [];
  const statuses = new Map<string, 'pending' | 'success' | 'failure'>();
  const prefix = `/api/v3/repos/${options.project}`;

  const forge: ForgeStandIn & { port: number } = await startForge(
    options,
    (req, res, url) => api(req, res, url),
  );

  const shape = async (pull: Pull) => ({
    ...pull,
    html_url: `${forge.url}/${options.project}/pull/${pull.number}`,
    head: {
      ref: pull.head,
      sha: (await forge.repository.tip(pull.head)) ?? null,
    },
    base: { ref: pull.base },
  });

  async function api(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
  ): Promise<boolean> {
    if (!url.pathname.startsWith(prefix)) return false;
    const rest = url.pathname.slice(prefix.length);
    const method = req.method ?? 'GET';
    if (rest === '/pulls' && method === 'GET') {
      const state = url.searchParams.get('state') ?? 'open';
      const head = url.searchParams.get('head')?.split(':').pop();
      const found = pulls.filter(
        p =>
          (state === 'all' || p.state === state) && (!head || p.head === head),
      );
      sendJson(res, 200, await Promise.all(found.map(shape)));
      return true;
    }
    if (rest === '/pulls' && method === 'POST') {
      const body = await jsonBody(req);
      if (!(await forge.repository.tip(body.head))) {
        sendJson(res, 422, {
          message: 'Validation Failed',
          errors: [{ field: 'head' }],
        });
        return true;
      }
      const pull: Pull = {
        number: pulls.length + 1,
        head: body.head,
        base: body.base,
        title: body.title,
        body: body.body ?? '',
        state: 'open',
        merged_at: null,
      };
      pulls.push(pull);
      sendJson(res, 201, await shape(pull));
      return true;
    }
    const one = /^\/pulls\/(\d+)$/.exec(rest);
    const pull = one ? pulls.find(p => p.number === Number(one[1])) : undefined;
    if (one && !pull) {
      sendJson(res, 404, { message: 'Not Found' });
      return true;
    }
    if (pull && method === 'GET') {
      sendJson(res, 200, await shape(pull));
      return true;
    }
    if (pull && method === 'PATCH') {
      const body = await jsonBody(req);
      pull.title = body.title ?? pull.title;
      pull.body = body.body ?? pull.body;
      sendJson(res, 200, await shape(pull));
      return true;
    }
    const status = /^\/commits\/([^/]+)\/(status|check-runs)$/.exec(rest);
    if (status && method === 'GET') {
      const state = statuses.get(status[1]);
      sendJson(
        res,
        200,
        status[2] === 'status'
          ? {
              state: state ?? 'pending',
              total_count: state ? 1 : 0,
              statuses: [],
            }
          : { total_count: 0, check_runs: [] },
      );
      return true;
    }
    return false;
  }

  return {
    ...forge,
    apiBaseUrl: `${forge.url}/api/v3`,
    pulls: () => pulls,
    async merge(number) {
      const pull = pulls.find(p => p.number === number)!;
      await forge.repository.merge(pull.head, pull.base);
      pull.state = 'closed';
      pull.merged_at = new Date().toISOString();
    },
    closePull(number) {
      pulls.find(p => p.number === number)!.state = 'closed';
    },
    setStatus(sha, state) {
      statuses.set(sha, state);
    },
  };
}
