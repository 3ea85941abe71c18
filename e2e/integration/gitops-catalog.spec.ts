import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import {
  commitAndPush,
  GitHttpServer,
  seedRepository,
  startGitHttpServer,
} from '@internal/dev-git-server';
import {
  KeycloakAdminStandIn,
  startKeycloakAdminStandIn,
} from '@internal/stand-ins';
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
import { pushPayload, serviceFiles, sign } from '../support/gitopsCatalog';

/**
 * The GitOps repository as a catalog source, end to end: the real backend
 * (SQLite kept in a folder, so a restart keeps the catalog) follows a real
 * Git repository served over HTTP on loopback, as the portal's GitOps
 * catalog provider, beside the Keycloak org provider pointed at a stand-in
 * of Keycloak's admin API (no Keycloak runs here). Merges are made behind
 * the server's back and announced by the plain-Git push webhook; the
 * provider's schedule is 30 minutes, so anything that shows up in seconds
 * came through the webhook.
 */
test.describe.configure({ mode: 'serial' });

const SECRET = 'gitops-catalog-spec-webhook-secret';
const CI_TOKEN = 'gitops-catalog-spec-ci-token';

let dir: string;
let bare: string;
let git: GitHttpServer;
let keycloak: KeycloakAdminStandIn;
let configFile: string;
let port: number;
let backend: BackendProcess;

/** onboard-team's files: the team's namespaces as catalog Resources. */
function team(name: string) {
  const envs = ['dev', 'test', 'prod'];
  return {
    [`teams/${name}/catalog-info.yaml`]: envs
      .map(env =>
        [
          'apiVersion: backstage.io/v1alpha1',
          'kind: Resource',
          'metadata:',
          `  name: ${name}-${env}`,
          'spec:',
          '  type: openshift-namespace',
          '  lifecycle: production',
          `  owner: group:default/${name}`,
          '',
        ].join('\n'),
      )
      .join('---\n'),
    ...Object.fromEntries(
      envs.map(env => [
        `teams/${name}/${env}/namespace.yaml`,
        'kind: Namespace\n',
      ]),
    ),
  };
}

const database = {
  'databases/team-payments/prod/ledger/catalog-info.yaml': [
    'apiVersion: backstage.io/v1alpha1',
    'kind: Resource',
    'metadata:',
    '  name: team-payments-ledger-prod',
    'spec:',
    '  type: database',
    '  lifecycle: production',
    '  owner: group:default/team-payments',
    '',
  ].join('\n'),
};

/** A merge to main, made in the forge: no request reaches the server. */
async function merge(files: Record<string, string>, remove: string[] = []) {
  const { commit } = await commitAndPush({
    repoUrl: `file://${bare}`,
    branch: 'main',
    files,
    remove,
  });
  return commit;
}

