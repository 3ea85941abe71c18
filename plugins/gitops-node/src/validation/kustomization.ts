import path from 'node:path';
import { dnsLabelProblem, isPlatformNamespace } from './names';
import { ManifestProblem, ValidateManifestsOptions } from './types';

/** File names kustomize reads as a kustomization. */
const KUSTOMIZATION_FILES = [
  'kustomization.yaml',
  'kustomization.yml',
  'Kustomization',
];

/** Whether a file is a kustomization, by its name. */
export function isKustomizationFile(file: string): boolean {
  return KUSTOMIZATION_FILES.includes(path.posix.basename(file));
}

/** A docker tag, as kustomize's `images[].newTag` must be. */
export const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** References kustomize would fetch from elsewhere. */
function isRemote(ref: string): boolean {
  return (
    /^[a-z][a-z0-9+.-]*:\/\//i.test(ref) ||
    ref.startsWith('git@') ||
    /^(github\.com|gitlab\.com|bitbucket\.org)\//.test(ref) ||
    /[?&]ref=/.test(ref) ||
    /\.git(\/\/|$)/.test(ref)
  );
}

/**
 * Checks a kustomization as kustomize config: every local file it refers to
 * stays inside the tree (and exists, when the caller can tell), nothing is
 * fetched from elsewhere, no Helm chart is inflated, and its namespace is
 * not one the platform owns.
 */
export function validateKustomization(
  file: string,
  documentIndex: number,
  doc: unknown,
  options: ValidateManifestsOptions,
): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  const problem = (
    message: string,
    rule: ManifestProblem['rule'] = 'kustomization',
  ) =>
    problems.push({
      path: file,
      documentIndex,
      kind: 'Kustomization',
      rule,
      message,
    });

  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    problem('a kustomization must be a mapping');
    return problems;
  }
  const k = doc as Record<string, unknown>;
  const dir = path.posix.dirname(file);

  const checkRef = (field: string, ref: unknown, mustExist: boolean) => {
    if (typeof ref !== 'string' || ref.length === 0) {
      problem(`${field}: every entry must be a non-empty path`);
      return;
    }
    if (isRemote(ref)) {
      problem(
        `${field}: remote reference "${ref}" is not allowed; copy the manifests into the repository`,
      );
      return;
    }
    if (path.posix.isAbsolute(ref) || ref.includes('\\')) {
      problem(`${field}: "${ref}" must be a relative path`);
      return;
    }
    const target = path.posix.normalize(path.posix.join(dir, ref));
    if (target === '..' || target.startsWith('../')) {
      problem(`${field}: "${ref}" points outside the repository`);
      return;
    }
    if (mustExist && options.fileExists && !options.fileExists(target)) {
      problem(`${field}: "${ref}" does not exist (${target})`);
    }
  };

  const list = (field: string): unknown[] => {
    const value = k[field];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) {
      problem(`${field} must be a list`);
      return [];
    }
    return value;
  };

  for (const field of ['resources', 'bases', 'components', 'crds']) {
    for (const ref of list(field)) checkRef(field, ref, true);
  }
  for (const entry of list('patchesStrategicMerge')) {
    // Inline patches are YAML text, not paths.
    if (typeof entry === 'string' && !entry.includes('\n')) {
      checkRef('patchesStrategicMerge', entry, true);
    }
  }
  for (const field of ['patches', 'patchesJson6902']) {
    for (const entry of list(field)) {
      const p = (entry as { path?: unknown } | null)?.path;
      if (p !== undefined) checkRef(`${field}[].path`, p, true);
    }
  }
  for (const field of ['configMapGenerator', 'secretGenerator']) {
    for (const entry of list(field)) {
      const g = (entry ?? {}) as {
        files?: unknown;
        envs?: unknown;
        env?: unknown;
      };
      for (const f of Array.isArray(g.files) ? g.files : []) {
        // `key=path` or `path`
        const ref = typeof f === 'string' ? f.slice(f.indexOf('=') + 1) : f;
        checkRef(`${field}[].files`, ref, true);
      }
      for (const f of Array.isArray(g.envs) ? g.envs : []) {
        checkRef(`${field}[].envs`, f, true);
      }
      if (g.env !== undefined) checkRef(`${field}[].env`, g.env, true);
    }
  }
  if (
    k.helmCharts !== undefined ||
    k.helmChartInflationGenerator !== undefined
  ) {
    problem(
      'helmCharts are not allowed: Helm charts would be fetched from a remote repository',
    );
  }
  if (k.namespace !== undefined) {
    const reason = dnsLabelProblem(k.namespace);
    if (reason) {
      problem(`namespace "${String(k.namespace)}" ${reason}`, 'dns-name');
    } else if (isPlatformNamespace(k.namespace as string, options)) {
      problem(
        `namespace "${String(k.namespace)}" belongs to the platform`,
        'platform-namespace',
      );
    }
  }
  for (const entry of list('images')) {
    const tag = (entry as { newTag?: unknown } | null)?.newTag;
    if (
      tag !== undefined &&
      (typeof tag !== 'string' || !IMAGE_TAG.test(tag))
    ) {
      problem(`images: newTag "${String(tag)}" is not a valid image tag`);
    }
  }
  return problems;
}
