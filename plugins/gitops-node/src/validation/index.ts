export { validateManifests, REQUIRED_LABELS } from './validateManifests';
export { isPlatformNamespace } from './names';
export type {
  ManifestFile,
  ManifestProblem,
  ManifestRule,
  ValidateManifestsOptions,
} from './types';
