import { isObject, Obj } from './parse';

/** The pod spec of a workload, if the kind has one. */
export function podSpecOf(kind: string, object: Obj): Obj | undefined {
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

/** The container lists of a pod spec that requests and limits apply to. */
export const RESOURCE_CONTAINER_FIELDS = ['initContainers', 'containers'];

/** The entries of a pod spec's container lists in the given fields. */
export function containersOf(podSpec: unknown, fields: string[]): unknown[] {
  if (!isObject(podSpec)) return [];
  return fields.flatMap(field =>
    Array.isArray(podSpec[field]) ? podSpec[field] : [],
  );
}

/** An image an object would run, and where it says so. */
export interface ImageUse {
  /** For messages: `container "api"` or `spec.imageName`. */
  where: string;
  image: unknown;
}

/** Every container list of a pod spec, ephemeral containers included. */
const ALL_CONTAINER_FIELDS = [
  'initContainers',
  'containers',
  'ephemeralContainers',
];

/**
 * The images an object would run: the containers of workloads (and of a
 * CloudNativePG Pooler's pod template) and a CloudNativePG Cluster's
 * `imageName` (when unset, the operator's own image runs).
 */
export function imagesOf(apiVersion: string, kind: string, object: Obj) {
  const uses: ImageUse[] = [];
  const cnpg = apiVersion.startsWith('postgresql.cnpg.io/');
  const podSpec =
    cnpg && kind === 'Pooler'
      ? object.spec?.template?.spec
      : podSpecOf(kind, object);
  for (const container of containersOf(podSpec, ALL_CONTAINER_FIELDS)) {
    if (!isObject(container)) continue;
    uses.push({
      where: `container "${String(container.name)}"`,
      image: container.image,
    });
  }
  if (cnpg && kind === 'Cluster' && object.spec?.imageName !== undefined) {
    uses.push({ where: 'spec.imageName', image: object.spec.imageName });
  }
  return uses;
}
