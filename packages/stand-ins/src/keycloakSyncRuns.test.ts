import { startKeycloakAdminStandIn } from './keycloakAdmin';
import { keycloakOrgProvider } from './keycloak/orgProvider';
import { recordMetrics } from './metricsRecorder';

// The provider asks the global meter provider for its meter.
const recorder = recordMetrics({ global: true });

/**
 * The portal's patch of the Keycloak org provider (.yarn/patches) counts
 * every sync by result: the provider catches its own errors, so the
 * scheduler counts a failed sync as completed.
 */
describe('portal.keycloak.sync.runs', () => {
  it('counts successful and failed syncs of the real provider', async () => {
    const keycloak = await startKeycloakAdminStandIn({
      org: {
        listed: {
          users: [
            {
              username: 'alice',
              email: 'alice@example.com',
              groups: ['/engineering'],
            },
          ],
          groups: ['/engineering'],
        },
      },
    });
    let sync: (() => Promise<void>) | undefined;
    await keycloakOrgProvider(keycloak, {
      schedule: {
        run: async task => {
          sync = () => task.fn(new AbortController().signal) as Promise<void>;
        },
      },
    });
    try {
      await sync!();
      await sync!();
      keycloak.failAfter(0);
      // The scheduled function swallows the error, as the scheduler sees it.
      await expect(sync!()).resolves.toBeUndefined();
    } finally {
      keycloak.heal();
      await keycloak.close();
    }
    expect(await recorder.points('portal.keycloak.sync.runs')).toEqual(
      expect.arrayContaining([
        { attributes: { result: 'success' }, value: 2 },
        { attributes: { result: 'failure' }, value: 1 },
      ]),
    );
  });
});
