/**
 * Shared by the portal's Argo CD backend and frontend: the
 * `argocd.application.read` permission, the catalog annotations and
 * Application labels it reads, and the entity status API types.
 *
 * @packageDocumentation
 */
export {
  argocdApplicationReadPermission,
  argocdPermissions,
} from './permissions';
export {
  APPLICATION_ENV_LABEL,
  APPLICATION_TEAM_LABEL,
  ARGOCD_APP_NAME_ANNOTATION,
  ARGOCD_APP_SELECTOR_ANNOTATION,
} from './annotations';
export type { ApplicationStatus, EntityStatusResponse } from './types';
