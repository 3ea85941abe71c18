import {
  BackstageCredentials,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  GITOPS_FOLDER_ANNOTATION,
  teamFolder,
} from '@internal/plugin-gitops-common';
import { forgeFolderUrl, GitopsConfig } from '@internal/plugin-gitops-node';
import { ChangeRequestFilter } from '../store/filters';

/** Where an entity lives in the GitOps repository. */
export interface EntityPlace {
  /** Its folders (a team: its `teams/<team>` folder). */
  folders: string[];
  /** A team's change requests are found by team, not by folder. */
  teamFilter?: ChangeRequestFilter;
  folderUrl: string;
}

/**
 * Finds an entity's place in the GitOps repository, through the catalog
 * with the caller's own credentials, so an entity the caller may not read
 * is as absent as one that does not exist.
 */
export class EntityFolders {
  constructor(
    private readonly catalog: CatalogService,
    private readonly gitops: () => GitopsConfig,
  ) {}

  async forEntity(
    ref: string,
    credentials: BackstageCredentials<BackstageUserPrincipal>,
  ): Promise<EntityPlace> {
    let entityRef: string;
    try {
      entityRef = stringifyEntityRef(parseEntityRef(ref));
    } catch {
      throw new InputError(`"${ref}" is not an entity ref`);
    }
    const entity = await this.catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity) {
      throw new NotFoundError(`No entity ${entityRef}`);
    }
    if (entity.kind.toLocaleLowerCase('en-US') === 'group') {
      const folder = teamFolder(entity.metadata.name);
      return {
        folders: [folder],
        teamFilter: { column: 'team', values: [entityRef] },
        folderUrl: forgeFolderUrl(this.gitops(), folder),
      };
    }
    const folder = entity.metadata.annotations?.[GITOPS_FOLDER_ANNOTATION];
    if (!folder) {
      throw new NotFoundError(
        `${entityRef} has no folder in the GitOps repository`,
      );
    }
    return {
      folders: [folder],
      folderUrl: forgeFolderUrl(this.gitops(), folder),
    };
  }
}
