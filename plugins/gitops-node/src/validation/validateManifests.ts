import { isKustomizationFile, validateKustomization } from './kustomization';
import { isObject, parseManifestFile } from './parse';
import { RepositoryView } from './repositoryView';
import { argocdDestinationsRule } from './rules/argocdDestinations';
import { clusterScopedRule } from './rules/clusterScoped';
import { labelsRule } from './rules/labels';
import { namesRule } from './rules/names';
import { namespacesRule } from './rules/namespaces';
import { unmappedPlaceholders } from './rules/placeholders';
import { imageRegistriesRule } from './rules/registries';
import { resourcesRule } from './rules/resources';
import { schemaRule } from './rules/schema';
import { ObjectRule } from './rules/types';
import {
  ManifestFile,
  ManifestProblem,
  ValidateManifestsOptions,
} from './types';

export { parseManifestFile } from './parse';
export { REQUIRED_LABELS } from './rules/labels';

/** The rules of a cluster object, in the order their problems are listed. */
const OBJECT_RULES: ObjectRule[] = [
  clusterScopedRule,
  schemaRule,
  namesRule,
  namespacesRule,
  labelsRule,
  resourcesRule,
  argocdDestinationsRule,
  imageRegistriesRule,
];

function isKustomization(file: string, object: unknown): boolean {
  return (
    isKustomizationFile(file) ||
    (isObject(object) &&
      typeof object.apiVersion === 'string' &&
      object.apiVersion.startsWith('kustomize.config.k8s.io/'))
  );
}

function validateObject(
  path: string,
  documentIndex: number,
  object: unknown,
  options: ValidateManifestsOptions,
): ManifestProblem[] {
  if (isKustomization(path, object)) {
    return validateKustomization(path, documentIndex, object, options);
  }
  if (
    !isObject(object) ||
    typeof object.apiVersion !== 'string' ||
    typeof object.kind !== 'string' ||
    !object.apiVersion ||
    !object.kind
  ) {
    const message = 'a manifest must be a mapping with apiVersion and kind';
    return [{ path, documentIndex, rule: 'object', message }];
  }
  const { apiVersion, kind } = object;
  if (apiVersion.startsWith('backstage.io/')) {
    return []; // a catalog entity (catalog-info.yaml), not a cluster object
  }
  const metadata = isObject(object.metadata) ? object.metadata : {};
  const name = typeof metadata.name === 'string' ? metadata.name : undefined;
  const problems: ManifestProblem[] = [];
  const context = { path, apiVersion, kind, name, metadata, object, options };
  for (const rule of OBJECT_RULES) {
    rule(context, (r, message) =>
      problems.push({ path, documentIndex, kind, name, rule: r, message }),
    );
  }
  return problems;
}

/**
 * Validates Kubernetes, OpenShift, Argo CD and CloudNativePG manifests
 * against their schemas and the platform's rules, and returns every
 * problem found (an empty list when all is well).
 *
 * Each file may hold several YAML documents. Kustomization files are
 * checked as kustomize config, Backstage catalog entities
 * (`backstage.io/*`) are skipped, and everything else must be a known
 * kind that passes its schema, has DNS-1123 names, carries the
 * {@link REQUIRED_LABELS} when namespaced, sets resource requests and
 * limits on every container, stays out of the platform's namespaces, is
 * not cluster-scoped unless `allowClusterScoped` is set, and runs images
 * from the allowed registries only (kustomize placeholders mapped by every
 * overlay that builds them).
 *
 * @public
 */
export function validateManifests(
  files: ManifestFile[],
  options: ValidateManifestsOptions,
): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  const view = new RepositoryView(files, options);
  for (const file of files) {
    const parsed = parseManifestFile(file);
    view.remember(file.path, parsed.documents);
    problems.push(...parsed.problems);
    for (const { documentIndex, object } of parsed.documents) {
      problems.push(
        ...validateObject(file.path, documentIndex, object, options),
      );
    }
  }
  problems.push(...unmappedPlaceholders(view, options));
  return problems;
}
