import {
  KeycloakAdminStandIn,
  KeycloakAdminStandInOptions,
  startKeycloakAdminStandIn,
} from './keycloakAdmin';
import { syncOnce as sync } from './keycloak/orgProvider';

describe('startKeycloakAdminStandIn', () => {
  let keycloak: KeycloakAdminStandIn | undefined;
  async function start(options: KeycloakAdminStandInOptions) {
    keycloak = await startKeycloakAdminStandIn(options);
    return keycloak;
  }
  afterEach(async () => {
    await keycloak?.close();
    keycloak = undefined;
  });

  it('serves a listed org with memberships and nesting, in Keycloak shapes', async () => {
    const standIn = await start({
      org: {
        listed: {
          users: [
            {
              username: 'alice',
              email: 'alice@example.com',
              groups: ['/engineering/platform-team'],
            },
            {
              username: 'bob',
              firstName: 'Bob',
              lastName: 'B',
              groups: ['/team-payments'],
            },
          ],
          groups: [
            '/engineering',
            '/engineering/platform-team',
            '/team-payments',
          ],
        },
      },
    });
    const { users, groups } = await sync(standIn);
    expect(users.map((u: any) => [u.metadata.name, u.spec.memberOf])).toEqual([
      ['alice', ['platform-team']],
      ['bob', ['team-payments']],
    ]);
    expect(users[1].spec.profile.displayName).toBe('Bob B');
    const byName = Object.fromEntries(
      groups.map((g: any) => [g.metadata.name, g.spec]),
    );
    expect(byName.engineering).toMatchObject({
      children: ['platform-team'],
      members: [],
    });
    expect(byName['platform-team']).toMatchObject({
      parent: 'engineering',
      members: ['alice'],
    });
    expect(byName['team-payments']).toMatchObject({
      children: [],
      members: ['bob'],
    });
  });

  it('serves a generated, nested org to the real provider, and counts what it saw', async () => {
    const standIn = await start({
      org: { generated: { users: 300, groups: 30 } },
    });
    const { users, groups } = await sync(standIn);
    expect(users).toHaveLength(300);
    expect(groups).toHaveLength(30);
    const user = users.find((u: any) => u.metadata.name === 'user-123');
    expect(user.spec.memberOf).toEqual(['group-003']);
    const group = groups.find((g: any) => g.metadata.name === 'group-023');
    expect(group.spec.members).toHaveLength(10);
    // 23 = 10 + 3 * 4 + 1: the second child of group 4.
    expect(group.spec.parent).toBe('group-004');
    const root = groups.find((g: any) => g.metadata.name === 'group-000');
    expect(root.spec.children).toEqual(['group-010', 'group-011', 'group-012']);

    const stats = standIn.stats();
    // 3 user pages; per group, a page of members and the empty page after.
    expect(stats.byKind.users).toBe(3);
    expect(stats.byKind['group/members']).toBe(60);
    expect(stats.meanPerSecond).toBeGreaterThan(0);
    expect(stats.firstAt).toBeLessThanOrEqual(stats.lastAt!);
  });

  it('computes an org of any size on demand', async () => {
    const heapBefore = process.memoryUsage().heapUsed;
    const standIn = await start({
      org: { generated: { users: 10_000_000, groups: 1_000_000 } },
    });
    const { token } = await login(standIn);
    const get = async (path: string) => {
      const res = await fetch(`${standIn.baseUrl}/admin/realms/portal${path}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(200);
      return res.json();
    };
    expect(await get('/users/count')).toBe(10_000_000);
    expect(await get('/groups/count')).toEqual({ count: 1_000_000 });
    expect(await get('/groups/count?top=true')).toEqual({ count: 10 });
    const [last] = await get(
      '/users?first=9999999&max=5&briefRepresentation=true',
    );
    expect(last).toMatchObject({ username: 'user-09999999', enabled: true });
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(50e6);
  });

  it('refuses the admin API without a token of its own, and a wrong client secret', async () => {
    const standIn = await start({
      org: { generated: { users: 3, groups: 1 } },
    });
    const users = `${standIn.baseUrl}/admin/realms/portal/users`;
    expect((await fetch(users)).status).toBe(401);
    expect(
      (await fetch(users, { headers: { authorization: 'Bearer a.b.c' } }))
        .status,
    ).toBe(401);
    expect((await login(standIn, 'wrong-secret')).status).toBe(401);
    const { token } = await login(standIn);
    expect(
      (await fetch(users, { headers: { authorization: `Bearer ${token}` } }))
        .status,
    ).toBe(200);
  });

  it('fails a sync part way with 500s after N requests, until healed', async () => {
    const standIn = await start({
      org: { generated: { users: 300, groups: 30 } },
    });
    standIn.failAfter(10, { only: ['group/members'] });
    await expect(sync(standIn)).rejects.toThrow('unknown_error');
    expect(standIn.stats().byKind['group/members']).toBeGreaterThan(10);
    standIn.heal();
    await expect(sync(standIn)).resolves.toMatchObject({
      users: expect.any(Array),
    });
  });

  it('can hang instead, so a sync never finishes on its own, until healed', async () => {
    const standIn = await start({
      org: { generated: { users: 300, groups: 30 } },
    });
    standIn.failAfter(5, { mode: 'hang' });
    const hanging = sync(standIn).then(
      () => 'finished',
      () => 'failed',
    );
    const outcome = await Promise.race([
      hanging,
      new Promise(resolve => setTimeout(() => resolve('still waiting'), 2_000)),
    ]);
    expect(outcome).toBe('still waiting');
    // As a restarted Keycloak would: the hung connections drop.
    standIn.heal();
    await expect(hanging).resolves.toBe('failed');
    await expect(sync(standIn)).resolves.toMatchObject({
      users: expect.any(Array),
    });
  });

  it('fails only as many requests as asked, then answers again', async () => {
    const standIn = await start({
      org: { generated: { users: 3, groups: 1 } },
    });
    standIn.failAfter(1, { only: ['users/count'], times: 1 });
    const { token } = await login(standIn);
    const count = () =>
      fetch(`${standIn.baseUrl}/admin/realms/portal/users/count`, {
        headers: { authorization: `Bearer ${token}` },
      }).then(res => res.status);
    expect([await count(), await count(), await count()]).toEqual([
      200, 500, 200,
    ]);
    expect(standIn.stats().byKind['users/count']).toBe(3);
  });
});

async function login(
  standIn: KeycloakAdminStandIn,
  secret = standIn.clientSecret,
) {
  const res = await fetch(
    `${standIn.baseUrl}/realms/${standIn.loginRealm}/protocol/openid-connect/token`,
    {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(
          `${standIn.clientId}:${secret}`,
        ).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    },
  );
  return {
    status: res.status,
    token: res.ok ? (await res.json()).access_token : '',
  };
}
