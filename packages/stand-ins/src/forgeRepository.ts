import fs from 'node:fs/promises';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  branchTip,
  deleteBranch,
  mergeBranch,
  seedRepository,
  serveGitHttpBackend,
} from '@internal/dev-git-server';

/**
 * The real bare repository behind a Git forge stand-in: what its git
 * transport serves, and what a reviewer's merge changes.
 */
export class ForgeRepository {
  constructor(readonly bare: string) {}

  /** The tip of a branch, or undefined when there is none. */
  tip(branch: string): Promise<string | undefined> {
    return branchTip(this.bare, branch);
  }

  /**
   * Merges `branch` into `base` as a reviewer would in the forge, and
   * deletes the branch when asked.
   */
  merge(branch: string, base: string, andDelete = false): Promise<string> {
    return mergeBranch(this.bare, branch, base, { deleteBranch: andDelete });
  }

  /** Deletes a branch, as closing a change request in the forge does. */
  deleteBranch(branch: string): Promise<void> {
    return deleteBranch(this.bare, branch);
  }
}

/** A running forge stand-in: its address, the repository and what it was asked. */
export interface ForgeStandIn {
  url: string;
  /** The clone URL of the repository it serves. */
  repoUrl: string;
  repository: ForgeRepository;
  /** Every request: method, path, and whether its credentials were accepted. */
  requests: Array<{ method: string; path: string; authenticated: boolean }>;
  close(): Promise<void>;
}

/** Reads a JSON request body. */
export async function jsonBody(req: http.IncomingMessage): Promise<any> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text ? JSON.parse(text) : {};
}

/** Answers with JSON. */
export function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** Options every forge stand-in takes. */
export interface ForgeStandInOptions {
  /** `owner/name` (GitLab: `group/…/name`) of the one repository served. */
  project: string;
  /** Folder whose content seeds the base branch `main`. */
  seedDir: string;
  /** The token the API and git transport accept. */
  token: string;
}

/**
 * Starts a forge stand-in on 127.0.0.1: the real git transport of one
 * seeded bare repository on `/<project>.git` (basic auth whose password is
 * the token), and `api` for everything else.
 */
export async function startForge(
  options: ForgeStandInOptions,
  api: (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
  ) => Promise<boolean>,
): Promise<ForgeStandIn & { port: number }> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'forge-stand-in-'));
  const bare = await seedRepository(
    root,
    `${options.project}.git`,
    options.seedDir,
  );
  const requests: ForgeStandIn['requests'] = [];
  const gitPrefix = `/${options.project}.git/`;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const auth = req.headers.authorization ?? '';
    const basic = /^Basic (\S+)$/.exec(auth);
    const password = basic
      ? Buffer.from(basic[1], 'base64').toString().split(':').slice(1).join(':')
      : undefined;
    const bearer =
      /^(?:Bearer|token) (\S+)$/i.exec(auth)?.[1] ??
      req.headers['private-token'];
    const authenticated =
      password === options.token || bearer === options.token;
    requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      authenticated,
    });
    if (!authenticated) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="stand-in"' });
      res.end('{"message":"Bad credentials"}');
      return;
    }
    if (url.pathname.startsWith(gitPrefix)) {
      serveGitHttpBackend(root, req, res, 'stand-in');
      return;
    }
    api(req, res, url)
      .then(handled => {
        if (!handled) sendJson(res, 404, { message: 'Not Found' });
      })
      .catch(error => sendJson(res, 500, { message: String(error) }));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  return {
    port,
    url,
    repoUrl: `${url}/${options.project}.git`,
    repository: new ForgeRepository(bare),
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>(resolve => server.close(() => resolve()));
      await fs.rm(root, { recursive: true, force: true });
    },
  };
}
