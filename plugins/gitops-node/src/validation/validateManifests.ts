import { isAlias, isCollection, parseAllDocuments, visit } from 'yaml';
import { isKustomizationFile, validateKustomization } from './kustomization';
import { isClusterScoped, isKnownKind, schemaCheck } from './models';
import { dnsLabelProblem, dnsNameProblem, isPlatformNamespace } from './names';
import {
  ManifestFile,
  ManifestProblem,
  ManifestRule,
  ValidateManifestsOptions,
} from './types';

/**
 * The labels every namespaced object must carry: its application's name
 * and the team that owns it (the portal's own label; Argo CD, quotas and
 * the portal's Kubernetes views select on it).
 *
 * @public
 */
export const REQUIRED_LABELS = [
  'app.kubernetes.io/name',
  'portal.platform/team',
];

/** Argo CD kinds, which live in the Argo CD namespace by design. */
const ARGOCD_KINDS = ['Application', 'ApplicationSet', 'AppProject'];

type Obj = Record<string, any>;

function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The pod spec of a workload, if the kind has one. */
function podSpecOf(kind: string, object: Obj): Obj | undefined {
  switch (kind) {
    case 'Pod':
      return object.spec;
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'Job':
      return object.spec?.template?.spec;
    case 'CronJob':
      return object.spec?.jobTemplate?.spec?.template?.spec;
    default:
      return undefined;
  }
}

/** A glob of an AppProject destination (`*`, `team-*`) as a RegExp. */
function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escaped.replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
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
 * limits on every container, stays out of the platform's namespaces, and
 * is not cluster-scoped unless `allowClusterScoped` is set.
 *
 * @public
 */
export function validateManifests(
  files: ManifestFile[],
  options: ValidateManifestsOptions,
): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  for (const file of files) {
    problems.push(...validateFile(file, options));
  }
  return problems;
}

/**
 * Parses a multi-document YAML manifest file into its objects (empty
 * documents skipped), or the problems that stop it from being read: YAML
 * errors, duplicate keys, anchors and aliases.
 */
export function parseManifestFile(file: ManifestFile): {
  documents: Array<{ documentIndex: number; object: unknown }>;
  problems: ManifestProblem[];
} {
  const documents: Array<{ documentIndex: number; object: unknown }> = [];
  const problems: ManifestProblem[] = [];
  let docs;
  try {
    docs = parseAllDocuments(file.content, { merge: false, uniqueKeys: true });
  } catch (error) {
    problems.push({
      path: file.path,
      documentIndex: 0,
      rule: 'yaml',
      message: `not valid YAML: ${(error as Error).message}`,
    });
    return { documents, problems };
  }
  if (!Array.isArray(docs)) {
    return { documents, problems }; // an empty stream
  }
  docs.forEach((doc, documentIndex) => {
    if (doc.errors.length > 0) {
      problems.push({
        path: file.path,
        documentIndex,
        rule: 'yaml',
        message: `not valid YAML: ${doc.errors.map(e => e.message).join('; ')}`,
      });
      return;
    }
    let hasAlias = isAlias(doc.contents);
    visit(doc, {
      Alias() {
        hasAlias = true;
        return visit.BREAK;
      },
    });
    if (hasAlias) {
      problems.push({
        path: file.path,
        documentIndex,
        rule: 'yaml',
        message: 'YAML anchors and aliases are not allowed in manifests',
      });
      return;
    }
    if (doc.contents === null) {
      return; // an empty document, e.g. after a trailing `---`
    }
    documents.push({
      documentIndex,
      object: isCollection(doc.contents) ? doc.toJS() : undefined,
    });
  });
  return { documents, problems };
}

function validateFile(
  file: ManifestFile,
  options: ValidateManifestsOptions,
): ManifestProblem[] {
  const { documents, problems } = parseManifestFile(file);
  for (const { documentIndex, object } of documents) {
    problems.push(...validateObject(file.path, documentIndex, object, options));
  }
  return problems;
}

