import { ISSUER_ACCOUNTS, keycloakOrgUsers } from './oidcAccounts';
import { startKeycloakAdminStandIn } from './keycloakAdmin';

/*
 * The issuer's people are the admin API's users: whoever signs in through
 * the loopback issuer is a Keycloak user the catalog's org provider reads,
 * under the same id and in the same groups.
 */
describe('keycloakOrgUsers', () => {
  it("lists the issuer's accounts as the admin API's users and members", async () => {
    const keycloak = await startKeycloakAdminStandIn({
      org: {
        listed: {
          users: keycloakOrgUsers(),
          groups: ['/engineering', '/engineering/platform-team'],
        },
      },
    });
    try {
      const token = await fetch(
        `${keycloak.baseUrl}/realms/${keycloak.realm}/protocol/openid-connect/token`,
        {
          method: 'POST',
          body: new URLSearchParams({
            grant_type: 'client_credentials',
            client_id: keycloak.clientId,
            client_secret: keycloak.clientSecret,
          }),
        },
      ).then(r => r.json());
      const get = (path: string) =>
        fetch(`${keycloak.baseUrl}/admin/realms/${keycloak.realm}${path}`, {
          headers: { authorization: `Bearer ${token.access_token}` },
        }).then(r => r.json());

      const users = await get('/users?max=100');
      expect(users).toHaveLength(Object.keys(ISSUER_ACCOUNTS).length);
      const { alice } = ISSUER_ACCOUNTS;
      expect(users.find((u: any) => u.username === 'alice')).toEqual(
        expect.objectContaining({
          id: alice.sub,
          email: alice.email,
          emailVerified: true,
          firstName: 'Alice',
          lastName: 'Keycloak',
        }),
      );
      expect(users.find((u: any) => u.username === 'mallory')).toEqual(
        expect.objectContaining({ emailVerified: false }),
      );

      const [engineering] = await get('/groups');
      const [platform] = await get(`/groups/${engineering.id}/children`);
      expect(platform.path).toBe('/engineering/platform-team');
      const members = await get(`/groups/${platform.id}/members`);
      // Exactly the accounts whose groups name the path.
      expect(members.map((u: any) => u.username).sort()).toEqual([
        'alice',
        'carol',
      ]);
      expect(
        (await get(`/groups/${engineering.id}/members`)).map(
          (u: any) => u.username,
        ),
      ).toEqual(['vera']);
    } finally {
      await keycloak.close();
    }
  });
});
