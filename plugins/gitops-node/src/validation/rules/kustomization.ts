import path from 'node:path';
import { IMAGE_TAG } from '@internal/plugin-gitops-common';
import { dnsLabelProblem, isPlatformNamespace } from '../names';
import { isObject } from '../parse';
import { KustomizationContext, KustomizationRule, Report } from './types';

/** References kustomize would fetch from elsewhere. */
export function isRemote(ref: string): boolean {
  return (
    /^[a-z][a-z0-9+.-]*:\/\//i.test(ref) ||
    ref.startsWith('git@') ||
    /^(github\.com|gitlab\.com|bitbucket\.org)\//.test(ref) ||
    /[?&]ref=/.test(ref) ||
    /\.git(\/\/|$)/.test(ref)
  );
}

/** Kustomization fields that list folders or files kustomize includes. */
export const INCLUDE_FIELDS = ['resources', 'bases', 'components', 'crds'];

/**
 * Why a local reference of a kustomization is refused, or undefined when
 * it is fine: it must be a relative path that stays in the repository
 * (and exist, when the caller can tell).
 */
function referenceProblem(
  kustomization: KustomizationContext,
  field: string,
  ref: unknown,
): string | undefined {
  if (typeof ref !== 'string' || ref.length === 0) {
    return `${field}: every entry must be a non-empty path`;
  }
  if (isRemote(ref)) {
    return `${field}: remote reference "${ref}" is not allowed; copy the manifests into the repository`;
  }
  if (path.posix.isAbsolute(ref) || ref.includes('\\')) {
    return `${field}: "${ref}" must be a relative path`;
  }
  const target = path.posix.normalize(path.posix.join(kustomization.dir, ref));
  if (target === '..' || target.startsWith('../')) {
    return `${field}: "${ref}" points outside the repository`;
  }
  const { fileExists } = kustomization.options;
  if (fileExists && !fileExists(target)) {
    return `${field}: "${ref}" does not exist (${target})`;
  }
  return undefined;
}

/**
 * Every local path a kustomization refers to, with the field naming it, in
 * the order of the fields (lazily, so that a field that is not a list is
 * reported where it is met).
 */
function* referencesOf(k: KustomizationContext): Generator<[string, unknown]> {
  for (const field of INCLUDE_FIELDS) {
    for (const ref of k.list(field)) yield [field, ref];
  }
  for (const entry of k.list('patchesStrategicMerge')) {
    // Inline patches are YAML text, not paths.
    if (typeof entry === 'string' && !entry.includes('\n')) {
      yield ['patchesStrategicMerge', entry];
    }
  }
  for (const field of ['patches', 'patchesJson6902']) {
    for (const entry of k.list(field)) {
      const p = (entry as { path?: unknown } | null)?.path;
      if (p !== undefined) yield [`${field}[].path`, p];
    }
  }
  for (const field of ['configMapGenerator', 'secretGenerator']) {
    for (const entry of k.list(field)) {
      const g = isObject(entry) ? entry : {};
      for (const f of Array.isArray(g.files) ? g.files : []) {
        // `key=path` or `path`
        yield [
          `${field}[].files`,
          typeof f === 'string' ? f.slice(f.indexOf('=') + 1) : f,
        ];
      }
      for (const f of Array.isArray(g.envs) ? g.envs : []) {
        yield [`${field}[].envs`, f];
      }
      if (g.env !== undefined) yield [`${field}[].env`, g.env];
    }
  }
}

/**
 * Every local file a kustomization refers to stays inside the repository
 * (and exists, when the caller can tell); nothing is fetched from
 * elsewhere.
 */
export const kustomizationReferencesRule: KustomizationRule = (k, report) => {
  for (const [field, ref] of referencesOf(k)) {
    const problem = referenceProblem(k, field, ref);
    if (problem) report('kustomization', problem);
  }
};

/** No Helm chart is inflated: it would be fetched from a remote repository. */
export const helmChartsRule: KustomizationRule = (k, report) => {
  if (
    k.fields.helmCharts !== undefined ||
    k.fields.helmChartInflationGenerator !== undefined
  ) {
    report(
      'kustomization',
      'helmCharts are not allowed: Helm charts would be fetched from a remote repository',
    );
  }
};

/** The kustomization's namespace is a DNS-1123 label the platform does not own. */
export const kustomizationNamespaceRule: KustomizationRule = (k, report) => {
  const namespace = k.fields.namespace;
  if (namespace === undefined) return;
  const reason = dnsLabelProblem(namespace);
  if (reason) {
    report('dns-name', `namespace "${String(namespace)}" ${reason}`);
  } else if (isPlatformNamespace(namespace, k.options)) {
    report(
      'platform-namespace',
      `namespace "${String(namespace)}" belongs to the platform`,
    );
  }
};

/** Every `images[].newTag` is a valid image tag. */
export const imageTagsRule: KustomizationRule = (k, report: Report) => {
  for (const entry of k.list('images')) {
    const tag = (entry as { newTag?: unknown } | null)?.newTag;
    if (
      tag !== undefined &&
      (typeof tag !== 'string' || !IMAGE_TAG.test(tag))
    ) {
      report(
        'kustomization',
        `images: newTag "${String(tag)}" is not a valid image tag`,
      );
    }
  }
};
