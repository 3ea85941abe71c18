/**
 * Scaffolder actions for the portal's GitOps golden paths: a worktree of
 * the GitOps repository, manifest validation, image tags, and the change
 * published as a branch, pull request or merge request of one team.
 *
 * @packageDocumentation
 */
export {
  scaffolderModuleGitops as default,
  createGitopsActions,
} from './module';
export { createGitopsRepoFetchAction } from './actions/fetch';
export { createGitopsManifestsValidateAction } from './actions/validate';
export { createGitopsKustomizeSetImageAction } from './actions/setImage';
export { createGitopsChangePublishAction } from './actions/publish';
export type { GitopsActionOptions } from './actions/options';
