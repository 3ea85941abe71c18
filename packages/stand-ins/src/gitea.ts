import { execFile } from 'node:child_process';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import {
  ForgeStandIn,
  ForgeStandInOptions,
  sendJson,
  startForge,
} from './forgeRepository';

/** A Gitea stand-in: git transport, and the API subset Backstage's Gitea URL reader reads. */
export interface GiteaStandIn extends ForgeStandIn {
  /** `host` for `integrations.gitea` (`127.0.0.1:<port>`). */
  host: string;
  /** The web URL of a file, as catalog locations and the reader name it. */
  fileUrl(filePath: string, ref?: string): string;
  /**
   * From now on answers requests for `pathname` (or for every path, with
   * `'*'`) with a 302 to `location`, as a hostile or misconfigured host would.
   */
  redirect(pathname: string, location: string): void;
  /** Answers every path normally again. */
  clearRedirects(): void;
}

/** Runs git on the stand-in's bare repository and returns its raw output. */
function gitOutput(bare: string, args: string[]): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    execFile(
      'git',
      [`--git-dir=${bare}`, ...args],
      {
        encoding: 'buffer',
        maxBuffer: 256 * 1024 * 1024,
        env: {
          PATH: process.env.PATH,
          GIT_CONFIG_NOSYSTEM: '1',
          GIT_CONFIG_GLOBAL: '/dev/null',
        },
      },
      (error, stdout) => (error ? reject(error) : resolve(stdout)),
    ),
  );
}

/** The commit a branch name or sha names, or undefined. */
async function commitOf(
  bare: string,
  ref: string,
): Promise<string | undefined> {
  if (!/^[\w./-]+$/.test(ref) || ref.startsWith('-')) return undefined;
  return gitOutput(bare, [
    'rev-parse',
    '--verify',
    '--quiet',
    `${ref}^{commit}`,
  ])
    .then(out => out.toString().trim())
    .catch(() => undefined);
}

/**
 * Answers the three endpoints the Gitea URL reader calls, from the real
 * repository: file contents (base64 JSON, for readUrl), the latest commit
 * of a ref (its etag) and the `.tar.gz` archive of a ref (for readTree,
 * with the repository name as the archive's top folder, as Gitea does).
 */
async function answerApi(
  bare: string,
  repoName: string,
  rest: string,
  url: URL,
  res: http.ServerResponse,
): Promise<boolean> {
  const contents = /^\/contents\/(.+)$/.exec(rest);
  const commit = /^\/git\/commits\/([^/]+)$/.exec(rest);
  const archive = /^\/archive\/([^/]+)\.tar\.gz$/.exec(rest);
  if (!contents && !commit && !archive) return false;
  const ref = contents
    ? url.searchParams.get('ref') ?? 'main'
    : (commit ?? archive)![1];
  const sha = await commitOf(bare, ref);
  if (!sha) {
    sendJson(res, 404, { message: "The target couldn't be found." });
  } else if (contents) {
    const object = `${sha}:${decodeURIComponent(contents[1])}`;
    const type = await gitOutput(bare, ['cat-file', '-t', object]).catch(
      () => undefined,
    );
    if (type?.toString().trim() !== 'blob') {
      sendJson(res, 404, { message: 'object does not exist' });
      return true;
    }
    const content = await gitOutput(bare, ['cat-file', 'blob', object]);
    const blobSha = (await gitOutput(bare, ['rev-parse', object])).toString();
    sendJson(res, 200, {
      name: contents[1].split('/').pop(),
      path: contents[1],
      sha: blobSha.trim(),
      type: 'file',
      size: content.length,
      encoding: 'base64',
      content: content.toString('base64'),
    });
  } else if (commit) {
    sendJson(res, 200, { sha, url: `${url.origin}${url.pathname}` });
  } else {
    const tar = await gitOutput(bare, [
      'archive',
      '--format=tar.gz',
      `--prefix=${repoName}/`,
      sha,
    ]);
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    res.end(tar);
  }
  return true;
}

/**
 * Starts a Gitea stand-in on loopback for one repository, seeded from a
 * folder into a real bare repository. It answers the Gitea API v1 calls of
 * Backstage's Gitea URL reader and can be told to answer paths with a 302.
 * Configure it as `integrations.gitea: [{ host, baseUrl: url, password:
 * token }]`.
 */
export async function startGiteaStandIn(
  options: ForgeStandInOptions,
): Promise<GiteaStandIn> {
  const redirects = new Map<string, string>();
  const prefix = `/api/v1/repos/${options.project}`;
  const repoName = options.project.split('/').pop()!;
  let bare = '';
  const forge = await startForge(options, async (req, res, url) => {
    const location = redirects.get(url.pathname) ?? redirects.get('*');
    if (location) {
      res.writeHead(302, { location });
      res.end();
      return true;
    }
    if (req.method !== 'GET' || !url.pathname.startsWith(prefix)) {
      return false;
    }
    return answerApi(
      bare,
      repoName,
      url.pathname.slice(prefix.length),
      url,
      res,
    );
  });
  bare = forge.repository.bare;
  const host = `127.0.0.1:${forge.port}`;
  return {
    ...forge,
    host,
    fileUrl: (filePath, ref = 'main') =>
      `${forge.url}/${options.project}/src/branch/${ref}/${filePath}`,
    redirect(pathname, location) {
      redirects.set(pathname, location);
    },
    clearRedirects() {
      redirects.clear();
    },
  };
}

/** A loopback server that only records who reached it. */
export interface CanaryServer {
  url: string;
  /** TCP connections accepted, whether or not a request followed. */
  connections(): number;
  /** Requests received: method and path. */
  requests: Array<{ method: string; path: string }>;
  close(): Promise<void>;
}

/**
 * Starts a canary on 127.0.0.1: an internal address that nothing should
 * reach, which records every connection and request it gets.
 */
export async function startCanaryServer(): Promise<CanaryServer> {
  const requests: CanaryServer['requests'] = [];
  let connections = 0;
  const server = http.createServer((req, res) => {
    requests.push({ method: req.method ?? 'GET', path: req.url ?? '/' });
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('canary: an internal service answered');
  });
  server.on('connection', () => connections++);
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => connections,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>(resolve => server.close(() => resolve()));
    },
  };
}
