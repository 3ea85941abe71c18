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
export { readGitopsConfig } from '@internal/plugin-gitops-node';
export type {
  GitopsConfig,
  GitopsProvider,
} from '@internal/plugin-gitops-node';
export {
  validateManifests,
  REQUIRED_LABELS,
  isPlatformNamespace,
} from '@internal/plugin-gitops-node';
export type {
  ManifestFile,
  ManifestProblem,
  ManifestRule,
  ValidateManifestsOptions,
} from '@internal/plugin-gitops-node';