function validateObject(
  file: string,
  documentIndex: number,
  object: unknown,
  options: ValidateManifestsOptions,
): ManifestProblem[] {
  if (
    isKustomizationFile(file) ||
    (isObject(object) &&
      typeof object.apiVersion === 'string' &&
      object.apiVersion.startsWith('kustomize.config.k8s.io/'))
  ) {
    return validateKustomization(file, documentIndex, object, options);
  }

  if (
    !isObject(object) ||
    typeof object.apiVersion !== 'string' ||
    typeof object.kind !== 'string' ||
    !object.apiVersion ||
    !object.kind
  ) {
    return [
      {
        path: file,
        documentIndex,
        rule: 'object',
        message: 'a manifest must be a mapping with apiVersion and kind',
      },
    ];
  }
  const { apiVersion, kind } = object;
  if (apiVersion.startsWith('backstage.io/')) {
    return []; // a catalog entity (catalog-info.yaml), not a cluster object
  }

  const metadata: Obj = isObject(object.metadata) ? object.metadata : {};
  const name = typeof metadata.name === 'string' ? metadata.name : undefined;
  const problems: ManifestProblem[] = [];
  const problem = (rule: ManifestRule, message: string) =>
    problems.push({ path: file, documentIndex, kind, name, rule, message });

  const clusterScoped = isClusterScoped(apiVersion, kind);
  if (clusterScoped && !options.allowClusterScoped) {
    problem(
      'cluster-scoped',
      `${kind} is cluster-scoped; only team onboarding may write cluster-scoped objects`,
    );
  }

  if (!isKnownKind(apiVersion, kind)) {
    problem(
      'unknown-kind',
      `unknown kind ${kind} of apiVersion ${apiVersion}: the portal may only write the kinds it can validate`,
    );
  } else {
    const errors = schemaCheck(apiVersion, kind)(object);
    if (errors) {
      problem(
        'schema',
        `does not match the ${apiVersion} ${kind} schema: ${errors}`,
      );
    }
  }

  const nameProblem = dnsNameProblem(metadata.name);
  if (nameProblem) {
    problem(
      'dns-name',
      `metadata.name ${
        name === undefined ? '' : `"${String(metadata.name)}" `
      }${nameProblem}`,
    );
  }

  if (metadata.namespace !== undefined) {
    const namespace = metadata.namespace;
    const nsProblem = dnsLabelProblem(namespace);
    if (nsProblem) {
      problem(
        'dns-name',
        `metadata.namespace "${String(namespace)}" ${nsProblem}`,
      );
    } else if (
      isPlatformNamespace(namespace, options) &&
      !(
        ARGOCD_KINDS.includes(kind) &&
        apiVersion.startsWith('argoproj.io/') &&
        namespace === options.argocdNamespace
      )
    ) {
      problem(
        'platform-namespace',
        `metadata.namespace "${namespace}" belongs to the platform`,
      );
    }
  }

  if (kind === 'Namespace' && name && isPlatformNamespace(name, options)) {
    problem(
      'platform-namespace',
      `namespace "${name}" belongs to the platform`,
    );
  }

  if (!clusterScoped) {
    const labels: Obj = isObject(metadata.labels) ? metadata.labels : {};
    for (const label of REQUIRED_LABELS) {
      if (typeof labels[label] !== 'string' || labels[label] === '') {
        problem('required-label', `metadata.labels must set ${label}`);
      }
    }
  }

  const podSpec = podSpecOf(kind, object);
  if (isObject(podSpec)) {
    for (const field of ['initContainers', 'containers']) {
      const containers = Array.isArray(podSpec[field]) ? podSpec[field] : [];
      for (const container of containers) {
        const cname = isObject(container) ? container.name : undefined;
        const resources = isObject(container) ? container.resources : undefined;
        const missing = ['requests', 'limits'].flatMap(section =>
          ['cpu', 'memory']
            .filter(r => {
              const value =
                isObject(resources) && isObject(resources[section])
                  ? resources[section][r]
                  : undefined;
              return value === undefined || value === null || value === '';
            })
            .map(r => `${section}.${r}`),
        );
        if (missing.length > 0) {
          problem(
            'resources',
            `container "${String(cname)}" must set resources ${missing.join(
              ', ',
            )}`,
          );
        }
      }
    }
  }

  if (apiVersion.startsWith('argoproj.io/')) {
    const destinations: Array<[string, unknown]> = [];
    if (kind === 'Application') {
      destinations.push([
        'spec.destination.namespace',
        object.spec?.destination?.namespace,
      ]);
    } else if (kind === 'ApplicationSet') {
      destinations.push([
        'spec.template.spec.destination.namespace',
        object.spec?.template?.spec?.destination?.namespace,
      ]);
    }
    for (const [field, namespace] of destinations) {
      if (
        typeof namespace === 'string' &&
        !namespace.includes('{{') &&
        isPlatformNamespace(namespace, options)
      ) {
        problem(
          'platform-namespace',
          `${field} "${namespace}" belongs to the platform`,
        );
      }
    }
    if (kind === 'AppProject') {
      const samples = [
        'default',
        'openshift',
        'kube-system',
        'kube-public',
        'openshift-config',
        options.argocdNamespace,
        ...options.platformNamespaces,
      ];
      const list = Array.isArray(object.spec?.destinations)
        ? object.spec.destinations
        : [];
      for (const destination of list) {
        const pattern = isObject(destination)
          ? destination.namespace
          : undefined;
        if (typeof pattern !== 'string') continue;
        const re = globToRegExp(pattern.replace(/^!/, ''));
        const owned = pattern.startsWith('!')
          ? undefined
          : samples.find(ns => re.test(ns));
        if (owned) {
          problem(
            'platform-namespace',
            `spec.destinations namespace "${pattern}" would allow the platform namespace "${owned}"`,
          );
        }
      }
    }
  }
  return problems;
}
