import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { AddressInfo } from 'node:net';
import { runGit } from './git';
import { serveWebView } from './webView';

/**
 * Options of {@link startGitHttpServer}.
 *
 * @public
 */
export interface GitHttpServerOptions {
  /** Folder holding the bare repositories (`GIT_PROJECT_ROOT`). */
  root: string;
  /** Port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** With `password`: every request must carry these in basic auth. */
  username?: string;
  /** With `username`: every request must carry these in basic auth. */
  password?: string;
}

/**
 * A running loopback Git server.
 *
 * @public
 */
export interface GitHttpServer {
  /** The port it listens on. */
  port: number;
  /** The clone URL of a repository under the root, e.g. `url('gitops.git')`. */
  url(repo: string): string;
  /** What it has served: method, path and whether basic auth was accepted. */
  requests: Array<{ method: string; path: string; authenticated: boolean }>;
  /** Stops the server. */
  stop(): Promise<void>;
}

function checkAuth(
  header: string | undefined,
  username: string,
  password: string,
): boolean {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!match) return false;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  return decoded === `${username}:${password}`;
}

/**
 * Answers one smart-HTTP request with the real `git http-backend` CGI, for
 * the repositories under `root` (pushes enabled). Stand-ins of Git forges
 * mount it beside their APIs.
 *
 * @public
 */
export function serveGitHttpBackend(
  root: string,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  remoteUser = 'anonymous',
): void {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const child = spawn('git', ['http-backend'], {
    env: {
      PATH: process.env.PATH,
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: '1',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_CONFIG_COUNT: '2',
      GIT_CONFIG_KEY_0: 'http.receivepack',
      GIT_CONFIG_VALUE_0: 'true',
      GIT_CONFIG_KEY_1: 'safe.directory',
      GIT_CONFIG_VALUE_1: '*',
      REQUEST_METHOD: req.method ?? 'GET',
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.replace(/^\?/, ''),
      CONTENT_TYPE: req.headers['content-type'] ?? '',
      REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
      REMOTE_USER: remoteUser,
      ...(req.headers['content-encoding']
        ? { HTTP_CONTENT_ENCODING: String(req.headers['content-encoding']) }
        : {}),
      ...(req.headers['git-protocol']
        ? { GIT_PROTOCOL: String(req.headers['git-protocol']) }
        : {}),
    },
  });
  req.pipe(child.stdin);
  child.stdin.on('error', () => {});

  let head = Buffer.alloc(0);
  let headersSent = false;
  child.stdout.on('data', (chunk: Buffer) => {
    if (headersSent) {
      res.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    let end = head.indexOf('\r\n\r\n');
    let sepLength = 4;
    if (end < 0) {
      end = head.indexOf('\n\n');
      sepLength = 2;
    }
    if (end < 0) return;
    const lines = head.subarray(0, end).toString('utf8').split(/\r?\n/);
    let status = 200;
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const i = line.indexOf(':');
      if (i < 0) continue;
      const key = line.slice(0, i).trim();
      const value = line.slice(i + 1).trim();
      if (key.toLowerCase() === 'status') {
        status = parseInt(value, 10) || 200;
      } else {
        headers[key] = value;
      }
    }
    res.writeHead(status, headers);
    headersSent = true;
    const rest = head.subarray(end + sepLength);
    if (rest.length) res.write(rest);
  });
  child.on('close', () => {
    if (!headersSent) {
      res.writeHead(500);
    }
    res.end();
  });
  child.on('error', () => {
    if (!headersSent) {
      headersSent = true;
      res.writeHead(500);
    }
    res.end();
  });
}

/**
 * Starts a Git smart-HTTP server on 127.0.0.1 for tests and local
 * development: a small Node HTTP server in front of the real
 * `git http-backend` CGI, with every repository under `root` exported,
 * pushes enabled and, when `username` and `password` are set, basic auth
 * required on every request.
 *
 * @public
 */
export async function startGitHttpServer(
  options: GitHttpServerOptions,
): Promise<GitHttpServer> {
  const root = path.resolve(options.root);
  const requireAuth = Boolean(options.username && options.password);
  const requests: GitHttpServer['requests'] = [];

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const authenticated = requireAuth
      ? checkAuth(
          req.headers.authorization,
          options.username!,
          options.password!,
        )
      : false;
    requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      authenticated,
    });
    if (requireAuth && !authenticated) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"' });
      res.end('Authentication required\n');
      return;
    }
    serveWebView(root, req, res)
      .then(served => {
        if (!served) {
          serveGitHttpBackend(
            root,
            req,
            res,
            requireAuth ? options.username : 'anonymous',
          );
        }
      })
      .catch(() => {
        res.writeHead(500);
        res.end();
      });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    port,
    requests,
    url: repo => `http://127.0.0.1:${port}/${repo.replace(/^\/+/, '')}`,
    stop: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Creates the bare repository `root/name` whose branch `main` holds one
 * commit with the content of `fromDir` (a missing or empty folder gives an
 * empty tree). An existing repository of that name is replaced. Paths in
 * `exclude` (relative to `fromDir`) are left out.
 *
 * @public
 */
export async function seedRepository(
  root: string,
  name: string,
  fromDir: string,
  options: { exclude?: string[] } = {},
): Promise<string> {
  const bare = path.join(root, name);
  await fs.rm(bare, { recursive: true, force: true });
  await fs.mkdir(bare, { recursive: true });
  await runGit(['init', '--bare', '--quiet', '--initial-branch=main', bare]);

  const index = await fs.mkdtemp(path.join(os.tmpdir(), 'gitops-seed-'));
  try {
    const env = {
      GIT_INDEX_FILE: path.join(index, 'index'),
      GIT_AUTHOR_NAME: 'GitOps seed',
      GIT_AUTHOR_EMAIL: 'seed@localhost',
      GIT_COMMITTER_NAME: 'GitOps seed',
      GIT_COMMITTER_EMAIL: 'seed@localhost',
    };
    const hasContent = await fs
      .readdir(fromDir)
      .then(entries => entries.length > 0)
      .catch(() => false);
    if (hasContent) {
      await runGit(
        [
          `--git-dir=${bare}`,
          `--work-tree=${fromDir}`,
          'add',
          '--all',
          '--',
          '.',
          ...(options.exclude ?? []).map(e => `:(exclude)${e}`),
        ],
        { env },
      );
    }
    const tree = (
      await runGit([`--git-dir=${bare}`, 'write-tree'], { env })
    ).stdout.trim();
    const commit = (
      await runGit(
        [`--git-dir=${bare}`, 'commit-tree', tree, '-m', 'Seed the repository'],
        { env },
      )
    ).stdout.trim();
    await runGit([
      `--git-dir=${bare}`,
      'update-ref',
      'refs/heads/main',
      commit,
    ]);
    return bare;
  } finally {
    await fs.rm(index, { recursive: true, force: true });
  }
}
