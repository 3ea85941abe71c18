import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import { ROUTE_SCHEMA } from '@internal/schemas';

/** A schema check: undefined when the object is valid, else the errors. */
export type SchemaCheck = (
  object: Record<string, unknown>,
) => string | undefined;

/** Where a kind's model lives and whether the kind is cluster-scoped. */
interface KindEntry {
  /** npm package and file of the model class, e.g. `kubernetes-models` + `apps/v1/Deployment.js`. */
  model?: { pkg: string; file: string };
  /** A JSON schema of our own where no model package exists (Route). */
  schema?: object;
  clusterScoped: boolean;
}

const K8S = 'kubernetes-models';
const ARGO = '@kubernetes-models/argo-cd';
const CNPG = '@kubernetes-models/cloudnative-pg';

function k8s(file: string, clusterScoped = false): KindEntry {
  return { model: { pkg: K8S, file }, clusterScoped };
}

/**
 * The kinds the portal may write, by `apiVersion/kind`. Anything else is an
 * unknown kind. Core, apps, batch, networking, autoscaling, policy and RBAC
 * come from `kubernetes-models`; Argo CD from `@kubernetes-models/argo-cd`;
 * CloudNativePG from `@kubernetes-models/cloudnative-pg`; the OpenShift
 * Route from a JSON schema written after its CRD (no models package for
 * OpenShift is published on the npm registry).
 */
const KINDS: Record<string, KindEntry> = {
  'v1/ConfigMap': k8s('v1/ConfigMap.js'),
  'v1/Secret': k8s('v1/Secret.js'),
  'v1/Service': k8s('v1/Service.js'),
  'v1/ServiceAccount': k8s('v1/ServiceAccount.js'),
  'v1/PersistentVolumeClaim': k8s('v1/PersistentVolumeClaim.js'),
  'v1/Pod': k8s('v1/Pod.js'),
  'v1/LimitRange': k8s('v1/LimitRange.js'),
  'v1/ResourceQuota': k8s('v1/ResourceQuota.js'),
  'v1/Namespace': k8s('v1/Namespace.js', true),
  'v1/PersistentVolume': k8s('v1/PersistentVolume.js', true),
  'apps/v1/Deployment': k8s('apps/v1/Deployment.js'),
  'apps/v1/StatefulSet': k8s('apps/v1/StatefulSet.js'),
  'apps/v1/DaemonSet': k8s('apps/v1/DaemonSet.js'),
  'batch/v1/Job': k8s('batch/v1/Job.js'),
  'batch/v1/CronJob': k8s('batch/v1/CronJob.js'),
  'networking.k8s.io/v1/Ingress': k8s('networking.k8s.io/v1/Ingress.js'),
  'networking.k8s.io/v1/NetworkPolicy': k8s(
    'networking.k8s.io/v1/NetworkPolicy.js',
  ),
  'autoscaling/v1/HorizontalPodAutoscaler': k8s(
    'autoscaling/v1/HorizontalPodAutoscaler.js',
  ),
  'autoscaling/v2/HorizontalPodAutoscaler': k8s(
    'autoscaling/v2/HorizontalPodAutoscaler.js',
  ),
  'policy/v1/PodDisruptionBudget': k8s('policy/v1/PodDisruptionBudget.js'),
  'rbac.authorization.k8s.io/v1/Role': k8s(
    'rbac.authorization.k8s.io/v1/Role.js',
  ),
  'rbac.authorization.k8s.io/v1/RoleBinding': k8s(
    'rbac.authorization.k8s.io/v1/RoleBinding.js',
  ),
  'rbac.authorization.k8s.io/v1/ClusterRole': k8s(
    'rbac.authorization.k8s.io/v1/ClusterRole.js',
    true,
  ),
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': k8s(
    'rbac.authorization.k8s.io/v1/ClusterRoleBinding.js',
    true,
  ),
  'apiextensions.k8s.io/v1/CustomResourceDefinition': k8s(
    'apiextensions.k8s.io/v1/CustomResourceDefinition.js',
    true,
  ),
  'storage.k8s.io/v1/StorageClass': k8s(
    'storage.k8s.io/v1/StorageClass.js',
    true,
  ),
  'scheduling.k8s.io/v1/PriorityClass': k8s(
    'scheduling.k8s.io/v1/PriorityClass.js',
    true,
  ),
  'admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration': k8s(
    'admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration.js',
    true,
  ),
  'admissionregistration.k8s.io/v1/MutatingWebhookConfiguration': k8s(
    'admissionregistration.k8s.io/v1/MutatingWebhookConfiguration.js',
    true,
  ),
  'argoproj.io/v1alpha1/Application': {
    model: { pkg: ARGO, file: 'argoproj.io/v1alpha1/Application.js' },
    clusterScoped: false,
  },
  'argoproj.io/v1alpha1/AppProject': {
    model: { pkg: ARGO, file: 'argoproj.io/v1alpha1/AppProject.js' },
    clusterScoped: false,
  },
  'argoproj.io/v1alpha1/ApplicationSet': {
    model: { pkg: ARGO, file: 'argoproj.io/v1alpha1/ApplicationSet.js' },
    clusterScoped: false,
  },
  'postgresql.cnpg.io/v1/Cluster': {
    model: { pkg: CNPG, file: 'postgresql.cnpg.io/v1/Cluster.js' },
    clusterScoped: false,
  },
  'postgresql.cnpg.io/v1/ScheduledBackup': {
    model: { pkg: CNPG, file: 'postgresql.cnpg.io/v1/ScheduledBackup.js' },
    clusterScoped: false,
  },
  'postgresql.cnpg.io/v1/Pooler': {
    model: { pkg: CNPG, file: 'postgresql.cnpg.io/v1/Pooler.js' },
    clusterScoped: false,
  },
  'postgresql.cnpg.io/v1/Database': {
    model: { pkg: CNPG, file: 'postgresql.cnpg.io/v1/Database.js' },
    clusterScoped: false,
  },
  'route.openshift.io/v1/Route': { schema: ROUTE_SCHEMA, clusterScoped: false },
};

