import {
  catalogInfoPath,
  databaseEntityName,
  DNS1035_LABEL,
  DNS1123_LABEL,
  DNS_LABEL_MAX_LENGTH,
  ENVIRONMENTS,
  GitopsFolder,
  namespaceOf,
} from '@internal/plugin-gitops-common';

/**
 * What a folder of the layout may hold in its catalog-info.yaml. The path
 * decides all of it; the file only adds descriptions, links, tags and the
 * like.
 */
export interface FolderRule {
  /** The only kind the folder may hold. */
  kind: 'Component' | 'Resource';
  /** The `spec.type` the entities get; a file may not claim another. */
  type?: string;
  /** Entity names the folder may declare, each with its environments. */
  names: Map<string, string[]>;
}

/** The `spec.type` of a team's namespaces. */
export const NAMESPACE_RESOURCE_TYPE = 'openshift-namespace';

/** The `spec.type` of a database. */
export const DATABASE_RESOURCE_TYPE = 'database';

/** The rule of a folder, given the environments that exist in it. */
export function folderRule(
  folder: GitopsFolder,
  environments: string[],
): FolderRule {
  switch (folder.kind) {
    case 'service':
      return {
        kind: 'Component',
        names: new Map([[folder.service, environments]]),
      };
    case 'database':
      return {
        kind: 'Resource',
        type: DATABASE_RESOURCE_TYPE,
        names: new Map([
          [
            databaseEntityName(folder.team, folder.env, folder.database),
            [folder.env],
          ],
        ]),
      };
    default:
      return {
        kind: 'Resource',
        type: NAMESPACE_RESOURCE_TYPE,
        names: new Map(
          environments.map(env => [namespaceOf(folder.team, env), [env]]),
        ),
      };
  }
}

function isLabel(name: string, pattern: RegExp): boolean {
  return name.length <= DNS_LABEL_MAX_LENGTH && pattern.test(name);
}

/**
 * Why a folder's names are outside the layout (teams are DNS-1123 labels,
 * services and databases DNS-1035 labels, environments one of
 * ENVIRONMENTS), or undefined when they are not.
 */
export function folderNameProblem(folder: GitopsFolder): string | undefined {
  if (!isLabel(folder.team, DNS1123_LABEL)) {
    return `team "${folder.team}" is not a DNS-1123 label`;
  }
  if (folder.kind === 'service' && !isLabel(folder.service, DNS1035_LABEL)) {
    return `service "${folder.service}" is not a DNS-1035 label`;
  }
  if (folder.kind === 'database') {
    if (!isLabel(folder.database, DNS1035_LABEL)) {
      return `database "${folder.database}" is not a DNS-1035 label`;
    }
    if (!ENVIRONMENTS.some(env => env === folder.env)) {
      return `environment "${folder.env}" is not one of ${ENVIRONMENTS.join(
        ', ',
      )}`;
    }
  }
  return undefined;
}

/** How the rule reads in an error message. */
export function describeRule(folder: GitopsFolder, rule: FolderRule): string {
  const names = [...rule.names.keys()];
  const what = names.length
    ? names.map(name => `${rule.kind} ${name}`).join(', ')
    : `no ${rule.kind} (no environment folder ${ENVIRONMENTS.map(
        env => `${folder.folder}/${env}/`,
      ).join(', ')} exists)`;
  return `${catalogInfoPath(folder.folder)} may only describe ${what}`;
}
