/**
 * Node library of the portal's GitOps plugins: the GitOps repository
 * (mirror, worktrees, reads at a commit, diffs), change publishers for plain
 * Git, GitHub and GitLab, and the manifest validation the golden paths are
 * held to.
 *
 * @packageDocumentation
 */
export { readGitopsConfig, DEFAULT_AUTHOR } from './config';
export type { GitopsConfig, GitopsProvider } from './config';
export { GitCommandError, redact, runGit } from './git/git';
export type { GitAuth } from './git/git';
export { parseNameStatus } from './git/changes';
export type { Change } from './git/changes';
export { walkFiles } from './files/walkFiles';
export {
  normalizeRepoPath,
  resolveRepoPath,
  resolveWorkspacePath,
} from './paths';
export { GitOpsRepository } from './repository/GitOpsRepository';
export { Worktree, isInCone } from './repository/Worktree';
export {
  createGitopsService,
  gitopsServiceRef,
  notConfigured,
} from './service';
export type { GitopsService } from './service';
export type {
  ChangePublisher,
  ChangeRequestRef,
  ChangeStateReading,
  PublishedChange,
  PublishRequest,
} from './publishers/types';
export {
  commitMessage,
  requesterOf,
  REQUESTED_BY,
} from './publishers/pushBranch';
export {
  forgeFolderUrl,
  gitChangeUrl,
  ownerAndRepo,
  repoWebUrl,
} from './publishers/changeUrls';
export {
  validateManifests,
  REQUIRED_LABELS,
  isPlatformNamespace,
  isKustomizationFile,
  matchesGlob,
  globMeetsPrefix,
  parseImageReference,
  readAllowedImageRegistries,
} from './validation';
export type {
  GlobOptions,
  ImageReference,
  ManifestFile,
  ManifestProblem,
  ManifestRule,
  ValidateManifestsOptions,
} from './validation';
// The tag pattern lives in @internal/plugin-gitops-common (patterns.ts).
export { IMAGE_TAG } from '@internal/plugin-gitops-common';
export {
  GIT_PUSH_TOPIC,
  isBaseBranchPush,
  PUSH_TOPICS,
} from './events/pushEvents';
export { followBaseBranchPushes } from './events/followPushes';
export type { FollowPushesOptions } from './events/followPushes';
export { createTaskTrigger } from './events/taskTrigger';
export type { TaskTriggerOptions } from './events/taskTrigger';
export { CoalescedRuns } from './events/coalescedRuns';
export { createChangeRequestRecorder } from './recorder/changeRequestRecorder';
export type { ChangeRequestRecorder } from './recorder/changeRequestRecorder';
