import { deployment, runObjectRule } from '../__testUtils__';
import { argocdDestinationsRule } from './argocdDestinations';
import { clusterScopedRule } from './clusterScoped';
import { labelsRule } from './labels';
import { namesRule } from './names';
import { namespacesRule } from './namespaces';
import { resourcesRule } from './resources';
import { schemaRule } from './schema';

const CONFIG_MAP = (metadata: string) => `apiVersion: v1
kind: ConfigMap
metadata: ${metadata}
`;

describe('clusterScopedRule', () => {
  const binding = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: x }`;

  it('refuses cluster-scoped kinds unless onboarding allows them', () => {
    expect(runObjectRule(clusterScopedRule, binding)).toEqual([
      {
        rule: 'cluster-scoped',
        message:
          'ClusterRoleBinding is cluster-scoped; only team onboarding may write cluster-scoped objects',
      },
    ]);
    expect(
      runObjectRule(clusterScopedRule, binding, { allowClusterScoped: true }),
    ).toEqual([]);
  });

  it('knows cluster-scoped kinds it has no schema for', () => {
    expect(
      runObjectRule(
        clusterScopedRule,
        'apiVersion: security.openshift.io/v1\nkind: SecurityContextConstraints\nmetadata: { name: x }',
      ).map(f => f.rule),
    ).toEqual(['cluster-scoped']);
  });
});

describe('schemaRule', () => {
  it('refuses unknown kinds and reports schema errors', () => {
    expect(
      runObjectRule(schemaRule, 'apiVersion: example.com/v1\nkind: Widget'),
    ).toEqual([expect.objectContaining({ rule: 'unknown-kind' })]);
    expect(
      runObjectRule(
        schemaRule,
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: x }\nspec: { replicas: many }',
      ),
    ).toEqual([expect.objectContaining({ rule: 'schema' })]);
    expect(runObjectRule(schemaRule, deployment('quay.io/acme/api'))).toEqual(
      [],
    );
  });
});

describe('namesRule', () => {
  it('checks metadata.name as a DNS-1123 name and the namespace as a label', () => {
    expect(
      runObjectRule(
        namesRule,
        CONFIG_MAP('{ name: a.b, namespace: team-dev }'),
      ),
    ).toEqual([]);
    expect(
      runObjectRule(namesRule, CONFIG_MAP('{ name: A_b, namespace: a.b }')),
    ).toEqual([
      {
        rule: 'dns-name',
        message: expect.stringMatching(/^metadata\.name "A_b" must consist/),
      },
      {
        rule: 'dns-name',
        message: expect.stringMatching(
          /^metadata\.namespace "a\.b" .*DNS-1123 label/,
        ),
      },
    ]);
    expect(runObjectRule(namesRule, CONFIG_MAP('{}'))).toEqual([
      { rule: 'dns-name', message: 'metadata.name must be a non-empty string' },
    ]);
  });
});

describe('namespacesRule', () => {
  it('refuses platform namespaces, but lets Argo CD kinds live in Argo CD’s', () => {
    expect(
      runObjectRule(
        namespacesRule,
        CONFIG_MAP('{ name: x, namespace: openshift-gitops }'),
      ),
    ).toEqual([
      {
        rule: 'platform-namespace',
        message:
          'metadata.namespace "openshift-gitops" belongs to the platform',
      },
    ]);
    expect(
      runObjectRule(
        namespacesRule,
        'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: { name: x, namespace: openshift-gitops }',
      ),
    ).toEqual([]);
  });

  it('refuses a Namespace the platform owns, and leaves bad labels to the names rule', () => {
    expect(
      runObjectRule(
        namespacesRule,
        'apiVersion: v1\nkind: Namespace\nmetadata: { name: kube-evil }',
      ).map(f => f.message),
    ).toEqual(['namespace "kube-evil" belongs to the platform']);
    expect(
      runObjectRule(
        namespacesRule,
        CONFIG_MAP('{ name: x, namespace: Kube_ }'),
      ),
    ).toEqual([]);
  });
});

describe('labelsRule', () => {
  it('requires both labels on namespaced objects only', () => {
    expect(
      runObjectRule(labelsRule, CONFIG_MAP('{ name: x }')).map(f => f.message),
    ).toEqual([
      'metadata.labels must set app.kubernetes.io/name',
      'metadata.labels must set portal.platform/team',
    ]);
    expect(
      runObjectRule(
        labelsRule,
        'apiVersion: v1\nkind: Namespace\nmetadata: { name: x }',
      ),
    ).toEqual([]);
  });
});

describe('resourcesRule', () => {
  it('names each container that misses requests or limits', () => {
    expect(
      runObjectRule(resourcesRule, deployment('quay.io/acme/api')),
    ).toEqual([]);
    const pod = `apiVersion: v1
kind: Pod
metadata: { name: p }
spec:
  initContainers: [{ name: init, image: x, resources: { requests: { cpu: 1, memory: 1Mi } } }]
  containers: [{ name: main, image: x, resources: { limits: { cpu: 1, memory: '' } } }]`;
    expect(runObjectRule(resourcesRule, pod).map(f => f.message)).toEqual([
      'container "init" must set resources limits.cpu, limits.memory',
      'container "main" must set resources requests.cpu, requests.memory, limits.memory',
    ]);
  });
});

describe('argocdDestinationsRule', () => {
  const project = (namespace: string) => `apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata: { name: p }
spec:
  destinations: [{ server: https://kubernetes.default.svc, namespace: '${namespace}' }]`;

  it.each([
    ['*', 'default'],
    ['kube-system', 'kube-system'],
    ['openshift-m*', 'openshift-*'],
    ['k?be-*', 'kube-system'],
    ['[k]ube-dns', 'kube-*'],
    ['{payments-dev,kube-system}', 'kube-system'],
    ['platform-*', 'platform-monitoring'],
  ])('refuses an AppProject destination %s', (glob, owned) => {
    expect(runObjectRule(argocdDestinationsRule, project(glob))).toEqual([
      {
        rule: 'platform-namespace',
        message: `spec.destinations namespace "${glob}" would allow the platform namespace "${owned}"`,
      },
    ]);
  });

  it.each(['payments-*', 'payments-{dev,test,prod}', '!kube-*', 'team-?'])(
    'accepts an AppProject destination %s',
    glob => {
      expect(runObjectRule(argocdDestinationsRule, project(glob))).toEqual([]);
    },
  );

  it('refuses Applications and ApplicationSets aimed at platform namespaces, not Go templates', () => {
    const app = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: { name: a }
spec: { destination: { namespace: openshift-config } }`;
    expect(runObjectRule(argocdDestinationsRule, app)).toEqual([
      {
        rule: 'platform-namespace',
        message:
          'spec.destination.namespace "openshift-config" belongs to the platform',
      },
    ]);
    const set = (namespace: string) => `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: { name: s }
spec: { template: { spec: { destination: { namespace: '${namespace}' } } } }`;
    expect(
      runObjectRule(argocdDestinationsRule, set('kube-system')),
    ).toHaveLength(1);
    expect(
      runObjectRule(argocdDestinationsRule, set('{{ .path.basename }}')),
    ).toEqual([]);
  });
});
