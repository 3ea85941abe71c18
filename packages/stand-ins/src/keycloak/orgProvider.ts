import { KeycloakOrgEntityProvider } from '@backstage-community/plugin-catalog-backend-module-keycloak';
import { mockServices } from '@backstage/backend-test-utils';
import type { KeycloakAdminStandIn } from '../keycloakAdmin';

/** The scheduler's task runner, as the provider takes it. */
type TaskRunner = Extract<
  Parameters<typeof KeycloakOrgEntityProvider.fromConfig>[1],
  { schedule: unknown }
>['schedule'];

/** Where the provider finds the stand-in (a stand-in in another process too). */
export type KeycloakConnection = Pick<
  KeycloakAdminStandIn,
  'baseUrl' | 'realm' | 'loginRealm' | 'clientId' | 'clientSecret'
>;

/** One full mutation the provider applied: the entities it committed. */
export type AppliedOrg = Array<{ entity: { kind: string } }>;

/**
 * The catalog's real Keycloak org provider (patched, with its
 * @keycloak/keycloak-admin-client), run in-process against the stand-in,
 * with a catalog connection that records the full mutations it applies.
 * `config` adds to its `catalog.providers.keycloakOrg.test` entry;
 * `schedule` gets the provider's scheduled task (by default it is dropped).
 * Used by the stand-in's tests and by bench/keycloak-sync, so it logs
 * nothing and needs no Jest.
 */
export async function keycloakOrgProvider(
  keycloak: KeycloakConnection,
  options: {
    config?: Record<string, unknown>;
    schedule?: TaskRunner;
  } = {},
) {
  const [provider] = KeycloakOrgEntityProvider.fromConfig(
    {
      config: mockServices.rootConfig({
        data: {
          catalog: {
            providers: {
              keycloakOrg: {
                test: {
                  baseUrl: keycloak.baseUrl,
                  loginRealm: keycloak.loginRealm,
                  realm: keycloak.realm,
                  clientId: keycloak.clientId,
                  clientSecret: keycloak.clientSecret,
                  ...options.config,
                },
              },
            },
          },
        },
      }),
      logger: mockServices.rootLogger({ level: 'none' }),
    },
    { schedule: options.schedule ?? { run: async () => {} } },
  );
  const mutations: AppliedOrg[] = [];
  await provider.connect({
    applyMutation: async mutation => {
      if (mutation.type === 'full') {
        mutations.push(mutation.entities);
      }
    },
    refresh: async () => {},
  });
  return { provider, mutations };
}

/** The users and groups of an applied mutation. */
export function committed(mutation: AppliedOrg) {
  const entities = mutation.map(e => e.entity);
  return {
    users: entities.filter(e => e.kind === 'User') as any[],
    groups: entities.filter(e => e.kind === 'Group') as any[],
  };
}

/** One sync outside the scheduler: the users and groups it would commit. */
export async function syncOnce(
  keycloak: KeycloakConnection,
  config?: Record<string, unknown>,
) {
  const { provider, mutations } = await keycloakOrgProvider(keycloak, {
    config,
  });
  const started = Date.now();
  await provider.read({ taskInstanceId: 'sync-once' });
  return { ms: Date.now() - started, ...committed(mutations[0]) };
}
