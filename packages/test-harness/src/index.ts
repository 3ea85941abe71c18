/**
 * Development and test only: what the integration tests (e2e/) and the
 * benchmarks (bench/) share to run the portal for real on loopback. Product
 * code never imports it.
 *
 * @packageDocumentation
 */
export { repoRoot, scratchDir, writeConfig } from './paths';
export { answers, freePort, portInUse, waitFor } from './ports';
export { descendants, stopTree } from './processes';
export { startPostgres } from './postgres';
export type { PostgresCluster } from './postgres';
export {
  guestToken,
  listenConfig,
  spawnBackend,
  waitUntilReady,
} from './backend';
export type { BackendOptions, BackendProcess, SpawnedBackend } from './backend';
export {
  buildBundle,
  bundleOut,
  configVariables,
  IMAGE_GID,
  IMAGE_UID,
  imageNodeOptions,
  productionVariables,
  spawnBundle,
  writableDirs,
} from './bundle';
export type {
  BuiltBundle,
  BundleOptions,
  BundleProcess,
  LoopbackServices,
} from './bundle';
export { fastImport, initBareRepository, packRepository } from './fastImport';
export type { FastImportCommit } from './fastImport';
export { chromiumLaunchOptions } from './chromium';
