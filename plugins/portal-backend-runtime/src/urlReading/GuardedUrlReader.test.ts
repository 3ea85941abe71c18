import { UrlReaderService } from '@backstage/backend-plugin-api';
import { UrlReaders } from '@backstage/backend-defaults/urlReader';
import { ConfigReader } from '@backstage/config';
import {
  mockServices,
  ServiceFactoryTester,
} from '@backstage/backend-test-utils';
import {
  CanaryServer,
  GiteaStandIn,
  startCanaryServer,
  startGiteaStandIn,
} from '@internal/stand-ins';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { guardedUrlReaderServiceFactory } from './guardedUrlReaderServiceFactory';
import { guardFetch } from './undiciGuard';

const TOKEN = 'stand-in-token';
const DISPATCHER = Symbol.for('undici.globalDispatcher.1');
/**
 * Jest runs each test file in a realm of its own, but Node's fetch reads
 * its dispatcher from the process's real global. Reach that global through
 * fetch (a function of the real realm) to carry the guard over, as a
 * backend process has it, and to restore it afterwards.
 */
const processGlobal = (fetch as any).constructor('return globalThis')();
const saved = {
  dispatcher: processGlobal[DISPATCHER],
  http: http.globalAgent,
  https: https.globalAgent,
};

let seedDir: string;
let canary: CanaryServer;
/** Loopback stand-ins of integration hosts (Gitea API answers on `gitea`). */
let gitea: GiteaStandIn;
let githubHost: GiteaStandIn;
let gitlabHost: GiteaStandIn;
let fetchHost: GiteaStandIn;
let config: object;
let guarded: UrlReaderService;

beforeAll(async () => {
  seedDir = fs.mkdtempSync(path.join(os.tmpdir(), 'guarded-reader-seed-'));
  fs.writeFileSync(
    path.join(seedDir, 'catalog-info.yaml'),
    'kind: Component\n',
  );
  fs.mkdirSync(path.join(seedDir, 'docs'));
  fs.writeFileSync(path.join(seedDir, 'docs/index.md'), '# Docs\n');
  const start = (project: string) =>
    startGiteaStandIn({ project, seedDir, token: TOKEN });
  [canary, gitea, githubHost, gitlabHost, fetchHost] = await Promise.all([
    startCanaryServer(),
    start('team/docs'),
    start('gh/repo'),
    start('gl/repo'),
    start('web/site'),
  ]);
  config = {
    integrations: {
      gitea: [{ host: gitea.host, baseUrl: gitea.url, password: TOKEN }],
      github: [
        {
          host: githubHost.host,
          apiBaseUrl: `${githubHost.url}/api/v3`,
          rawBaseUrl: `${githubHost.url}/raw`,
          token: TOKEN,
        },
      ],
      gitlab: [
        {
          host: gitlabHost.host,
          apiBaseUrl: `${gitlabHost.url}/api/v4`,
          baseUrl: gitlabHost.url,
          token: TOKEN,
        },
      ],
    },
    backend: {
      reading: {
        // The fetch reader's own allowlist lets any localhost port through.
        allow: [{ host: fetchHost.host }, { host: 'localhost:1024-65535' }],
      },
    },
  };
  guarded = await ServiceFactoryTester.from(guardedUrlReaderServiceFactory, {
    dependencies: [mockServices.rootConfig.factory({ data: config })],
  }).getSubject('catalog');
  guardFetch();
  processGlobal[DISPATCHER] = (globalThis as any)[DISPATCHER];
});

afterAll(async () => {
  // Before any fetch the process has none yet; fetch needs one from then on.
  if (saved.dispatcher) {
    processGlobal[DISPATCHER] = saved.dispatcher;
  }
  http.globalAgent = saved.http;
  https.globalAgent = saved.https;
  await Promise.all(
    [canary, gitea, githubHost, gitlabHost, fetchHost].map(s => s?.close()),
  );
  fs.rmSync(seedDir, { recursive: true, force: true });
});

beforeEach(() =>
  [gitea, githubHost, gitlabHost, fetchHost].forEach(s => s.clearRedirects()),
);

/** The stock readers of @backstage/backend-defaults, unguarded. */
function stockReader(): UrlReaderService {
  return UrlReaders.default({
    config: new ConfigReader(config),
    logger: mockServices.logger.mock(),
  });
}

const contentsPath = '/api/v1/repos/team/docs/contents/catalog-info.yaml';

