import { Org, OrgGroup, OrgUser, Sequence } from './org';

/** The calls the catalog's Keycloak org provider makes, for stats and faults. */
export type KeycloakRequestKind =
  | 'token'
  | 'serverinfo'
  | 'users'
  | 'users/count'
  | 'groups'
  | 'groups/count'
  | 'group'
  | 'group/children'
  | 'group/members'
  | 'unknown';

function userRepresentation(user: OrgUser, brief: boolean) {
  const representation = {
    ...user,
    enabled: true,
    createdTimestamp: 1735689600000,
  };
  return brief
    ? representation
    : {
        ...representation,
        totp: false,
        attributes: {},
        requiredActions: [],
        disableableCredentialTypes: [],
        notBefore: 0,
        access: { manage: false, impersonate: false, view: true },
      };
}

function groupRepresentation(group: OrgGroup, brief: boolean) {
  // Since Keycloak 23 subgroups are paged through /children, never inlined.
  const representation = { ...group, subGroups: [] };
  return brief
    ? representation
    : {
        ...representation,
        attributes: {},
        realmRoles: [],
        clientRoles: {},
        access: {
          view: true,
          viewMembers: true,
          manageMembers: false,
          manage: false,
          manageMembership: false,
        },
      };
}

/** One page of a sequence, with Keycloak's `first`/`max` query parameters. */
function page(sequence: Sequence, query: URLSearchParams, defaultMax: number) {
  const first = Number(query.get('first') ?? 0);
  const max = Number(query.get('max') ?? defaultMax);
  if (!Number.isInteger(first) || !Number.isInteger(max) || first < 0) {
    return undefined;
  }
  const end = max < 0 ? sequence.count : Math.min(sequence.count, first + max);
  const positions: number[] = [];
  for (let p = first; p < end; p++) {
    positions.push(sequence.at(p));
  }
  return positions;
}

/** What the stand-in answers to one request, and what kind of call it was. */
export type Answer = {
  kind: KeycloakRequestKind;
  status: number;
  body?: unknown;
};

/**
 * Answers one authenticated admin API call: the server version, or a call
 * on the realm's users and groups, as Keycloak 26 does.
 */
export function adminAnswer(
  org: Org,
  server: { realm: string; version: string },
  method: string | undefined,
  url: URL,
): Answer {
  if (url.pathname === '/admin/serverinfo') {
    const systemInfo = { version: server.version };
    return { kind: 'serverinfo', status: 200, body: { systemInfo } };
  }
  const prefix = `/admin/realms/${server.realm}/`;
  if (method !== 'GET' || !url.pathname.startsWith(prefix)) {
    return { kind: 'unknown', status: 404, body: { error: 'unknown_error' } };
  }
  // The admin client asks for collections with a trailing slash.
  const rest = `/${url.pathname.slice(prefix.length).replace(/\/+$/, '')}`;
  return realmAnswer(org, rest, url.searchParams);
}

function realmAnswer(org: Org, rest: string, query: URLSearchParams): Answer {
  const brief = (fallback: boolean) =>
    (query.get('briefRepresentation') ?? String(fallback)) === 'true';
  const list = (
    kind: KeycloakRequestKind,
    positions: number[] | undefined,
    item: (index: number) => unknown,
  ): Answer =>
    positions
      ? { kind, status: 200, body: positions.map(item) }
      : { kind, status: 400, body: { error: 'invalid first or max' } };

  if (rest === '/users/count') {
    return { kind: 'users/count', status: 200, body: org.users.count };
  }
  if (rest === '/users') {
    return list('users', page(org.users, query, 100), i =>
      userRepresentation(org.user(i), brief(false)),
    );
  }
  if (rest === '/groups/count') {
    const top = query.get('top') === 'true';
    const count = top ? org.topLevel.count : org.groupCount;
    return { kind: 'groups/count', status: 200, body: { count } };
  }
  if (rest === '/groups') {
    return list('groups', page(org.topLevel, query, 100), i =>
      groupRepresentation(org.group(i), brief(true)),
    );
  }
  const match = /^\/groups\/([^/]+)(?:\/(children|members))?$/.exec(rest);
  if (!match) {
    return { kind: 'unknown', status: 404, body: { error: 'unknown_error' } };
  }
  const kind = match[2]
    ? (`group/${match[2]}` as 'group/children' | 'group/members')
    : 'group';
  const index = org.groupIndex(match[1]);
  if (index === undefined) {
    return { kind, status: 404, body: { error: 'Could not find group by id' } };
  }
  if (kind === 'group/children') {
    return list(kind, page(org.children(index), query, 10), i =>
      groupRepresentation(org.group(i), brief(false)),
    );
  }
  if (kind === 'group/members') {
    return list(kind, page(org.members(index), query, 100), i =>
      userRepresentation(org.user(i), brief(false)),
    );
  }
  return {
    kind,
    status: 200,
    body: groupRepresentation(org.group(index), false),
  };
}
