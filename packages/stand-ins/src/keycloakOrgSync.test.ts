import {
  KeycloakAdminStandIn,
  KeycloakRequestKind,
  startKeycloakAdminStandIn,
} from './keycloakAdmin';
import { keycloakOrgProvider } from './keycloak/orgProvider';

/**
 * What the portal relies on from the real Keycloak org provider (patched,
 * .yarn/patches) at any realm size, checked on small realms so that an
 * upgrade that drops it fails here: `maxConcurrency` bounds the requests in
 * flight, and a sync that fails part way commits nothing, so the catalog
 * keeps the last good org. The same at 10,000 users: bench/keycloak-sync.
 */
describe('the Keycloak org sync against the admin API stand-in', () => {
  let keycloak: KeycloakAdminStandIn | undefined;
  afterEach(async () => {
    keycloak?.heal();
    await keycloak?.close();
    keycloak = undefined;
  });

  /** A nested realm whose users and top-level groups take several pages. */
  async function start(latencyMs = 0) {
    keycloak = await startKeycloakAdminStandIn({
      org: { generated: { users: 100, groups: 24, roots: 3 } },
      latencyMs,
    });
    return keycloak;
  }
  const pages = { userQuerySize: 10, groupQuerySize: 1 };

  /** The provider's scheduled task, run by hand as the scheduler would. */
  async function scheduled(standIn: KeycloakAdminStandIn) {
    let task: ((signal: AbortSignal) => Promise<unknown>) | undefined;
    const { mutations } = await keycloakOrgProvider(standIn, {
      config: pages,
      schedule: {
        run: async ({ fn }) => {
          task = fn as typeof task;
        },
      },
    });
    const run = (signal = new AbortController().signal) => task!(signal);
    return { run, mutations };
  }

  describe('maxConcurrency', () => {
    it('bounds the requests in flight at Keycloak to the configured number', async () => {
      const standIn = await start(5);
      const { provider, mutations } = await keycloakOrgProvider(standIn, {
        config: { ...pages, maxConcurrency: 3 },
      });
      await provider.read({ taskInstanceId: 'bounded' });
      expect(mutations).toHaveLength(1);
      // Reached, so the bound is what held it back.
      expect(standIn.stats().peakConcurrency).toBe(3);
    });

    it('defaults to more, so the setting is what bounds it', async () => {
      const standIn = await start(5);
      const { provider } = await keycloakOrgProvider(standIn, {
        config: pages,
      });
      await provider.read({ taskInstanceId: 'default' });
      const { peakConcurrency } = standIn.stats();
      expect(peakConcurrency).toBeGreaterThan(3);
      expect(peakConcurrency).toBeLessThanOrEqual(20);
    });
  });

  describe('a sync that fails part way keeps the last good org', () => {
    // Each kind of request the provider makes fails once, after the first
    // of its kind where a sync makes several.
    const kinds: Array<[KeycloakRequestKind, number]> = [
      ['token', 0],
      ['users/count', 0],
      ['users', 1],
      ['groups/count', 0],
      ['groups', 1],
      ['serverinfo', 0],
      ['group/children', 1],
      ['group/members', 10],
      ['group', 10],
    ];
    it.each(kinds)(
      'commits nothing when %s answers 500 once',
      async (kind, after) => {
        const standIn = await start();
        const { run, mutations } = await scheduled(standIn);
        await run();
        expect(mutations).toHaveLength(1);

        const before = standIn.stats().byKind[kind] ?? 0;
        standIn.failAfter(after, { only: [kind], times: 1 });
        // The provider catches its own error, as the scheduler sees it.
        await expect(run()).resolves.toBeUndefined();
        expect(standIn.stats().byKind[kind]).toBeGreaterThan(before + after);
        expect(mutations).toHaveLength(1);

        // Nothing sticks: the next sync commits the whole org again.
        await run();
        expect(mutations).toHaveLength(2);
        expect(mutations[1]).toHaveLength(mutations[0].length);
      },
    );

    it('commits nothing when Keycloak hangs until the run times out', async () => {
      const standIn = await start();
      const { run, mutations } = await scheduled(standIn);
      await run();
      const before = standIn.stats().byKind['group/members']!;
      standIn.failAfter(10, { mode: 'hang', only: ['group/members'] });
      // As the scheduler does at the run's schedule.timeout.
      const started = Date.now();
      const ended = await run(AbortSignal.timeout(500));
      // The abort ended it: Keycloak never answered.
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(ended).toBeUndefined();
      expect(standIn.stats().byKind['group/members']).toBeGreaterThan(
        before + 10,
      );
      expect(mutations).toHaveLength(1);

      standIn.heal();
      await run();
      expect(mutations).toHaveLength(2);
    });
  });
});
