/**
 * The catalog annotation naming an entity's Argo CD application, as
 * Roadie's Argo CD card reads it.
 *
 * @public
 */
export const ARGOCD_APP_NAME_ANNOTATION = 'argocd/app-name';

/**
 * The catalog annotation holding a label selector for an entity's Argo CD
 * applications, as Roadie's Argo CD card reads it.
 *
 * @public
 */
export const ARGOCD_APP_SELECTOR_ANNOTATION = 'argocd/app-selector';

/**
 * The label of an Argo CD Application naming the team it belongs to. The
 * GitOps repository's ApplicationSets set it from the directory path, which
 * a team's own manifests cannot change.
 *
 * @public
 */
export const APPLICATION_TEAM_LABEL = 'portal.platform/team';

/**
 * The label of an Argo CD Application naming its environment (dev, test,
 * prod), set by the ApplicationSets like the team label.
 *
 * @public
 */
export const APPLICATION_ENV_LABEL = 'portal.platform/env';
