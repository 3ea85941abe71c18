/**
 * Development and test only: a loopback Git smart-HTTP server in front of
 * `git http-backend`, and a helper that seeds bare repositories from a
 * folder. Product code never imports this package.
 *
 * @packageDocumentation
 */
export {
  seedRepository,
  serveGitHttpBackend,
  startGitHttpServer,
} from './gitHttpServer';
export type { GitHttpServer, GitHttpServerOptions } from './gitHttpServer';
export { commitAndPush } from './commitAndPush';
export type { CommitAndPushOptions } from './commitAndPush';
export { branchTip, deleteBranch, mergeBranch } from './mergeBranch';