function webhook(body: string, headers: Record<string, string>) {
  return fetch(`${backend.baseUrl}/api/events/http/gitops`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
}

/** Announces a merge the way the Git server's webhook does. */
async function announce(commit: string) {
  const body = pushPayload(git.url('gitops.git'), commit);
  const res = await webhook(body, {
    'x-gitea-event': 'push',
    'x-hub-signature-256': sign(body, SECRET),
  });
  expect(res.status).toBe(202);
}

async function entity(ref: string): Promise<any | undefined> {
  const [kind, rest] = ref.split(':');
  const res = await fetch(
    `${backend.baseUrl}/api/catalog/entities/by-name/${kind}/${rest}`,
    { headers: { authorization: `Bearer ${CI_TOKEN}` } },
  );
  if (res.status === 404) return undefined;
  expect(res.status).toBe(200);
  return res.json();
}

/** Waits (bounded, 60 s) until the entity satisfies `check`. */
async function until(
  ref: string,
  what: string,
  check: (e: any | undefined) => boolean,
) {
  let last: any;
  await waitFor(
    `${ref}: ${what}`,
    async () => check((last = await entity(ref))),
    { attempts: 120, intervalMs: 500 },
  );
  return last;
}

const processingErrors = (e: any): string[] =>
  (e?.status?.items ?? [])
    .filter((i: any) => i.type === 'backstage.io/catalog-processing')
    .map((i: any) => i.message);

/** Relations that make up membership and the group tree. */
const MEMBERSHIP = ['memberOf', 'hasMember', 'parentOf', 'childOf'];

/** Users and groups with their membership relations, as the catalog serves them. */
async function org(): Promise<Record<string, string[]>> {
  const res = await fetch(
    `${backend.baseUrl}/api/catalog/entities/by-query?filter=kind=user&filter=kind=group&limit=1000`,
    { headers: { authorization: `Bearer ${CI_TOKEN}` } },
  );
  expect(res.status).toBe(200);
  const { items } = await res.json();
  return Object.fromEntries(
    items.map((e: any) => [
      `${e.kind.toLowerCase()}:default/${e.metadata.name}`,
      e.relations
        .filter((r: any) => MEMBERSHIP.includes(r.type))
        .map((r: any) => `${r.type} ${r.targetRef}`)
        .sort(),
    ]),
  );
}

async function startBackend() {
  backend = spawnBackend({
    port,
    configFiles: [path.join(repoRoot, 'app-config.yaml'), configFile],
  });
  await waitUntilReady(backend);
}

test.beforeAll(async () => {
  dir = scratchDir('gitops-catalog');
  const seed = path.join(dir, 'seed');
  for (const [file, content] of Object.entries({
    'README.md': '# GitOps\n',
    ...team('team-payments'),
    ...serviceFiles('team-payments', 'payments-api'),
    ...database,
  })) {
    fs.mkdirSync(path.dirname(path.join(seed, file)), { recursive: true });
    fs.writeFileSync(path.join(seed, file), content);
  }
  bare = await seedRepository(path.join(dir, 'repos'), 'gitops.git', seed);
  git = await startGitHttpServer({ root: path.join(dir, 'repos') });
  keycloak = await startKeycloakAdminStandIn({
    org: {
      listed: {
        users: [
          { username: 'alice', groups: ['/engineering/platform-team'] },
          { username: 'bob', groups: ['/engineering/team-payments'] },
          { username: 'carol', groups: ['/engineering/team-search'] },
          { username: 'mallory', groups: [] },
        ],
        groups: [
          '/engineering',
          '/engineering/platform-team',
          '/engineering/team-payments',
          '/engineering/team-search',
        ],
      },
    },
  });
  port = await freePort();
  const listen = listenConfig(port);
  configFile = writeConfig(dir, 'gitops-catalog.json', {
    ...listen,
    backend: {
      ...listen.backend,
      // Kept in a folder, so the restart below finds the catalog it left.
      database: {
        client: 'better-sqlite3',
        connection: { directory: path.join(dir, 'sqlite') },
      },
      auth: {
        externalAccess: [
          {
            type: 'static',
            options: { token: CI_TOKEN, subject: 'gitops-catalog-spec' },
            accessRestrictions: [
              { plugin: 'catalog', permission: 'catalog.entity.read' },
            ],
          },
        ],
      },
    },
    gitops: {
      repoUrl: git.url('gitops.git'),
      mirrorDirectory: path.join(dir, 'mirror'),
    },
    catalog: {
      // Users and groups come from Keycloak alone, as in production.
      locations: [],
      providers: {
        gitops: {
          schedule: { frequency: { minutes: 30 }, timeout: { minutes: 5 } },
        },
        keycloakOrg: {
          standIn: {
            baseUrl: keycloak.baseUrl,
            loginRealm: keycloak.loginRealm,
            realm: keycloak.realm,
            clientId: keycloak.clientId,
            clientSecret: keycloak.clientSecret,
            schedule: {
              frequency: { seconds: 10 },
              timeout: { seconds: 20 },
              initialDelay: { seconds: 0 },
            },
          },
        },
      },
    },
    events: { modules: { gitops: { webhookSecret: SECRET } } },
  });
  await startBackend();
});

test.afterAll(async () => {
  await backend?.stop();
  await git?.stop();
  await keycloak?.close();
});

test('emits the namespaces, services and databases of the base branch, annotated from their paths', async () => {
  const api = await until(
    'component:default/payments-api',
    'ingested',
    e => !!e,
  );
  const folderUrl = `${git.url(
    'gitops',
  )}/src/branch/main/services/team-payments/payments-api`;
  expect(api.spec.owner).toBe('group:default/team-payments');
  expect(api.metadata.annotations).toMatchObject({
    'gitops.portal/folder': 'services/team-payments/payments-api',
    'backstage.io/source-location': `url:${folderUrl}/`,
    'backstage.io/managed-by-location': `url:${folderUrl}/catalog-info.yaml`,
    'argocd/app-selector':
      'portal.platform/team=team-payments,portal.platform/service=payments-api',
    'backstage.io/kubernetes-id': 'payments-api',
    'backstage.io/kubernetes-namespace': 'team-payments-prod',
    'gitops.portal/argocd-app.dev': 'team-payments.payments-api.dev',
    'gitops.portal/namespace.prod': 'team-payments-prod',
  });
  expect(api.relations).toContainEqual({
    type: 'ownedBy',
    targetRef: 'group:default/team-payments',
  });
  const namespace = await until(
    'resource:default/team-payments-test',
    'ingested',
    e => !!e,
  );
  expect(namespace.spec.type).toBe('openshift-namespace');
  expect(namespace.metadata.annotations['argocd/app-name']).toBe(
    'team-team-payments',
  );
  const db = await until(
    'resource:default/team-payments-ledger-prod',
    'ingested',
    e => !!e,
  );
  expect(db.metadata.annotations['argocd/app-name']).toBe(
    'team-payments.db-ledger.prod',
  );
});

test('a signed push webhook brings a merge in right away: add, update, decommission', async () => {
  const started = Date.now();
  await announce(await merge(serviceFiles('team-payments', 'refunds')));
  await until('component:default/refunds', 'added', e => !!e);
  const seconds = (Date.now() - started) / 1000;
  test.info().annotations.push({
    type: 'merge to catalog',
    description: `${seconds.toFixed(
      1,
    )} s through the webhook (schedule: 30 min)`,
  });
  expect(seconds).toBeLessThan(60);

  await announce(
    await merge(
      serviceFiles('team-payments', 'payments-api', 'Takes card payments'),
    ),
  );
  await until(
    'component:default/payments-api',
    'updated',
    e => e?.metadata.description === 'Takes card payments',
  );

  await announce(await merge({}, ['databases/team-payments/prod/ledger']));
  await until('resource:default/team-payments-ledger-prod', 'removed', e => !e);
});

test('unsigned, forged and malformed webhooks are refused and change nothing', async () => {
  const commit = await merge(serviceFiles('team-payments', 'payouts'));
  const body = pushPayload(git.url('gitops.git'), commit);
  expect((await webhook(body, {})).status).toBe(401);
  expect(
    (await webhook(body, { 'x-hub-signature-256': sign(body, 'guessed') }))
      .status,
  ).toBe(401);
  // A signed announcement, with its body changed on the way.
  const signature = sign(
    pushPayload(git.url('gitops.git'), commit, 'refs/heads/feature'),
    SECRET,
  );
  expect(
    (await webhook(body, { 'x-hub-signature-256': signature })).status,
  ).toBe(401);
  expect(
    (
      await webhook('{"ref":', {
        'x-hub-signature-256': sign('{"ref":', SECRET),
      })
    ).status,
  ).toBe(400);
  // Signed, but for another branch: accepted and ignored.
  const other = pushPayload(
    git.url('gitops.git'),
    commit,
    'refs/heads/feature',
  );
  expect(
    (await webhook(other, { 'x-hub-signature-256': sign(other, SECRET) }))
      .status,
  ).toBe(202);
  await new Promise(resolve => setTimeout(resolve, 8_000));
  expect(await entity('component:default/payouts')).toBeUndefined();

  await announce(commit);
  await until('component:default/payouts', 'added', e => !!e);
});

test('a malformed file keeps the last good entity and shows its error on it', async () => {
  const file = 'services/team-payments/payments-api/catalog-info.yaml';
  await announce(await merge({ [file]: 'kind: [Component\n' }));
  const broken = await until('component:default/payments-api', 'an error', e =>
    processingErrors(e).some(m => m.includes('YAML error')),
  );
  expect(broken.metadata.description).toBe('Takes card payments');
  expect(processingErrors(broken)[0]).toContain(
    `InputError: ${file}: YAML error`,
  );

  // Another team's owner is refused the same way.
  const claimed = serviceFiles('team-payments', 'payments-api', 'Now ours')[
    file
  ].replace('group:default/team-payments', 'group:default/team-search');
  await announce(await merge({ [file]: claimed }));
  const refused = await until(
    'component:default/payments-api',
    'the owner refused',
    e => processingErrors(e).some(m => m.includes('spec.owner')),
  );
  expect(refused.spec.owner).toBe('group:default/team-payments');
  expect(refused.metadata.description).toBe('Takes card payments');

  await announce(
    await merge(serviceFiles('team-payments', 'payments-api', 'Fixed again')),
  );
  const fixed = await until(
    'component:default/payments-api',
    'fixed',
    e => e?.metadata.description === 'Fixed again',
  );
  expect(processingErrors(fixed)).toEqual([]);
});

test('Keycloak alone decides membership: onboarding a team, or groups, users and memberOf in the repository, change none', async () => {
  await waitFor(
    'the Keycloak org with memberships',
    async () =>
      ((await org())['user:default/bob'] ?? []).includes(
        'memberOf group:default/team-payments',
      ),
    { attempts: 120, intervalMs: 500 },
  );
  const before = await org();
  expect(before['group:default/platform-team']).toEqual([
    'childOf group:default/engineering',
    'hasMember user:default/alice',
  ]);

  const group = [
    'apiVersion: backstage.io/v1alpha1',
    'kind: Group',
    'metadata:',
    '  name: platform-team-shadow',
    'spec:',
    '  type: team',
    '  parent: platform-team',
    '  children: []',
    '  members: [bob, mallory]',
    '',
  ].join('\n');
  const user = [
    'apiVersion: backstage.io/v1alpha1',
    'kind: User',
    'metadata:',
    // Someone Keycloak does not have yet: the first User of a name wins.
    '  name: eve',
    'spec:',
    '  memberOf: [platform-team]',
    '',
  ].join('\n');
  const componentWithMemberOf = serviceFiles('team-payments', 'sneaky')[
    'services/team-payments/sneaky/catalog-info.yaml'
  ].concat(
    '  memberOf: [platform-team]\n',
    'relations:\n  - type: memberOf\n    targetRef: group:default/platform-team\n',
  );
  await announce(
    await merge({
      ...team('team-search'),
      ...serviceFiles('team-payments', 'evil-group'),
      'services/team-payments/evil-group/catalog-info.yaml': group,
      ...serviceFiles('team-search', 'evil-user'),
      'services/team-search/evil-user/catalog-info.yaml': user,
      ...serviceFiles('team-payments', 'sneaky'),
      'services/team-payments/sneaky/catalog-info.yaml': componentWithMemberOf,
    }),
  );
  // The onboarded team's namespaces and the harmless part arrive.
  await until('resource:default/team-search-prod', 'onboarded', e => !!e);
  const sneaky = await until('component:default/sneaky', 'added', e => !!e);
  expect(sneaky.relations).not.toContainEqual(
    expect.objectContaining({ type: 'memberOf' }),
  );
  // A Keycloak sync later, every membership is as Keycloak has it.
  const synced = keycloak.requests.length;
  await waitFor(
    'another Keycloak sync',
    async () => keycloak.requests.length > synced + 3,
    { attempts: 60, intervalMs: 500 },
  );
  expect(await org()).toEqual(before);
  // The refused files are named in the log.
  await waitFor(
    'the refusals in the log',
    async () =>
      backend
        .output()
        .includes(
          'services/team-search/evil-user/catalog-info.yaml is not used and has never been good',
        ),
    { attempts: 20, intervalMs: 500 },
  );
  expect(backend.output()).toContain('kind Group is refused');
});

test('a restart on the same mirror fetches only what is new, and keeps the last good entity of a broken file', async () => {
  const file = 'services/team-payments/payments-api/catalog-info.yaml';
  await backend.stop();
  const packs = fs.readdirSync(path.join(dir, 'mirror', 'objects', 'pack'));
  await merge({
    [file]: 'kind: [Component\n',
    ...serviceFiles('team-search', 'ranker'),
  });
  const requests = git.requests.length;

  await startBackend();
  await until('component:default/ranker', 'added at start-up', e => !!e);
  const kept = await until('component:default/payments-api', 'its error', e =>
    processingErrors(e).some(m => m.includes('YAML error')),
  );
  expect(kept.metadata.description).toBe('Fixed again');
  expect(await entity('component:default/refunds')).toBeTruthy();

  // No clone: the first fetch's pack is still there, and the server saw one
  // ref listing and one fetch of the new commit.
  expect(fs.readdirSync(path.join(dir, 'mirror', 'objects', 'pack'))).toEqual(
    expect.arrayContaining(packs),
  );
  const since = git.requests.slice(requests);
  expect(since.filter(r => r.method === 'POST')).toHaveLength(2);
  expect(
    since.every(
      r =>
        r.path === '/gitops.git/git-upload-pack' ||
        r.path === '/gitops.git/info/refs',
    ),
  ).toBe(true);
});
