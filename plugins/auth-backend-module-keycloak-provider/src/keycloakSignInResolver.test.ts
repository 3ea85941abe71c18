import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  ConflictError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { OidcAuthResult } from '@backstage/plugin-auth-backend-module-oidc-provider';
import {
  AuthResolverCatalogUserQuery,
  AuthResolverContext,
  TokenParams,
} from '@backstage/plugin-auth-node';
import {
  createKeycloakSignInResolver,
  readKeycloakSignInOptions,
} from './keycloakSignInResolver';

/** A User entity as the catalog serves it, with its memberOf relations. */
function user(name: string, email: string, memberOf: string[]): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name, namespace: 'default' },
    spec: { profile: { email }, memberOf },
    relations: memberOf.map(group => ({
      type: 'memberOf',
      targetRef: `group:default/${group}`,
    })),
  };
}

const catalogUsers = [
  user('alice', 'alice@example.com', ['platform-team']),
  user('bob', 'bob@example.com', ['team-payments']),
  user('carol', 'carol@example.com', ['team-search']),
];

/** An AuthResolverContext over an in-memory catalog that records what it issues. */
function fakeContext(users: Entity[] = catalogUsers) {
  const issued: TokenParams['claims'][] = [];
  const queries: AuthResolverCatalogUserQuery[] = [];
  const ctx: AuthResolverContext = {
    async findCatalogUser(query) {
      queries.push(query);
      let matches: Entity[] = [];
      if ('entityRef' in query && typeof query.entityRef === 'object') {
        const { name } = query.entityRef;
        matches = users.filter(
          u => u.metadata.name.toLowerCase() === name.toLowerCase(),
        );
      } else if ('filter' in query && !Array.isArray(query.filter)) {
        const email = String(query.filter['spec.profile.email']).toLowerCase();
        matches = users.filter(
          u => String((u.spec as any).profile.email).toLowerCase() === email,
        );
      } else {
        throw new Error(`unexpected query ${JSON.stringify(query)}`);
      }
      if (matches.length > 1) {
        throw new ConflictError('User lookup resulted in multiple matches');
      }
      if (matches.length === 0) {
        throw new NotFoundError('User not found');
      }
      return { entity: matches[0] };
    },
    async resolveOwnershipEntityRefs() {
      throw new Error(
        'the Keycloak resolver takes ownership from keycloakOwnershipRefs, the rule the explain endpoint shares',
      );
    },
    async issueToken({ claims }) {
      issued.push(claims);
      return { token: `backstage-token-for-${claims.sub}` };
    },
    async signInWithCatalogUser() {
      throw new Error(
        'the Keycloak resolver must not use signInWithCatalogUser',
      );
    },
  };
  return { ctx, issued, queries };
}

const ACCESS_TOKEN = 'keycloak-access-token-secret';
const ID_TOKEN = 'keycloak-id-token-secret';

function signInInfo(
  userinfo: Record<string, unknown>,
  idTokenClaims: Record<string, unknown> = {},
) {
  const fullProfile = {
    userinfo: { sub: 'f3c1d7e2', ...userinfo },
    tokenset: {
      access_token: ACCESS_TOKEN,
      id_token: ID_TOKEN,
      claims: () => ({ sub: 'f3c1d7e2', ...idTokenClaims }),
    },
  } as unknown as OidcAuthResult;
  return {
    profile: {},
    result: {
      fullProfile,
      session: {
        accessToken: ACCESS_TOKEN,
        idToken: ID_TOKEN,
        tokenType: 'bearer',
        scope: 'openid profile email',
      },
    },
  };
}

function resolver(
  allowUsersWithoutCatalogEntity = false,
  record: (ref: string, refs: string[]) => Promise<void> = async () => {},
) {
  const logger = mockServices.logger.mock();
  const recorded: Array<[string, string[]]> = [];
  return {
    logger,
    recorded,
    resolve: createKeycloakSignInResolver({
      allowUsersWithoutCatalogEntity,
      logger,
      records: {
        async record(ref, refs) {
          await record(ref, refs);
          recorded.push([ref, refs]);
        },
      },
    }),
  };
}

