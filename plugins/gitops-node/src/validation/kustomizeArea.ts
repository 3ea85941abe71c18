import { folderOfPath } from '@internal/plugin-gitops-common';

/**
 * Whether Argo CD builds a file with kustomize: only service folders
 * (`services/<team>/<service>/`, whose overlays the services ApplicationSet
 * deploys). Teams, databases and the platform's own folders are applied as
 * plain directories, where no kustomization maps an image.
 */
export function isKustomizeBuilt(path: string): boolean {
  return folderOfPath(path)?.kind === 'service';
}
