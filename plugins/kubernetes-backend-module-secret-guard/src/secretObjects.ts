import {
  FetchResponse,
  ObjectsByEntityResponse,
} from '@backstage/plugin-kubernetes-common';

/**
 * Annotations that tools fill with an object's contents: kubectl keeps the
 * whole manifest it last applied (a Secret's `data` and `stringData`, a
 * ConfigMap's values, a Deployment's inline env values, including values
 * since patched away from the live object), and OpenShift copies a service
 * account's token into its token Secrets. The portal never reads them, and
 * what they hold that matters is in the live object anyway, so they are
 * removed from objects of every kind.
 */
export const DATA_CARRYING_ANNOTATIONS: readonly string[] = [
  'kubectl.kubernetes.io/last-applied-configuration',
  'openshift.io/token-secret.value',
];

/*
 * What is kept of a Secret-like object: who it is and what type, never what
 * it holds. An allowlist, because any other field (annotations written by
 * whichever tool, managedFields, a look-alike's spec) may repeat the data.
 */
const SECRET_FIELDS = ['apiVersion', 'kind', 'type', 'immutable'];
const SECRET_METADATA_FIELDS = [
  'name',
  'namespace',
  'uid',
  'labels',
  'creationTimestamp',
  'deletionTimestamp',
  'resourceVersion',
  'ownerReferences',
];

type KubernetesObject = Record<string, unknown>;

function isObject(value: unknown): value is KubernetesObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function pick(source: KubernetesObject, fields: readonly string[]) {
  return Object.fromEntries(
    fields
      .filter(field => field in source)
      .map(field => [field, source[field]]),
  );
}

/**
 * Whether an object is a Secret or looks like one. Items of a list carry no
 * kind of their own (the plugin copies the list's kind onto custom resources
 * only), so an object with a string `type` beside `data` or `stringData`,
 * the shape of a Secret, counts too.
 */
export function isSecretLike(responseType: string, object: unknown): boolean {
  if (responseType === 'secrets') {
    return true;
  }
  if (!isObject(object)) {
    return false;
  }
  return (
    object.kind === 'Secret' ||
    (typeof object.type === 'string' &&
      ('data' in object || 'stringData' in object))
  );
}

function secretMetadataOnly(secret: KubernetesObject): KubernetesObject {
  const metadata = isObject(secret.metadata) ? secret.metadata : {};
  return {
    ...pick(secret, SECRET_FIELDS),
    metadata: pick(metadata, SECRET_METADATA_FIELDS),
  };
}

function withoutDataCarryingAnnotations(object: unknown): unknown {
  if (!isObject(object) || !isObject(object.metadata)) {
    return object;
  }
  const { annotations } = object.metadata;
  if (!isObject(annotations)) {
    return object;
  }
  const kept = Object.fromEntries(
    Object.entries(annotations).filter(
      ([name]) => !DATA_CARRYING_ANNOTATIONS.includes(name),
    ),
  );
  return { ...object, metadata: { ...object.metadata, annotations: kept } };
}

/** Whether any object of the answer is Secret-like. */
export function containsSecretLike(response: ObjectsByEntityResponse): boolean {
  return response.items.some(cluster =>
    cluster.resources.some(fetched =>
      (fetched.resources as unknown[]).some(object =>
        isSecretLike(fetched.type, object),
      ),
    ),
  );
}

function redactFetchResponse(
  fetched: FetchResponse,
  keepSecrets: boolean,
): FetchResponse {
  const resources = (fetched.resources as unknown[]).flatMap(object => {
    if (!isSecretLike(fetched.type, object)) {
      return [withoutDataCarryingAnnotations(object)];
    }
    return keepSecrets && isObject(object) ? [secretMetadataOnly(object)] : [];
  });
  return { ...fetched, resources } as FetchResponse;
}

/**
 * The answer of a Kubernetes route as it may leave the backend: no object
 * with its data-carrying annotations, Secret-like objects reduced to their
 * metadata, or left out entirely when the caller may not see Secrets.
 */
export function redactObjectsResponse(
  response: ObjectsByEntityResponse,
  keepSecrets: boolean,
): ObjectsByEntityResponse {
  return {
    ...response,
    items: response.items.map(cluster => ({
      ...cluster,
      resources: cluster.resources.map(fetched =>
        redactFetchResponse(fetched, keepSecrets),
      ),
    })),
  };
}
