import { expect, test } from '@playwright/test';
import {
  CanaryServer,
  GiteaStandIn,
  startCanaryServer,
  startGiteaStandIn,
} from '@internal/stand-ins';
import fs from 'node:fs';
import path from 'node:path';
import {
  BackendProcess,
  listenConfig,
  spawnBackend,
  waitUntilReady,
  repoRoot,
  scratchDir,
  writeConfig,
  freePort,
  waitFor,
} from '@internal/test-harness';
import {
  adminGuestToken,
  registerLocation,
  syncTechDocs,
  waitForEntity,
} from '../support/locations';

/**
 * Redirects from an integration host on the real backend. The Git host is
 * a Gitea stand-in on loopback (configured under integrations.gitea, as an
 * internal Git server is); some of its paths answer with a 302 to a canary
 * server, another internal address. Neither the catalog (dry run and
 * registered location) nor TechDocs may reach the canary; the same host's
 * other paths must still be read.
 */

const GITEA_TOKEN = 'gitea-e2e-token';
const REPO = 'team-search/redirects';
const API = `/api/v1/repos/${REPO}`;

let dir: string;
let gitea: GiteaStandIn;
let canary: CanaryServer;
let backend: BackendProcess;
let token: string;

test.beforeAll(async () => {
  test.setTimeout(600_000);
  dir = scratchDir('redirects');
  const seed = path.join(dir, 'repo');
  fs.mkdirSync(path.join(seed, 'docs'), { recursive: true });
  fs.writeFileSync(
    path.join(seed, 'catalog-info.yaml'),
    JSON.stringify({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'redirected-docs',
        annotations: { 'backstage.io/techdocs-ref': 'dir:.' },
      },
      spec: {
        type: 'service',
        lifecycle: 'experimental',
        owner: 'team-search',
      },
    }),
  );
  fs.writeFileSync(path.join(seed, 'mkdocs.yml'), 'site_name: Redirected\n');
  fs.writeFileSync(path.join(seed, 'docs/index.md'), '# Redirected\n');
  [gitea, canary] = await Promise.all([
    startGiteaStandIn({ project: REPO, seedDir: seed, token: GITEA_TOKEN }),
    startCanaryServer(),
  ]);
  const port = await freePort();
  const overlay = writeConfig(dir, 'redirects.json', {
    ...listenConfig(port),
    integrations: {
      gitea: [{ host: gitea.host, baseUrl: gitea.url, password: GITEA_TOKEN }],
    },
    techdocs: {
      publisher: {
        type: 'local',
        local: { publishDirectory: path.join(dir, 'published') },
      },
    },
  });
  backend = spawnBackend({
    port,
    configFiles: [path.join(repoRoot, 'app-config.yaml'), overlay],
  });
  await waitUntilReady(backend);
  token = await adminGuestToken(backend.baseUrl);
});

test.afterAll(async () => {
  await backend?.stop();
  if (backend) {
    fs.writeFileSync(path.join(dir, 'backend.log'), backend.output());
  }
  await Promise.all([gitea?.close(), canary?.close()]);
});

test.afterEach(() => {
  expect(canary.connections(), 'connections to the canary').toBe(0);
  expect(canary.requests).toEqual([]);
});

test('a dry run of a location does not follow the redirect', async () => {
  gitea.redirect(`${API}/contents/dry-run.yaml`, `${canary.url}/dry-run`);
  const { status, body } = await registerLocation(
    backend.baseUrl,
    token,
    gitea.fileUrl('dry-run.yaml'),
    { dryRun: true },
  );
  expect(JSON.stringify(body)).not.toContain('canary: an internal service');
  expect(status).toBeGreaterThanOrEqual(400);
  expect(body.error.message).toContain('which is not a public address');
});

test('processing a registered location does not follow the redirect', async () => {
  gitea.redirect(`${API}/contents/registered.yaml`, `${canary.url}/registered`);
  const target = gitea.fileUrl('registered.yaml');
  const { status } = await registerLocation(backend.baseUrl, token, target);
  expect(status).toBe(201);
  // The catalog reads the location in its processing loop; a failed read
  // leaves no entity to look at, but the reader logs the refusal.
  const refusal = `Reading ${target} was refused`;
  await waitFor(
    'the catalog to read the location',
    async () => backend.output().includes(refusal) || canary.connections() > 0,
  );
  expect(canary.connections()).toBe(0);
  expect(backend.output()).toMatch(
    new RegExp(`${refusal}: .*which is not a public address`),
  );
});

test('a TechDocs build does not follow the redirect', async () => {
  const { status } = await registerLocation(
    backend.baseUrl,
    token,
    gitea.fileUrl('catalog-info.yaml'),
  );
  expect(status).toBe(201);
  await waitForEntity(backend.baseUrl, token, {
    kind: 'component',
    name: 'redirected-docs',
  });
  gitea.redirect(`${API}/archive/main.tar.gz`, `${canary.url}/archive`);
  const { events } = await syncTechDocs(
    backend.baseUrl,
    token,
    'component/redirected-docs',
  );
  expect(events.at(-1)?.type).toBe('error');
  expect(String(events.at(-1)?.data)).toContain(
    'which is not a public address',
  );
});

test('the integration host itself is still read', async () => {
  gitea.clearRedirects();
  gitea.redirect(
    `${API}/contents/moved/catalog-info.yaml`,
    `${gitea.url}${API}/contents/catalog-info.yaml?ref=main`,
  );
  const { status, body } = await registerLocation(
    backend.baseUrl,
    token,
    gitea.fileUrl('moved/catalog-info.yaml'),
    { dryRun: true },
  );
  expect(status).toBe(201);
  expect(body.entities.map((e: any) => e.metadata.name)).toContain(
    'redirected-docs',
  );
});
