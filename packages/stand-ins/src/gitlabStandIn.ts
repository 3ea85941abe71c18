import http from 'node:http';
import {
  ForgeStandIn,
  ForgeStandInOptions,
  jsonBody,
  sendJson,
  startForge,
} from './forgeRepository';

interface MergeRequest {
  iid: number;
  source_branch: string;
  target_branch: string;
  title: string;
  description: string;
  state: 'opened' | 'closed' | 'merged';
  remove_source_branch: boolean;
  pipeline?: 'running' | 'success' | 'failed';
}

/** A GitLab stand-in: git transport, and the merge request REST API subset the portal uses. */
export interface GitlabStandIn extends ForgeStandIn {
  /** `apiBaseUrl` for `integrations.gitlab`. */
  apiBaseUrl: string;
  mergeRequests(): MergeRequest[];
  /** A reviewer merges the merge request in the forge. */
  merge(iid: number): Promise<void>;
  /** A reviewer closes it without merging. */
  closeMergeRequest(iid: number): void;
  /** The head pipeline of the merge request reports. */
  setPipeline(iid: number, status: 'running' | 'success' | 'failed'): void;
}

/**
 * Starts a GitLab stand-in on loopback. Answers in the shapes of GitLab's
 * REST API v4: list, create, edit and show merge requests of a project
 * (addressed by its URL-encoded path), with the head commit from the real
 * repository behind it and a head pipeline a test can set.
 */
export async function startGitlabStandIn(
  options: ForgeStandInOptions,
): Promise<GitlabStandIn> {
  const mrs: MergeRequest[] = [];
  const prefix = `/api/v4/projects/${encodeURIComponent(options.project)}`;

  const forge: ForgeStandIn & { port: number } = await startForge(
    options,
    (req, res, url) => api(req, res, url),
  );

  const shape = async (mr: MergeRequest) => ({
    ...mr,
    id: 1000 + mr.iid,
    web_url: `${forge.url}/${options.project}/-/merge_requests/${mr.iid}`,
    sha: (await forge.repository.tip(mr.source_branch)) ?? null,
    head_pipeline: mr.pipeline ? { status: mr.pipeline } : null,
  });

  async function api(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
  ): Promise<boolean> {
    // The URL keeps the project path encoded (%2F).
    const raw = (req.url ?? '').split('?')[0];
    if (!raw.startsWith(prefix)) return false;
    const rest = raw.slice(prefix.length);
    const method = req.method ?? 'GET';
    if (rest === '/merge_requests' && method === 'GET') {
      const state = url.searchParams.get('state');
      const source = url.searchParams.get('source_branch');
      const found = mrs.filter(
        mr =>
          (!state || state === 'all' || mr.state === state) &&
          (!source || mr.source_branch === source),
      );
      sendJson(res, 200, await Promise.all(found.map(shape)));
      return true;
    }
    if (rest === '/merge_requests' && method === 'POST') {
      const body = await jsonBody(req);
      const mr: MergeRequest = {
        iid: mrs.length + 1,
        source_branch: body.source_branch,
        target_branch: body.target_branch,
        title: body.title,
        description: body.description ?? '',
        state: 'opened',
        remove_source_branch: Boolean(body.remove_source_branch),
      };
      mrs.push(mr);
      sendJson(res, 201, await shape(mr));
      return true;
    }
    const one = /^\/merge_requests\/(\d+)$/.exec(rest);
    const mr = one ? mrs.find(m => m.iid === Number(one[1])) : undefined;
    if (one && !mr) {
      sendJson(res, 404, { message: '404 Not found' });
      return true;
    }
    if (mr && method === 'GET') {
      sendJson(res, 200, await shape(mr));
      return true;
    }
    if (mr && method === 'PUT') {
      const body = await jsonBody(req);
      mr.title = body.title ?? mr.title;
      mr.description = body.description ?? mr.description;
      sendJson(res, 200, await shape(mr));
      return true;
    }
    return false;
  }

  return {
    ...forge,
    apiBaseUrl: `${forge.url}/api/v4`,
    mergeRequests: () => mrs,
    async merge(iid) {
      const mr = mrs.find(m => m.iid === iid)!;
      await forge.repository.merge(
        mr.source_branch,
        mr.target_branch,
        mr.remove_source_branch,
      );
      mr.state = 'merged';
    },
    closeMergeRequest(iid) {
      mrs.find(m => m.iid === iid)!.state = 'closed';
    },
    setPipeline(iid, status) {
      mrs.find(m => m.iid === iid)!.pipeline = status;
    },
  };
}
