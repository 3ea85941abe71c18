import type { KeycloakOrgUser } from './keycloak/org';

/** A person of the loopback Keycloak realm, as the OIDC issuer signs them in. */
export interface IssuerAccount {
  username: string;
  password: string;
  /** Keycloak user IDs are UUIDs. */
  sub: string;
  name: string;
  email: string;
  emailVerified: boolean;
  /** Keycloak's group membership mapper sends full group paths. */
  groups: string[];
}

/** The realm's people. Passwords are fixtures for this loopback issuer only. */
export const ISSUER_ACCOUNTS = {
  /** In catalog/org.yaml (platform-team); Keycloak adds team-payments. */
  alice: {
    username: 'alice',
    password: 'alice-password',
    sub: '5d0a7c9e-1c55-4e2a-9a51-3f0f1b2f7a01',
    name: 'Alice Keycloak',
    email: 'alice@example.com',
    emailVerified: true,
    groups: ['/engineering/platform-team', '/team-payments', '/Not A Group'],
  },
  /**
   * In catalog/org.yaml (team-search); Keycloak has since put her in
   * platform-team too, which the catalog has not caught up with.
   */
  carol: {
    username: 'carol',
    password: 'carol-password',
    sub: '5d0a7c9e-1c55-4e2a-9a51-3f0f1b2f7a06',
    name: 'Carol Keycloak',
    email: 'carol@example.com',
    emailVerified: true,
    groups: ['/engineering/team-search', '/engineering/platform-team'],
  },
  /** In catalog/org.yaml (team-payments). */
  bob: {
    username: 'bob',
    password: 'bob-password',
    sub: '5d0a7c9e-1c55-4e2a-9a51-3f0f1b2f7a02',
    name: 'Bob Keycloak',
    email: 'bob@example.com',
    emailVerified: true,
    groups: ['/team-payments'],
  },
  /** Not in the catalog; typed alice's address but never verified it. */
  mallory: {
    username: 'mallory',
    password: 'mallory-password',
    sub: '5d0a7c9e-1c55-4e2a-9a51-3f0f1b2f7a03',
    name: 'Mallory',
    email: 'alice@example.com',
    emailVerified: false,
    groups: ['/platform-team'],
  },
  /** A real colleague whom nobody has added to the catalog yet. */
  dave: {
    username: 'dave',
    password: 'dave-password',
    sub: '5d0a7c9e-1c55-4e2a-9a51-3f0f1b2f7a04',
    name: 'Dave',
    email: 'dave@example.com',
    emailVerified: true,
    groups: ['/engineering/team-search'],
  },
  /**
   * Not in the catalog; in the engineering department without a team, so a
   * viewer (with allowUsersWithoutCatalogEntity).
   */
  vera: {
    username: 'vera',
    password: 'vera-password',
    sub: '5d0a7c9e-1c55-4e2a-9a51-3f0f1b2f7a07',
    name: 'Vera',
    email: 'vera@example.com',
    emailVerified: true,
    groups: ['/engineering'],
  },
  /** Not in the catalog and in no Keycloak group: no role in the portal. */
  erin: {
    username: 'erin',
    password: 'erin-password',
    sub: '5d0a7c9e-1c55-4e2a-9a51-3f0f1b2f7a05',
    name: 'Erin',
    email: 'erin@example.com',
    emailVerified: true,
    groups: [],
  },
} satisfies Record<string, IssuerAccount>;

export type IssuerUsername = keyof typeof ISSUER_ACCOUNTS;

/**
 * The realm's people as the Keycloak admin API stand-in lists them
 * (`startKeycloakAdminStandIn({ org: { listed: { users, groups } } })`), so
 * whoever signs in through the issuer has a Keycloak user, and a User entity
 * once the catalog has synced, as in production.
 */
export function keycloakOrgUsers(
  accounts: IssuerAccount[] = Object.values(ISSUER_ACCOUNTS),
): KeycloakOrgUser[] {
  return accounts.map(account => {
    const [firstName, ...rest] = account.name.split(' ');
    return {
      id: account.sub,
      username: account.username,
      email: account.email,
      emailVerified: account.emailVerified,
      firstName,
      lastName: rest.join(' ') || undefined,
      groups: account.groups,
    };
  });
}
