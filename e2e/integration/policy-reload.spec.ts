import { expect, test } from '@playwright/test';
import crypto from 'node:crypto';
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
import { adminGuestToken } from '../support/locations';
import {
  OidcIssuer,
  keycloakProviderConfig,
  keycloakRedirectUri,
  startOidcIssuer,
} from '@internal/stand-ins';
import { popupSignIn } from '../support/oidcSignIn';

/**
 * The permission policy file changed under a running backend, the way a
 * Kubernetes ConfigMap volume changes: the mounted file is a link into
 * `..data`, and an update renames a new `..data` link over the old one. The
 * real backend reads it every second here (reloadInterval). Bob signs in
 * through the loopback OIDC issuer as the app does; the guest is a
 * platform admin of the embedded default.
 */

const SHIPPED = fs.readFileSync(
  path.join(repoRoot, 'permission-policy.yaml'),
  'utf8',
);
/** The shipped file, plus platform-admin for bob's team. */
const BOB_ADMIN = `${SHIPPED}
  - role: platform-admin
    groups: [group:default/team-payments]
`;
/** Line 4 names a role that does not exist. */
const MALFORMED = [
  'bindings:',
  '  - role: platform-admin',
  '    groups: [group:default/platform-team]',
  '  - role: superuser',
  '    groups: [group:default/team-payments]',
  '',
].join('\n');
const MALFORMED_LINE = 4;

const sha256 = (text: string) =>
  crypto.createHash('sha256').update(text).digest('hex');

let dir: string;
let volume: string;
let policyFile: string;
let version = 0;
let issuer: OidcIssuer;
let backend: BackendProcess;
let adminToken: string;
let bobToken: string;

/** Writes a new version of the file the way the kubelet updates a ConfigMap volume. */
function publish(content: string) {
  const previous = fs.existsSync(path.join(volume, '..data'))
    ? fs.readlinkSync(path.join(volume, '..data'))
    : undefined;
  const next = `..2026_05_04_08_00_00.${++version}`;
  fs.mkdirSync(path.join(volume, next));
  fs.writeFileSync(path.join(volume, next, 'permission-policy.yaml'), content);
  fs.symlinkSync(next, path.join(volume, '..data_tmp'));
  fs.renameSync(path.join(volume, '..data_tmp'), path.join(volume, '..data'));
  if (previous) {
    fs.rmSync(path.join(volume, previous), { recursive: true });
  }
}

const api = (token: string | undefined, route: string, init?: RequestInit) =>
  fetch(`${backend.baseUrl}/api/permission/${route}`, {
    ...init,
    headers: {
      ...(token && { authorization: `Bearer ${token}` }),
      'content-type': 'application/json',
    },
  });

const status = (token?: string) => api(token, 'portal-policy/status');

async function explainBob(permission: string) {
  const res = await api(
    adminToken,
    `portal-policy/explain?user=user:default/bob&permission=${permission}`,
  );
  expect(res.status).toBe(200);
  return res.json();
}

/** Bob's own decision, asked as plugins ask: POST /api/permission/authorize. */
async function bobMay(permission: string): Promise<string> {
  const res = await api(bobToken, 'authorize', {
    method: 'POST',
    body: JSON.stringify({
      items: [
        {
          id: '1',
          permission: { type: 'basic', name: permission, attributes: {} },
        },
      ],
    }),
  });
  expect(res.status).toBe(200);
  return (await res.json()).items[0].result;
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ browser }) => {
  test.setTimeout(600_000);
  dir = scratchDir('policy-reload');
  volume = path.join(dir, 'config');
  fs.mkdirSync(volume);
  publish(SHIPPED);
  policyFile = path.join(volume, 'permission-policy.yaml');
  fs.symlinkSync('..data/permission-policy.yaml', policyFile);

  const port = await freePort();
  issuer = await startOidcIssuer({
    redirectUris: [keycloakRedirectUri(`http://127.0.0.1:${port}`)],
  });
  backend = spawnBackend({
    port,
    configFiles: [
      path.join(repoRoot, 'app-config.yaml'),
      writeConfig(dir, 'policy-reload.json', {
        ...listenConfig(port),
        auth: {
          session: { secret: 'policy-reload-session-secret' },
          providers: { keycloak: keycloakProviderConfig(issuer) },
        },
        permission: { portalPolicy: { policyFile, reloadInterval: '1s' } },
      }),
    ],
  });
  await waitUntilReady(backend);
  adminToken = await adminGuestToken(backend.baseUrl);
  const { message, context } = await popupSignIn(
    browser,
    backend.baseUrl,
    'bob',
    'development',
  );
  await context.close();
  expect(message.error).toBeUndefined();
  bobToken = message.response!.backstageIdentity.token;
});

