/**
 * The template and GitOps tree checks of the developer portal, as a library
 * for the `gitops-check` command (src/cli.ts) and the template-task
 * benchmark (bench/template-tasks): the real scaffolder on a real backend,
 * the checks, and the files they read.
 *
 * @packageDocumentation
 */
export { startHarness, readTemplate } from './harness';
export type {
  HarnessOptions,
  RunResult,
  ScaffolderHarness,
  TaskRunResult,
} from './harness';
export { checkTemplates, gitopsConfig, listTemplates } from './templates';
export type { CheckTemplatesOptions, FixtureResult } from './templates';
export { checkTree } from './tree';
export { DEFAULT_PLATFORM_OPTIONS } from './validate';
export type { PlatformOptions, TreeProblem } from './validate';
export { readTree, writeTree } from './files';
export { gitopsDir, repoRoot, templatesDir } from './paths';