describe('GuardedUrlReader', () => {
  const cases: Array<[string, () => Promise<unknown>]> = [
    [
      'Gitea readUrl, to 127.0.0.1',
      () => {
        gitea.redirect(contentsPath, `${canary.url}/gitea`);
        return guarded.readUrl(gitea.fileUrl('catalog-info.yaml'));
      },
    ],
    [
      'Gitea readUrl, to localhost',
      () => {
        gitea.redirect(
          contentsPath,
          canary.url.replace('127.0.0.1', 'localhost'),
        );
        return guarded.readUrl(gitea.fileUrl('catalog-info.yaml'));
      },
    ],
    [
      'Gitea readUrl, to an IPv4-mapped IPv6 address',
      () => {
        gitea.redirect(
          contentsPath,
          canary.url.replace('127.0.0.1', '[::ffff:127.0.0.1]'),
        );
        return guarded.readUrl(gitea.fileUrl('catalog-info.yaml'));
      },
    ],
    [
      'Gitea readTree (the TechDocs preparer)',
      () => {
        gitea.redirect(
          '/api/v1/repos/team/docs/archive/main.tar.gz',
          `${canary.url}/tree`,
        );
        return guarded.readTree(gitea.fileUrl(''));
      },
    ],
    [
      'GitHub readUrl (node-fetch)',
      () => {
        githubHost.redirect('*', `${canary.url}/github`);
        return guarded.readUrl(
          `${githubHost.url}/gh/repo/blob/main/catalog-info.yaml`,
        );
      },
    ],
    [
      'GitLab readUrl',
      () => {
        gitlabHost.redirect('*', `${canary.url}/gitlab`);
        return guarded.readUrl(
          `${gitlabHost.url}/gl/repo/-/blob/main/catalog-info.yaml`,
        );
      },
    ],
    [
      'fetch readUrl, allowed by backend.reading.allow',
      () => {
        fetchHost.redirect(
          '*',
          `${canary.url.replace('127.0.0.1', 'localhost')}/fetch`,
        );
        return guarded.readUrl(`${fetchHost.url}/catalog-info.yaml`, {
          token: TOKEN,
        });
      },
    ],
  ];

  it.each(cases)(
    'refuses a redirect to an internal address: %s',
    async (_what, read) => {
      const before = canary.connections();
      await expect(read()).rejects.toMatchObject({
        name: 'NotAllowedError',
        message: expect.stringContaining('which is not a public address'),
      });
      expect(canary.connections()).toBe(before);
    },
  );

  it.each([
    [
      'Gitea (fetch)',
      () => stockReader().readUrl(gitea.fileUrl('catalog-info.yaml')),
    ],
    [
      'GitHub (node-fetch)',
      () =>
        stockReader().readUrl(
          `${githubHost.url}/gh/repo/blob/main/catalog-info.yaml`,
        ),
    ],
  ])(
    'control: the stock %s reader follows the redirect to the canary',
    async (_what, read) => {
      gitea.redirect(contentsPath, `${canary.url}/control`);
      githubHost.redirect('*', `${canary.url}/control`);
      const before = canary.requests.length;
      await read().catch(() => undefined);
      expect(canary.requests.length).toBe(before + 1);
    },
  );

  it('follows a redirect on the integration host itself', async () => {
    gitea.redirect(
      '/api/v1/repos/team/docs/contents/moved.yaml',
      `${gitea.url}${contentsPath}?ref=main`,
    );
    const response = await guarded.readUrl(gitea.fileUrl('moved.yaml'));
    expect((await response.buffer()).toString()).toBe('kind: Component\n');
  });

  it('reads trees from an internal integration host', async () => {
    const tree = await guarded.readTree(gitea.fileUrl('docs'));
    const files = await tree.files();
    expect(files.map(f => f.path)).toEqual(['index.md']);
  });

  it('leaves requests outside URL reading alone, and never shares their connections', async () => {
    const before = canary.requests.length;
    // The backend calls itself and internal services on loopback all the time.
    expect((await fetch(`${canary.url}/outside`)).status).toBe(200);
    await new Promise(resolve =>
      http.get(`${canary.url}/outside`, res => res.resume().on('end', resolve)),
    );
    expect(canary.requests.length).toBe(before + 2);
    // Both pools now hold a kept-alive connection to the canary.
    const connections = canary.connections();
    gitea.redirect(contentsPath, `${canary.url}/gitea`);
    githubHost.redirect('*', `${canary.url}/github`);
    await expect(
      guarded.readUrl(gitea.fileUrl('catalog-info.yaml')),
    ).rejects.toThrow(/not a public address/);
    await expect(
      guarded.readUrl(`${githubHost.url}/gh/repo/blob/main/catalog-info.yaml`),
    ).rejects.toThrow(/not a public address/);
    expect(canary.connections()).toBe(connections);
    expect(canary.requests.length).toBe(before + 2);
  });

  it('still verifies certificates against the host name it connects for', async () => {
    const key = path.join(seedDir, 'key.pem');
    const cert = path.join(seedDir, 'cert.pem');
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key]
        .concat(['-out', cert, '-days', '1', '-subj', '/CN=localhost'])
        .concat(['-addext', 'subjectAltName=DNS:localhost']),
      { stdio: 'ignore' },
    );
    // Self-signed servers: the readers must refuse their certificate, after
    // asking for it by name (SNI), although they connect to an address.
    const serverNames: string[] = [];
    const servers = [1, 2].map(() =>
      https.createServer(
        {
          key: fs.readFileSync(key),
          cert: fs.readFileSync(cert),
          SNICallback: (name, done) => {
            serverNames.push(name);
            done(null);
          },
        },
        (_req, res) => res.end('{}'),
      ),
    );
    const [githubTls, fetchTls] = await Promise.all(
      servers.map(
        server =>
          new Promise<string>(resolve =>
            server.listen(0, '127.0.0.1', () =>
              resolve(`localhost:${(server.address() as AddressInfo).port}`),
            ),
          ),
      ),
    );
    try {
      const reader = await ServiceFactoryTester.from(
        guardedUrlReaderServiceFactory,
        {
          dependencies: [
            mockServices.rootConfig.factory({
              data: {
                integrations: {
                  github: [
                    {
                      host: githubTls,
                      apiBaseUrl: `https://${githubTls}/api/v3`,
                      token: TOKEN,
                    },
                  ],
                },
                backend: { reading: { allow: [{ host: fetchTls }] } },
              },
            }),
          ],
        },
      ).getSubject('catalog');
      await expect(
        reader.readUrl(
          `https://${githubTls}/gh/repo/blob/main/catalog-info.yaml`,
        ),
      ).rejects.toThrow(/self-signed certificate/);
      await expect(
        reader.readUrl(`https://${fetchTls}/catalog-info.yaml`),
      ).rejects.toThrow(/fetch failed/);
      expect(serverNames).toEqual(['localhost', 'localhost']);
    } finally {
      for (const server of servers) {
        server.closeAllConnections();
        server.close();
      }
    }
  });
});
