import { Entity } from '@backstage/catalog-model';
import { GITOPS_FOLDER_ANNOTATION } from '@internal/plugin-gitops-common';

const CARD_KINDS = ['component', 'resource'];

/**
 * Which entity pages show the GitOps card: Components and Resources with
 * a folder in the GitOps repository, and teams (whose change requests the
 * backend finds across all their folders).
 */
export function hasGitopsCard(entity: Entity): boolean {
  const kind = entity.kind.toLocaleLowerCase('en-US');
  if (kind === 'group') {
    return entity.spec?.type === 'team';
  }
  return (
    CARD_KINDS.includes(kind) &&
    Boolean(entity.metadata.annotations?.[GITOPS_FOLDER_ANNOTATION])
  );
}
