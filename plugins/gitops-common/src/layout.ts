/**
 * The layout contract of the GitOps repository (gitops/README.md): where
 * each golden path writes, which team a path belongs to, and what Argo CD
 * calls the applications its ApplicationSets generate from those folders.
 * The scaffolder actions, the catalog provider and the change-request views
 * all read the repository through these functions.
 */

/** The environments every team gets, in promotion order. */
export const ENVIRONMENTS = ['dev', 'test', 'prod'] as const;

/** One of {@link ENVIRONMENTS}. */
export type Environment = (typeof ENVIRONMENTS)[number];

/** A folder of the layout that one golden path owns, with what it names. */
export type GitopsFolder =
  | { kind: 'team'; team: string; folder: string }
  | { kind: 'service'; team: string; service: string; folder: string }
  | {
      kind: 'database';
      team: string;
      env: string;
      database: string;
      folder: string;
    };

/** `teams/<team>`: onboard-team's namespaces, access and AppProject. */
export function teamFolder(team: string): string {
  return `teams/${team}`;
}

/** `services/<team>/<service>`: deploy-service's base and overlays. */
export function serviceFolder(team: string, service: string): string {
  return `services/${team}/${service}`;
}

/** `databases/<team>/<env>/<database>`: add-database's cluster. */
export function databaseFolder(
  team: string,
  env: string,
  database: string,
): string {
  return `databases/${team}/${env}/${database}`;
}

/** The top-level folders whose second segment names the owning team. */
const TEAM_SCOPED = ['teams', 'services', 'databases'];

/**
 * The team a repository path belongs to (`teams/<t>/…`, `services/<t>/…`,
 * `databases/<t>/…`), or undefined for the platform's own paths
 * (`bootstrap/`, `apps/`, files at the root).
 */
export function teamOfPath(path: string): string | undefined {
  const [top, team, ...rest] = path.split('/');
  return TEAM_SCOPED.includes(top) && team && rest.length > 0
    ? team
    : undefined;
}

/** The folder of the layout a path lies in (or is), if any. */
export function folderOfPath(path: string): GitopsFolder | undefined {
  const segments = path.split('/');
  const [top, team] = segments;
  if (!team) return undefined;
  if (top === 'teams') {
    return { kind: 'team', team, folder: teamFolder(team) };
  }
  if (top === 'services' && segments.length >= 3) {
    const service = segments[2];
    return {
      kind: 'service',
      team,
      service,
      folder: serviceFolder(team, service),
    };
  }
  if (top === 'databases' && segments.length >= 4) {
    const [, , env, database] = segments;
    return {
      kind: 'database',
      team,
      env,
      database,
      folder: databaseFolder(team, env, database),
    };
  }
  return undefined;
}

/** The namespace of a team in an environment. */
export function namespaceOf(team: string, env: string): string {
  return `${team}-${env}`;
}

/**
 * The Argo CD application that the ApplicationSets of
 * gitops/bootstrap/argocd generate for a folder in an environment (teams
 * have one application for all environments).
 */
export function argocdApplicationName(
  folder: GitopsFolder,
  env: string,
): string {
  switch (folder.kind) {
    case 'team':
      return `team-${folder.team}`;
    case 'service':
      return `${folder.team}.${folder.service}.${env}`;
    default:
      return `${folder.team}.db-${folder.database}.${env}`;
  }
}

/**
 * The label selector of every Argo CD application of a service (the
 * services ApplicationSet labels them), across environments.
 */
export function serviceApplicationSelector(
  team: string,
  service: string,
): string {
  return `portal.platform/team=${team},portal.platform/service=${service}`;
}

/**
 * The file of a layout folder that the portal's catalog reads (the
 * ApplicationSets exclude it; kustomize never lists it).
 */
export function catalogInfoPath(folder: string): string {
  return `${folder}/catalog-info.yaml`;
}

/**
 * The name of a database's catalog entity, `<team>-<database>-<env>`, as
 * add-database's catalog-info.yaml writes it.
 */
export function databaseEntityName(
  team: string,
  env: string,
  database: string,
): string {
  return `${team}-${database}-${env}`;
}

/**
 * The environment a path is deployed to, by the ApplicationSets' folder
 * patterns: `services/<team>/<service>/overlays/<env>/…`,
 * `teams/<team>/<env>/…` and `databases/<team>/<env>/…`; undefined for any
 * other path or a folder name that is not one of {@link ENVIRONMENTS}.
 */
export function environmentOfPath(path: string): Environment | undefined {
  const segments = path.split('/');
  const [top] = segments;
  let env: string | undefined;
  if (top === 'services' && segments[3] === 'overlays' && segments.length > 5) {
    env = segments[4];
  } else if (top === 'teams' && segments.length > 3) {
    env = segments[2];
  } else if (top === 'databases' && segments.length > 4) {
    env = segments[2];
  }
  return ENVIRONMENTS.find(e => e === env);
}
