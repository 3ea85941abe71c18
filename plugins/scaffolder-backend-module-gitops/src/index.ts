/**
 * Scaffolder actions for the portal's GitOps golden paths: fetch the GitOps
 * repository, validate manifests, set image tags and publish the change as
 * a branch, pull request or merge request.
 *
 * @packageDocumentation
 */
export { scaffolderModuleGitops as default } from './module';
export { createGitopsRepoFetchAction } from './actions/fetch';
export { createGitopsManifestsValidateAction } from './actions/validate';
export { createGitopsKustomizeSetImageAction } from './actions/setImage';
export { createGitopsChangePublishAction } from './actions/publish';
export type { GitopsActionOptions } from './actions/options';
export { readGitopsConfig } from './config';
export type { GitopsConfig, GitopsProvider } from './config';
export {
  validateManifests,
  REQUIRED_LABELS,
  isPlatformNamespace,
} from './validation';
export { ROUTE_SCHEMA } from './validation/routeSchema';
export type {
  ManifestFile,
  ManifestProblem,
  ManifestRule,
  ValidateManifestsOptions,
} from './validation';
