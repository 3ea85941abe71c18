/**
 * The users and groups of the Keycloak admin API stand-in, as index
 * arithmetic: a listed org (a few named people, for sign-in tests) and a
 * generated one (any size, nothing stored per user or group), behind one
 * interface so the HTTP side does not care which it serves.
 */

/** A person of a listed org. */
export interface KeycloakOrgUser {
  username: string;
  /** Keycloak user IDs are UUIDs; generated from the position if missing. */
  id?: string;
  email?: string;
  emailVerified?: boolean;
  firstName?: string;
  lastName?: string;
  /** Full paths of the groups the person is a direct member of. */
  groups: string[];
}

/** A generated org: user `i` is a member of group `i mod groups`. */
export interface GeneratedOrg {
  users: number;
  groups: number;
  /** Top-level groups; defaults to 10 (fewer if there are fewer groups). */
  roots?: number;
  /** Subgroups per group; defaults to 3, so 1,000 groups nest 5 deep. */
  branching?: number;
}

/** A user as the org knows it, before Keycloak's representation. */
export interface OrgUser {
  id: string;
  username: string;
  email?: string;
  emailVerified: boolean;
  firstName?: string;
  lastName?: string;
}

/** A group as the org knows it, before Keycloak's representation. */
export interface OrgGroup {
  id: string;
  name: string;
  path: string;
  parentId?: string;
  subGroupCount: number;
}

/** An ordered list served a page at a time: its length and its i-th item. */
export interface Sequence {
  count: number;
  at(position: number): number;
}

/** Users and groups by index, with the relations the admin API pages through. */
export interface Org {
  users: Sequence;
  user(index: number): OrgUser;
  group(index: number): OrgGroup;
  groupCount: number;
  groupIndex(id: string): number | undefined;
  topLevel: Sequence;
  children(group: number): Sequence;
  /** Direct members of a group, as user indexes. */
  members(group: number): Sequence;
}

const range = (count: number, at: (i: number) => number): Sequence => ({
  count: Math.max(0, count),
  at,
});

function uuid(kind: 1 | 2, index: number): string {
  return `${kind}0000000-0000-4000-8000-${index
    .toString(16)
    .padStart(12, '0')}`;
}

/** Group ids as uuid(2, i); compiled once, a sync looks up thousands. */
const GROUP_UUID = /^20000000-0000-4000-8000-([0-9a-f]{12})$/;

function indexOfGroupUuid(id: string): number | undefined {
  const match = GROUP_UUID.exec(id);
  return match ? parseInt(match[1], 16) : undefined;
}

/**
 * A generated org: groups in a forest numbered breadth first (roots first,
 * then the children of group p at `roots + p * branching + k`), users named
 * `user-00042` in groups `group-0042`. Everything is computed from indexes,
 * so memory does not grow with the org.
 */
export function generatedOrg(options: GeneratedOrg): Org {
  const { users: userCount, groups: groupCount } = options;
  const roots = Math.min(options.roots ?? 10, groupCount);
  const branching = options.branching ?? 3;
  const width = String(Math.max(userCount, groupCount)).length;
  const pad = (i: number) => String(i).padStart(width, '0');
  const parentOf = (i: number) =>
    i < roots ? undefined : Math.floor((i - roots) / branching);
  const firstChild = (p: number) => roots + p * branching;
  const childCount = (p: number) =>
    Math.max(0, Math.min(branching, groupCount - firstChild(p)));
  const path = (i: number): string => {
    const parent = parentOf(i);
    return `${parent === undefined ? '' : path(parent)}/group-${pad(i)}`;
  };
  return {
    users: range(userCount, i => i),
    user: i => ({
      id: uuid(1, i),
      username: `user-${pad(i)}`,
      email: `user-${pad(i)}@example.com`,
      emailVerified: true,
      firstName: 'User',
      lastName: pad(i),
    }),
    groupCount,
    group: i => {
      const parent = parentOf(i);
      return {
        id: uuid(2, i),
        name: `group-${pad(i)}`,
        path: path(i),
        ...(parent !== undefined && { parentId: uuid(2, parent) }),
        subGroupCount: childCount(i),
      };
    },
    groupIndex: id => {
      const i = indexOfGroupUuid(id);
      return i !== undefined && i < groupCount ? i : undefined;
    },
    topLevel: range(roots, i => i),
    children: p => range(childCount(p), k => firstChild(p) + k),
    members: g =>
      range(
        g < userCount ? Math.ceil((userCount - g) / groupCount) : 0,
        k => g + k * groupCount,
      ),
  };
}

/**
 * A listed org: the given people and group paths (parents before
 * children), in Keycloak's order (by username, by group name).
 */
export function listedOrg(people: KeycloakOrgUser[], paths: string[]): Org {
  const users = [...people].sort((a, b) =>
    a.username.localeCompare(b.username),
  );
  const groups: OrgGroup[] = [...paths]
    .sort((a, b) => a.localeCompare(b))
    .map((groupPath, i) => ({
      id: uuid(2, i),
      name: groupPath.split('/').pop()!,
      path: groupPath,
      subGroupCount: 0,
    }));
  const byPath = new Map(groups.map((g, i) => [g.path, i]));
  const children = groups.map(() => [] as number[]);
  groups.forEach((group, i) => {
    const parent = byPath.get(group.path.slice(0, group.path.lastIndexOf('/')));
    if (parent !== undefined) {
      group.parentId = groups[parent].id;
      groups[parent].subGroupCount++;
      children[parent].push(i);
    }
  });
  const list = (items: number[]) => range(items.length, i => items[i]);
  return {
    users: range(users.length, i => i),
    user: i => {
      const { groups: _, id, emailVerified, ...rest } = users[i];
      return { ...rest, id: id ?? uuid(1, i), emailVerified: !!emailVerified };
    },
    groupCount: groups.length,
    group: i => groups[i],
    groupIndex: id => {
      const i = indexOfGroupUuid(id);
      return i !== undefined && i < groups.length ? i : undefined;
    },
    topLevel: list(groups.flatMap((g, i) => (g.parentId ? [] : [i]))),
    children: p => list(children[p]),
    members: g =>
      list(
        users.flatMap((u, i) => (u.groups.includes(groups[g].path) ? [i] : [])),
      ),
  };
}