/**
 * Kinds that are cluster-scoped whatever their apiVersion, so that one the
 * validator has no schema for is still refused as cluster-scoped.
 */
const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace',
  'PersistentVolume',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'StorageClass',
  'PriorityClass',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'APIService',
  'IngressClass',
  'RuntimeClass',
  'Node',
  'ClusterIssuer',
  'ClusterImageCatalog',
  'SecurityContextConstraints',
  'ClusterResourceQuota',
  'Project',
  'ProjectRequest',
  'ClusterVersion',
  'ClusterOperator',
]);

/** Whether a kind is cluster-scoped. */
export function isClusterScoped(apiVersion: string, kind: string): boolean {
  return (
    KINDS[`${apiVersion}/${kind}`]?.clusterScoped ??
    CLUSTER_SCOPED_KINDS.has(kind)
  );
}

/** Whether the validator knows the kind. */
export function isKnownKind(apiVersion: string, kind: string): boolean {
  return `${apiVersion}/${kind}` in KINDS;
}

/** Every known `apiVersion/kind`, for messages. */
export function knownKinds(): string[] {
  return Object.keys(KINDS).sort();
}

/** The directory of an installed package, found like Node's resolver would. */
function packageDir(name: string): string {
  for (const dir of require.resolve.paths(name) ?? []) {
    const candidate = path.join(dir, name);
    if (fs.existsSync(path.join(candidate, 'package.json'))) {
      return candidate;
    }
  }
  throw new Error(`Package ${name} is not installed`);
}

/**
 * Node's own `require`, also under Jest (whose module registry cannot load
 * ES modules synchronously).
 */
function nodeRequire(): NodeJS.Require {
  const nodeModule = (
    process as unknown as {
      getBuiltinModule(id: string): typeof import('node:module');
    }
  ).getBuiltinModule('node:module');
  return nodeModule.createRequire(__filename);
}

type ModelClass = new (data: unknown) => { validate(): void };

const checks = new Map<string, SchemaCheck>();
let ajv: Ajv | undefined;

/**
 * The schema check of a known kind, loaded on first use.
 *
 * The kubernetes-models packages are ES modules that export only an
 * `import` condition; they are loaded by file through Node's synchronous
 * `require` of ES modules (Node 22.12 and later), which keeps
 * {@link validateManifests} synchronous.
 */
export function schemaCheck(apiVersion: string, kind: string): SchemaCheck {
  const key = `${apiVersion}/${kind}`;
  const cached = checks.get(key);
  if (cached) {
    return cached;
  }
  const entry = KINDS[key];
  if (!entry) {
    throw new Error(`No schema for ${key}`);
  }
  let check: SchemaCheck;
  if (entry.model) {
    const exported = nodeRequire()(
      path.join(packageDir(entry.model.pkg), entry.model.file),
    ) as Record<string, ModelClass>;
    const Model = exported[kind];
    check = object => {
      try {
        new Model(object).validate();
        return undefined;
      } catch (error) {
        return (error as Error).message.replace(/^Error: /, '');
      }
    };
  } else {
    ajv ??= new Ajv({ allErrors: true, allowUnionTypes: true });
    const validate = ajv.compile(entry.schema!);
    check = object =>
      validate(object)
        ? undefined
        : (validate.errors ?? [])
            .map(e => `data${e.instancePath} ${e.message}`)
            .join(', ');
  }
  checks.set(key, check);
  return check;
}
