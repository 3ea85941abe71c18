import { createApiRef } from '@backstage/frontend-plugin-api';
import type { ApplicationStatus } from '@internal/plugin-argocd-common';

/**
 * What the argocd plugin knows of an entity's applications. Argo CD being
 * absent, down or closed to the caller is an answer, not an error: the
 * GitOps card shows it in place of the status and keeps the rest.
 */
export type ArgoCdEntityStatus =
  | { kind: 'ok'; applications: ApplicationStatus[] }
  | { kind: 'not-configured' }
  | { kind: 'unavailable'; message: string }
  | { kind: 'forbidden'; message: string };

/** Sync and health of an entity's Argo CD applications (`/api/argocd`). */
export interface ArgoCdStatusApi {
  getEntityStatus(entityRef: string): Promise<ArgoCdEntityStatus>;
}

/** @public */
export const argoCdStatusApiRef = createApiRef<ArgoCdStatusApi>().with({
  id: 'plugin.gitops.argocd-status',
  pluginId: 'gitops',
});
