import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { parseEntityRef } from '@backstage/catalog-model';
import { CatalogApi } from '@backstage/plugin-catalog-react';
import {
  folderOfPath,
  GITOPS_FOLDER_ANNOTATION,
  TEAM_GROUP_REF,
} from '@internal/plugin-gitops-common';

/** Whether a form value names a team the golden paths accept. */
export function isTeamRef(value: unknown): value is string {
  return typeof value === 'string' && TEAM_GROUP_REF.test(value);
}

/**
 * The services of a team that the golden paths can act on: catalog
 * Components of type service, owned by the team, whose GitOps folder is
 * `services/<team>/<service>` of that same team (the path the templates
 * write to). Their service names, sorted.
 */
export async function teamServices(
  catalogApi: CatalogApi,
  teamRef: string,
): Promise<string[]> {
  const team = parseEntityRef(teamRef).name;
  const { items } = await catalogApi.getEntities({
    filter: {
      kind: 'Component',
      'spec.type': 'service',
      'relations.ownedBy': teamRef,
      [`metadata.annotations.${GITOPS_FOLDER_ANNOTATION}`]:
        CATALOG_FILTER_EXISTS,
    },
    fields: ['kind', 'metadata.name', 'metadata.annotations'],
  });
  const names = new Set<string>();
  for (const entity of items) {
    const annotation = entity.metadata.annotations?.[GITOPS_FOLDER_ANNOTATION];
    const folder = annotation ? folderOfPath(annotation) : undefined;
    if (
      folder?.kind === 'service' &&
      folder.team === team &&
      folder.folder === annotation
    ) {
      names.add(folder.service);
    }
  }
  return [...names].sort();
}
