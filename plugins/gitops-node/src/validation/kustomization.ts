import path from 'node:path';
import { KUSTOMIZATION_FILES } from '@internal/plugin-gitops-common';
import { isObject } from './parse';
import {
  helmChartsRule,
  imageTagsRule,
  kustomizationNamespaceRule,
  kustomizationReferencesRule,
} from './rules/kustomization';
import { kustomizationImagesRule } from './rules/registries';
import { KustomizationContext, KustomizationRule } from './rules/types';
import { ManifestProblem, ValidateManifestsOptions } from './types';

/** Whether a file is a kustomization, by its name. */
export function isKustomizationFile(file: string): boolean {
  return KUSTOMIZATION_FILES.includes(path.posix.basename(file));
}

/** The rules of a kustomization, in the order their problems are listed. */
const KUSTOMIZATION_RULES: KustomizationRule[] = [
  kustomizationReferencesRule,
  helmChartsRule,
  kustomizationNamespaceRule,
  imageTagsRule,
  kustomizationImagesRule,
];

/**
 * Checks a kustomization as kustomize config: every local file it refers to
 * stays inside the tree (and exists, when the caller can tell), nothing is
 * fetched from elsewhere, no Helm chart is inflated, its namespace is not
 * one the platform owns, and its images are valid and from allowed
 * registries.
 */
export function validateKustomization(
  file: string,
  documentIndex: number,
  doc: unknown,
  options: ValidateManifestsOptions,
): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  const report = (rule: ManifestProblem['rule'], message: string) =>
    problems.push({
      path: file,
      documentIndex,
      kind: 'Kustomization',
      rule,
      message,
    });
  if (!isObject(doc)) {
    report('kustomization', 'a kustomization must be a mapping');
    return problems;
  }
  const kustomization: KustomizationContext = {
    path: file,
    dir: path.posix.dirname(file),
    fields: doc,
    options,
    list(field) {
      const value = doc[field];
      if (value === undefined || value === null) return [];
      if (!Array.isArray(value)) {
        report('kustomization', `${field} must be a list`);
        return [];
      }
      return value;
    },
  };
  for (const rule of KUSTOMIZATION_RULES) {
    rule(kustomization, report);
  }
  return problems;
}