describe('createKeycloakSignInResolver', () => {
  it('signs in by preferred_username with catalog groups and token groups', async () => {
    const { ctx, issued } = fakeContext();
    const result = await resolver().resolve(
      signInInfo({
        preferred_username: 'alice',
        email: 'alice@example.com',
        email_verified: true,
        groups: ['/engineering/team-payments', '/platform-team', '/Not Valid'],
      }),
      ctx,
    );
    expect(result.token).toBe('backstage-token-for-user:default/alice');
    expect(issued).toEqual([
      {
        sub: 'user:default/alice',
        ent: [
          'user:default/alice',
          'group:default/platform-team',
          'group:default/team-payments',
        ],
      },
    ]);
  });

  it('records what each sign-in issued, for the explain endpoint', async () => {
    const { ctx, issued } = fakeContext();
    const { resolve, recorded } = resolver(true);
    await resolve(
      signInInfo({ preferred_username: 'alice', groups: ['/team-payments'] }),
      ctx,
    );
    await resolve(
      signInInfo({ preferred_username: 'dave', groups: ['/team-search'] }),
      ctx,
    );
    expect(recorded).toEqual(issued.map(claims => [claims.sub, claims.ent]));
    expect(recorded).toEqual([
      [
        'user:default/alice',
        [
          'user:default/alice',
          'group:default/platform-team',
          'group:default/team-payments',
        ],
      ],
      ['user:default/dave', ['user:default/dave', 'group:default/team-search']],
    ]);
  });

  it('signs the person in even when the record cannot be written, and says so', async () => {
    const { ctx } = fakeContext();
    const { resolve, logger } = resolver(false, async () => {
      throw new Error('database is read-only');
    });
    await expect(
      resolve(signInInfo({ preferred_username: 'bob' }), ctx),
    ).resolves.toEqual({ token: 'backstage-token-for-user:default/bob' });
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        'Could not record the Keycloak sign-in of user:default/bob',
      ),
    );
  });

  it('records nothing for a refused sign-in', async () => {
    const { ctx } = fakeContext();
    const { resolve, recorded } = resolver();
    await expect(
      resolve(signInInfo({ preferred_username: 'dave' }), ctx),
    ).rejects.toThrow('no User entity');
    expect(recorded).toEqual([]);
  });

  it('prefers the username over an email that belongs to someone else', async () => {
    const { ctx, issued } = fakeContext();
    await resolver().resolve(
      signInInfo({
        preferred_username: 'bob',
        email: 'alice@example.com',
        email_verified: true,
      }),
      ctx,
    );
    expect(issued[0].sub).toBe('user:default/bob');
  });

  it('falls back to a verified email matching spec.profile.email', async () => {
    const { ctx, issued, queries } = fakeContext();
    await resolver().resolve(
      signInInfo({
        preferred_username: 'c.jones',
        email: 'Carol@Example.com',
        email_verified: true,
        groups: ['/team-search'],
      }),
      ctx,
    );
    expect(queries).toEqual([
      { entityRef: { kind: 'User', namespace: 'default', name: 'c.jones' } },
      { filter: { kind: 'User', 'spec.profile.email': 'Carol@Example.com' } },
    ]);
    expect(issued).toEqual([
      {
        sub: 'user:default/carol',
        ent: ['user:default/carol', 'group:default/team-search'],
      },
    ]);
  });

  it.each([
    ['false', false],
    ['missing', undefined],
    ['the string "true"', 'true'],
  ])(
    'never resolves an email whose email_verified is %s, even if it is another user’s',
    async (_, emailVerified) => {
      const { ctx, issued, queries } = fakeContext();
      await expect(
        resolver().resolve(
          signInInfo({
            preferred_username: 'mallory',
            email: 'alice@example.com',
            email_verified: emailVerified,
          }),
          ctx,
        ),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
        message:
          "Keycloak user 'mallory' has no User entity in the catalog; ask the platform team to add one",
      });
      expect(queries.some(q => 'filter' in q)).toBe(false);
      expect(issued).toEqual([]);
    },
  );

  it('refuses a person without a User entity with a message that says what to do', async () => {
    const { ctx, issued } = fakeContext();
    await expect(
      resolver().resolve(
        signInInfo({
          preferred_username: 'dave',
          email: 'dave@example.com',
          email_verified: true,
          groups: ['/team-search'],
        }),
        ctx,
      ),
    ).rejects.toThrow(
      "Keycloak user 'dave' has no User entity in the catalog; ask the platform team to add one",
    );
    expect(issued).toEqual([]);
  });

  it('names the subject when Keycloak sends no username', async () => {
    const { ctx } = fakeContext();
    await expect(
      resolver().resolve(signInInfo({ email_verified: false }), ctx),
    ).rejects.toThrow("Keycloak user 'f3c1d7e2' has no User entity");
  });

  it('lets a person without a User entity in only when the setting allows it, with token groups only', async () => {
    const { ctx, issued } = fakeContext();
    await resolver(true).resolve(
      signInInfo({
        preferred_username: 'dave',
        email: 'dave@example.com',
        email_verified: true,
        groups: ['/engineering/team-search', '/Engineering'],
      }),
      ctx,
    );
    expect(issued).toEqual([
      {
        sub: 'user:default/dave',
        ent: [
          'user:default/dave',
          'group:default/team-search',
          'group:default/engineering',
        ],
      },
    ]);
  });

  it('still uses the catalog entity when the setting is on', async () => {
    const { ctx, issued } = fakeContext();
    await resolver(true).resolve(
      signInInfo({ preferred_username: 'alice' }),
      ctx,
    );
    expect(issued[0].ent).toEqual([
      'user:default/alice',
      'group:default/platform-team',
    ]);
  });

  it('refuses even with the setting on when the username is not a valid entity name', async () => {
    const { ctx, issued } = fakeContext();
    await expect(
      resolver(true).resolve(
        signInInfo({ preferred_username: 'dave smith' }),
        ctx,
      ),
    ).rejects.toThrow("Keycloak user 'dave smith' has no User entity");
    expect(issued).toEqual([]);
  });

  it('refuses a verified email that belongs to several User entities', async () => {
    const { ctx, issued } = fakeContext([
      ...catalogUsers,
      user('alice2', 'alice@example.com', []),
    ]);
    await expect(
      resolver().resolve(
        signInInfo({
          preferred_username: 'a.smith',
          email: 'alice@example.com',
          email_verified: true,
        }),
        ctx,
      ),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining('more than one User entity'),
    });
    expect(issued).toEqual([]);
  });

  it('does not mistake an unreachable catalog for a missing user', async () => {
    const { ctx } = fakeContext();
    ctx.findCatalogUser = async () => {
      throw new ServiceUnavailableError('catalog is down');
    };
    await expect(
      resolver(true).resolve(signInInfo({ preferred_username: 'alice' }), ctx),
    ).rejects.toThrow('catalog is down');
  });

  it('reads groups from the ID token when userinfo carries none', async () => {
    const { ctx, issued } = fakeContext();
    await resolver().resolve(
      signInInfo(
        { preferred_username: 'bob' },
        { preferred_username: 'ignored', groups: ['/team-search'] },
      ),
      ctx,
    );
    expect(issued[0]).toEqual({
      sub: 'user:default/bob',
      ent: [
        'user:default/bob',
        'group:default/team-payments',
        'group:default/team-search',
      ],
    });
  });

  it('does not pair a userinfo email with a verification flag from the ID token', async () => {
    const { ctx, issued } = fakeContext();
    await expect(
      resolver().resolve(
        signInInfo(
          { preferred_username: 'mallory', email: 'alice@example.com' },
          { email: 'mallory@example.com', email_verified: true },
        ),
        ctx,
      ),
    ).rejects.toThrow("Keycloak user 'mallory' has no User entity");
    expect(issued).toEqual([]);
  });

  it('never logs the Keycloak tokens', async () => {
    const { ctx } = fakeContext();
    const { resolve, logger } = resolver(true);
    await resolve(signInInfo({ preferred_username: 'dave' }), ctx);
    await resolve(signInInfo({ preferred_username: 'alice' }), ctx);
    await resolver()
      .resolve(signInInfo({ preferred_username: 'dave' }), ctx)
      .catch(() => undefined);
    const logged = JSON.stringify([
      (logger.info as jest.Mock).mock.calls,
      (logger.warn as jest.Mock).mock.calls,
      (logger.debug as jest.Mock).mock.calls,
      (logger.error as jest.Mock).mock.calls,
    ]);
    expect(logged).toContain('dave');
    expect(logged).not.toContain(ACCESS_TOKEN);
    expect(logged).not.toContain(ID_TOKEN);
  });
});

describe('readKeycloakSignInOptions', () => {
  it('refuses users without a catalog entity unless configured otherwise', () => {
    expect(
      readKeycloakSignInOptions(mockServices.rootConfig({ data: {} })),
    ).toEqual({ allowUsersWithoutCatalogEntity: false });
    expect(
      readKeycloakSignInOptions(
        mockServices.rootConfig({
          data: {
            auth: { keycloak: { allowUsersWithoutCatalogEntity: true } },
          },
        }),
      ),
    ).toEqual({ allowUsersWithoutCatalogEntity: true });
  });
});
