export { validateManifests, REQUIRED_LABELS } from './validateManifests';
export { isPlatformNamespace } from './names';
export { isKustomizationFile } from './kustomization';
export { matchesGlob, globMeetsPrefix } from './glob';
export type { GlobOptions } from './glob';
export { parseImageReference, readAllowedImageRegistries } from './images';
export type { ImageReference } from './images';
export type {
  ManifestFile,
  ManifestProblem,
  ManifestRule,
  ValidateManifestsOptions,
} from './types';
