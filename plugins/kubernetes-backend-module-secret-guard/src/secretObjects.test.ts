import { ObjectsByEntityResponse } from '@backstage/plugin-kubernetes-common';
import {
  DATA_CARRYING_ANNOTATIONS,
  containsSecretLike,
  isSecretLike,
  redactObjectsResponse,
} from './secretObjects';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const SECRET_VALUE = 'c2VjcmV0LXZhbHVl';

function secret(extra: object = {}) {
  return {
    metadata: {
      name: 'db',
      namespace: 'payments',
      uid: 'u1',
      labels: { app: 'db' },
      annotations: {
        [LAST_APPLIED]: `{"data":{"password":"${SECRET_VALUE}"}}`,
        'meta.helm.sh/release-name': 'db',
      },
      managedFields: [{ fieldsV1: { 'f:data': { 'f:password': {} } } }],
    },
    type: 'Opaque',
    data: { password: SECRET_VALUE },
    ...extra,
  };
}

function answer(
  ...resources: Array<{ type: string; resources: unknown[] }>
): ObjectsByEntityResponse {
  return {
    items: [
      {
        cluster: { name: 'c1' },
        podMetrics: [],
        errors: [],
        resources: resources as any,
      },
    ],
  };
}

describe('isSecretLike', () => {
  it.each([
    ['anything fetched as secrets', 'secrets', {}],
    ['kind Secret', 'customresources', { kind: 'Secret' }],
    ['a kindless object shaped like a Secret', 'pods', secret()],
    ['stringData only', 'customresources', { type: 'x', stringData: {} }],
  ])('counts %s', (_name, type, object) => {
    expect(isSecretLike(type, object)).toBe(true);
  });

  it.each([
    ['a ConfigMap', 'configmaps', { kind: 'ConfigMap', data: { a: 'b' } }],
    ['a Service with a type', 'services', { spec: { type: 'ClusterIP' } }],
    ['no object', 'customresources', null],
  ])('does not count %s', (_name, type, object) => {
    expect(isSecretLike(type, object)).toBe(false);
  });
});

describe('redactObjectsResponse', () => {
  it('keeps only the metadata of Secrets for callers who may see them', () => {
    const redacted = redactObjectsResponse(
      answer({
        type: 'customresources',
        resources: [secret({ kind: 'Secret', stringData: { token: 't' } })],
      }),
      true,
    );
    expect(redacted.items[0].resources[0].resources).toEqual([
      {
        kind: 'Secret',
        type: 'Opaque',
        metadata: {
          name: 'db',
          namespace: 'payments',
          uid: 'u1',
          labels: { app: 'db' },
        },
      },
    ]);
    expect(JSON.stringify(redacted)).not.toContain(SECRET_VALUE);
  });

  it('leaves Secrets out for callers who may not see them', () => {
    const redacted = redactObjectsResponse(
      answer(
        { type: 'secrets', resources: [secret()] },
        { type: 'pods', resources: [{ metadata: { name: 'p' } }] },
      ),
      false,
    );
    expect(redacted.items[0].resources).toEqual([
      { type: 'secrets', resources: [] },
      { type: 'pods', resources: [{ metadata: { name: 'p' } }] },
    ]);
  });

  it('removes data-carrying annotations from every other kind, and only those', () => {
    const annotations: Record<string, string> = {
      ...Object.fromEntries(
        DATA_CARRYING_ANNOTATIONS.map(name => [name, SECRET_VALUE]),
      ),
      'argocd.argoproj.io/tracking-id': 'payments:/ConfigMap:settings',
    };
    const configMap = {
      kind: 'ConfigMap',
      metadata: { name: 'settings', annotations },
      data: { LOG_LEVEL: 'info' },
    };
    const redacted = redactObjectsResponse(
      answer({ type: 'configmaps', resources: [configMap] }),
      false,
    );
    expect(redacted.items[0].resources[0].resources).toEqual([
      {
        kind: 'ConfigMap',
        metadata: {
          name: 'settings',
          annotations: {
            'argocd.argoproj.io/tracking-id': 'payments:/ConfigMap:settings',
          },
        },
        data: { LOG_LEVEL: 'info' },
      },
    ]);
    // The answer the plugin built is not changed in place.
    expect(configMap.metadata.annotations[LAST_APPLIED]).toBe(SECRET_VALUE);
  });
});

describe('containsSecretLike', () => {
  it('finds a Secret in any cluster and resource list', () => {
    expect(
      containsSecretLike(
        answer(
          { type: 'pods', resources: [{}] },
          { type: 'customresources', resources: [{ kind: 'Secret' }] },
        ),
      ),
    ).toBe(true);
    expect(containsSecretLike(answer({ type: 'pods', resources: [{}] }))).toBe(
      false,
    );
  });
});
