import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import {
  GitHttpServer,
  seedRepository,
  startGitHttpServer,
} from '@internal/dev-git-server';
import {
  ForgeRepository,
  keycloakProviderConfig,
  keycloakRedirectUri,
  OidcIssuer,
  startOidcIssuer,
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
import { signInPeople } from '../support/people';
import { runTask, TaskOutcome } from '../support/tasks';

/**
 * Golden paths write for the requester's own team only, and the change
 * requests they open are read back by their teams only: the real backend,
 * people of every role signed in through the loopback OIDC issuer, and the
 * GitOps repository on the loopback Git server.
 */

const PEOPLE = ['alice', 'bob', 'dave', 'vera', 'erin'] as const;
type Person = (typeof PEOPLE)[number];

const SERVICE = {
  team: 'group:default/team-payments',
  name: 'ledger',
  description: 'Keeps the books.',
  image: 'quay.io/acme/ledger',
  tag: '1.0.0',
  port: 8080,
  healthPath: '/healthz',
  size: 'S',
  replicas: 2,
  autoscaling: false,
  maxReplicas: 5,
};
const BRANCH = 'portal/deploy-service/team-payments/ledger';

let dir: string;
let git: GitHttpServer;
let forge: ForgeRepository;
let issuer: OidcIssuer;
let backend: BackendProcess;
let tokens: Record<Person, string>;

async function api(person: Person | undefined, route: string) {
  const res = await fetch(`${backend.baseUrl}/api/${route}`, {
    headers: person ? { authorization: `Bearer ${tokens[person]}` } : {},
  });
  return { status: res.status, body: await res.text() };
}

function completed(outcome: Awaited<ReturnType<typeof runTask>>): TaskOutcome {
  expect('status' in outcome && outcome.status, JSON.stringify(outcome)).toBe(
    'completed',
  );
  return outcome as TaskOutcome;
}

function failed(outcome: Awaited<ReturnType<typeof runTask>>): string {
  expect('status' in outcome && outcome.status, JSON.stringify(outcome)).toBe(
    'failed',
  );
  return (outcome as TaskOutcome).log.join('\n');
}

/** The GitOps repository with both teams onboarded. */
function seedDir(): string {
  const seed = path.join(dir, 'seed');
  fs.cpSync(path.join(repoRoot, 'gitops'), seed, { recursive: true });
  for (const fixture of ['team-payments', 'team-search-small']) {
    fs.cpSync(
      path.join(
        repoRoot,
        'templates/onboard-team/fixtures',
        fixture,
        'expected',
      ),
      seed,
      { recursive: true },
    );
  }
  return seed;
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(600_000);
  dir = scratchDir('gitops-requests');
  const bare = await seedRepository(
    path.join(dir, 'repos'),
    'gitops.git',
    seedDir(),
  );
  forge = new ForgeRepository(bare);
  git = await startGitHttpServer({ root: path.join(dir, 'repos') });
  const port = await freePort();
  issuer = await startOidcIssuer({
    redirectUris: [keycloakRedirectUri(`http://127.0.0.1:${port}`)],
  });
  const overlay = writeConfig(dir, 'gitops-requests.json', {
    ...listenConfig(port),
    auth: {
      session: { secret: 'gitops-requests-e2e-session-secret' },
      providers: { keycloak: keycloakProviderConfig(issuer) },
      // Lets dave, vera and erin in with the groups of their Keycloak token.
      keycloak: { allowUsersWithoutCatalogEntity: true },
    },
    gitops: {
      repoUrl: git.url('gitops.git'),
      mirrorDirectory: path.join(dir, 'mirror'),
      changeRequests: { pollInterval: { seconds: 2 } },
    },
  });
  backend = spawnBackend({
    port,
    configFiles: [path.join(repoRoot, 'app-config.yaml'), overlay],
  });
  await waitUntilReady(backend);
  tokens = await signInPeople(browser, backend.baseUrl, PEOPLE);
});

test.afterAll(async () => {
  await backend?.stop();
  if (backend)
    fs.writeFileSync(path.join(dir, 'backend.log'), backend.output());
  await git?.stop();
  await issuer?.close();
});