test.afterAll(async () => {
  await backend?.stop();
  if (backend) {
    fs.writeFileSync(path.join(dir, 'backend.log'), backend.output());
  }
  await issuer?.close();
});

test('starts with the shipped bindings: bob is a developer, not an admin', async () => {
  const res = await status(adminToken);
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({
    file: policyFile,
    sha256: sha256(SHIPPED),
    reloadIntervalMs: 1000,
    lastError: null,
  });
  expect(await bobMay('catalog.entity.create')).toBe('DENY');
  expect((await explainBob('catalog.entity.create')).result).toBe('DENY');

  const refused = await status(bobToken);
  expect(refused.status).toBe(403);
  const body = await refused.text();
  expect(body).toContain('needs portal.policy.explain');
  expect(body).not.toContain(policyFile);
  expect((await status()).status).toBe(401);
});

test('a changed file is in force without a restart', async () => {
  const before = await (await status(adminToken)).json();
  publish(BOB_ADMIN);
  await waitFor(
    'bob to be a platform admin',
    async () => (await status(bobToken)).status === 200,
    { attempts: 60, intervalMs: 500 },
  );
  expect(await bobMay('catalog.entity.create')).toBe('ALLOW');
  const explained = await explainBob('catalog.entity.create');
  expect(explained).toMatchObject({
    result: 'ALLOW',
    decidedBy: { role: 'platform-admin', group: 'group:default/team-payments' },
  });
  const after = await (await status(adminToken)).json();
  expect(after).toMatchObject({ sha256: sha256(BOB_ADMIN), lastError: null });
  expect(Date.parse(after.loadedAt)).toBeGreaterThan(
    Date.parse(before.loadedAt),
  );
  expect(backend.output()).toContain(
    `Permission policy reloaded 5 role bindings from ${policyFile}`,
  );
});

test('a malformed file keeps the bindings in force and shows admins why', async () => {
  publish(MALFORMED);
  let current: any;
  await waitFor(
    'the error on the status route',
    async () => {
      current = await (await status(adminToken)).json();
      return current.lastError !== null;
    },
    { attempts: 60, intervalMs: 500 },
  );
  const message = `Permission policy file ${policyFile}, line ${MALFORMED_LINE}: unknown role "superuser"`;
  expect(current).toMatchObject({
    sha256: sha256(BOB_ADMIN),
    lastError: {
      file: policyFile,
      line: MALFORMED_LINE,
      message: expect.stringContaining(message),
    },
  });
  // Still the decisions of the last good file, for bob and for the guest.
  expect(await bobMay('catalog.entity.create')).toBe('ALLOW');
  expect((await status(bobToken)).status).toBe(200);
  expect(backend.output()).toContain(message);
});

test('taking the role away again is in force too', async () => {
  publish(SHIPPED);
  await waitFor(
    'bob to lose platform-admin',
    async () => (await status(bobToken)).status === 403,
    { attempts: 60, intervalMs: 500 },
  );
  expect(await bobMay('catalog.entity.create')).toBe('DENY');
  expect(await (await status(adminToken)).json()).toMatchObject({
    sha256: sha256(SHIPPED),
    lastError: null,
  });
});
