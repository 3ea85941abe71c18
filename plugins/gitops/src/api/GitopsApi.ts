import { createApiRef } from '@backstage/frontend-plugin-api';
import {
  ChangeRequest,
  ChangeRequestFile,
  ChangeRequestList,
  ChangeRequestState,
  EntityGitopsSummary,
} from '@internal/plugin-gitops-common';

/**
 * Whose change requests: asked by me, for one of my teams, or every one I
 * may read (the backend's permission policy decides what that is).
 */
export type ChangeRequestScope = 'mine' | 'team' | 'all';

/** Which change requests to list. */
export interface ChangeRequestQuery {
  scope?: ChangeRequestScope;
  state?: ChangeRequestState;
  /** Only those touching the entity's folder (a team: for that team). */
  entityRef?: string;
  limit?: number;
  offset?: number;
}

/** The GitOps backend (`/api/gitops`), as the portal's pages read it. */
export interface GitopsApi {
  listChangeRequests(query: ChangeRequestQuery): Promise<ChangeRequestList>;
  /** Rejects with a NotFoundError when missing or not readable. */
  getChangeRequest(id: string): Promise<ChangeRequest>;
  getChangeRequestFiles(id: string): Promise<ChangeRequestFile[]>;
  /** Undefined when the entity has no folder in the GitOps repository. */
  getEntitySummary(entityRef: string): Promise<EntityGitopsSummary | undefined>;
}

/** @public */
export const gitopsApiRef = createApiRef<GitopsApi>().with({
  id: 'plugin.gitops.service',
  pluginId: 'gitops',
});