test.describe.serial('change requests of golden paths', () => {
  test("refuses bob a change request for another team's folders, pushing nothing", async () => {
    const forOthers = await runTask(
      backend.baseUrl,
      tokens.bob,
      'deploy-service',
      {
        ...SERVICE,
        team: 'group:default/team-search',
      },
    );
    expect(failed(forOthers)).toMatch(/not allowed|NotAllowed|permission/i);
    expect(
      await forge.tip('portal/deploy-service/team-search/ledger'),
    ).toBeUndefined();
  });

  test("publishes bob's change request for his own team, and records it", async () => {
    const outcome = completed(
      await runTask(backend.baseUrl, tokens.bob, 'deploy-service', SERVICE),
    );
    expect(await forge.tip(BRANCH)).toMatch(/^[0-9a-f]{40}$/);
    const link = outcome.output.links?.find(
      (l: any) => l.title === 'Change request',
    );
    // The portal's own page of the change request, in every setup.
    expect(link.url.startsWith(`${backend.baseUrl}/gitops/changes/`)).toBe(
      true,
    );
    const list = JSON.parse(
      (await api('bob', 'gitops/change-requests?scope=mine')).body,
    );
    expect(list.items).toEqual([
      expect.objectContaining({
        branch: BRANCH,
        state: 'open',
        requester: 'user:default/bob',
      }),
    ]);
  });

  test("never replaces bob's pending change request with alice's different one", async () => {
    const before = await forge.tip(BRANCH);
    const log = failed(
      await runTask(backend.baseUrl, tokens.alice, 'deploy-service', {
        ...SERVICE,
        description: 'Keeps the books, differently.',
      }),
    );
    expect(log).toContain('holds a pending change request of user:default/bob');
    expect(await forge.tip(BRANCH)).toBe(before);
  });

  test('shows a change request and its diff to its team and admins only', async () => {
    const [request] = JSON.parse(
      (await api('bob', 'gitops/change-requests?scope=mine')).body,
    ).items;
    const routes = [
      'gitops/change-requests',
      `gitops/change-requests/${request.id}`,
      `gitops/change-requests/${request.id}/files`,
    ];
    for (const who of ['alice', 'bob'] as const) {
      const files = await api(who, routes[2]);
      expect(files.status, who).toBe(200);
      expect(files.body).toContain(
        'services/team-payments/ledger/base/deployment.yaml',
      );
    }
    // dave (team-search): no such request, no diff, and not in his list.
    expect((await api('dave', routes[1])).status).toBe(404);
    expect((await api('dave', routes[2])).status).toBe(404);
    expect(JSON.parse((await api('dave', routes[0])).body).totalCount).toBe(0);
    // vera (viewer) and erin (no role): no request content at all.
    for (const who of ['vera', 'erin'] as const) {
      for (const route of routes) {
        const answer = await api(who, route);
        expect(answer.status, `${who} ${route}`).toBe(403);
        expect(answer.body).not.toContain('team-payments/ledger');
      }
    }
    for (const route of [
      ...routes,
      'gitops/entity-summary?entityRef=group:default/team-payments',
    ]) {
      expect((await api(undefined, route)).status, route).toBe(401);
    }
  });

  test('follows the merge at the forge and tells bob', async () => {
    await forge.merge(BRANCH, 'main', true);
    await waitFor(
      'the change request marked merged',
      async () => {
        const list = JSON.parse(
          (await api('bob', 'gitops/change-requests?scope=mine')).body,
        );
        return list.items[0]?.state === 'merged';
      },
      { attempts: 60, intervalMs: 500 },
    );
    await waitFor(
      'the merge notification',
      async () => {
        const answer = await api('bob', 'notifications/notifications');
        return (
          answer.status === 200 &&
          answer.body.includes('Merged: Deploy service ledger')
        );
      },
      { attempts: 60, intervalMs: 500 },
    );
  });

  test("lets only platform admins at the plugins' scheduled tasks", async () => {
    const tasks = 'gitops/.backstage/scheduler/v1/tasks';
    for (const who of ['bob', 'dave', 'vera', 'erin'] as const) {
      expect((await api(who, tasks)).status, who).toBe(403);
      const trigger = await fetch(
        `${backend.baseUrl}/api/${tasks}/change-request-poll/trigger`,
        { method: 'POST', headers: { authorization: `Bearer ${tokens[who]}` } },
      );
      expect(trigger.status, who).toBe(403);
    }
    const admin = await api('alice', tasks);
    expect(admin.status).toBe(200);
    expect(admin.body).toContain('change-request-poll');
  });

  test('refuses an image from a registry the platform does not allow', async () => {
    const log = failed(
      await runTask(backend.baseUrl, tokens.bob, 'deploy-service', {
        ...SERVICE,
        name: 'miner',
        image: 'evil.example.com/miner/xmrig',
      }),
    );
    expect(log).toContain('evil.example.com/miner/xmrig');
    expect(
      await forge.tip('portal/deploy-service/team-payments/miner'),
    ).toBeUndefined();
  });
});
