/**
 * Node library of the portal's GitOps plugins: the GitOps repository, change
 * publishers, and the manifest validation the golden paths are held to.
 *
 * @packageDocumentation
 */
export { readGitopsConfig, DEFAULT_AUTHOR } from './config';
export type { GitopsConfig, GitopsProvider } from './config';
export { gitAuthFor } from './git/credentials';
export { GitCommandError, redact, runGit } from './git/git';
export type { GitAuth } from './git/git';
export { changedFiles, stageAll } from './git/workingCopy';
export type { Change } from './git/workingCopy';
export {
  normalizeRepoPath,
  resolveRepoPath,
  resolveWorkspacePath,
} from './paths';
export {
  validateManifests,
  REQUIRED_LABELS,
  isPlatformNamespace,
} from './validation';
export { IMAGE_TAG, isKustomizationFile } from './validation/kustomization';
export type {
  ManifestFile,
  ManifestProblem,
  ManifestRule,
  ValidateManifestsOptions,
} from './validation';
