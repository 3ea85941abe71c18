/*
 * The GitOps backend's HTTP API (`/api/gitops`), as both sides see it.
 */

/** Where a change request stands at the Git forge. */
export type ChangeRequestState = 'open' | 'merged' | 'closed';

/** The combined result of a change request's checks or pipeline. */
export type ChangeRequestChecks = 'pending' | 'success' | 'failure';

/** A change request that a golden path opened in the GitOps repository. */
export interface ChangeRequest {
  id: string;
  /** The template that made it, e.g. `template:default/deploy-service`. */
  template: string;
  /** Who asked, e.g. `user:default/bob`. */
  requester: string;
  /** The team it is for, e.g. `group:default/team-payments`. */
  team: string;
  title: string;
  provider: 'git' | 'github' | 'gitlab';
  branch: string;
  /** The change at the Git forge (pull or merge request, compare or commit page). */
  forgeUrl: string;
  /** The pull or merge request number, where the provider has one. */
  number?: number;
  /** Repository paths the change touches, sorted. */
  paths: string[];
  /** The folders of the layout those paths lie in (`services/<team>/<service>`…). */
  folders: string[];
  baseCommit: string;
  /** The head of the branch as last seen. */
  headCommit: string;
  state: ChangeRequestState;
  checks?: ChangeRequestChecks;
  /** The scaffolder task that published it. */
  taskId?: string;
  createdAt: string;
  /** When it was last published or seen to change. */
  updatedAt: string;
  /** When it was seen merged or closed. */
  closedAt?: string;
}

/** A page of change requests. */
export interface ChangeRequestList {
  items: ChangeRequest[];
  totalCount: number;
}

/** One file of a change request's diff. */
export interface ChangeRequestFile {
  path: string;
  status: 'added' | 'modified' | 'deleted';
  /** The unified diff of the file (empty for a binary file). */
  patch: string;
}

/** What the GitOps card of an entity shows, apart from Argo CD status. */
export interface EntityGitopsSummary {
  /** The entity's folder in the GitOps repository. */
  folder: string;
  /** Where that folder can be read: the Git forge, or the portal's own view. */
  folderUrl: string;
  openChangeRequests: ChangeRequest[];
  lastMerged?: ChangeRequest;
}

/** The portal page of a change request, relative to the app's base URL. */
export function changeRequestPagePath(id: string): string {
  return `/gitops/changes/${encodeURIComponent(id)}`;
}

/**
 * The annotation the GitOps catalog provider sets on every entity it
 * emits: the entity's folder in the GitOps repository.
 */
export const GITOPS_FOLDER_ANNOTATION = 'gitops.portal/folder';

/**
 * What the scaffolder's publish action records about a change request it
 * published (`POST /api/gitops/change-requests`, backend plugins only).
 */
export interface ChangeRequestRecord {
  template: string;
  requester: string;
  team: string;
  title: string;
  provider: ChangeRequest['provider'];
  branch: string;
  forgeUrl: string;
  number?: number;
  paths: string[];
  baseCommit: string;
  headCommit: string;
  /** True when the change went straight to the base branch. */
  merged: boolean;
  taskId?: string;
}

/** The answer to a record: the change request and its portal page. */
export interface ChangeRequestRecorded {
  id: string;
  /** The absolute address of the change request's page in the portal. */
  url: string;
}
