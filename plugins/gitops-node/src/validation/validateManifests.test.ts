import { parseManifestFile, validateManifests } from './validateManifests';
import { ManifestProblem } from './types';

const OPTIONS = {
  allowClusterScoped: false,
  platformNamespaces: ['platform-monitoring'],
  argocdNamespace: 'openshift-gitops',
  allowedImageRegistries: ['quay.io/acme', 'docker.io/library/busybox'],
};

const LABELS = `    app.kubernetes.io/name: api
    portal.platform/team: payments`;

const RESOURCES = `          resources:
            requests: { cpu: 100m, memory: 128Mi }
            limits: { cpu: 500m, memory: 256Mi }`;

function deployment({
  name = 'api',
  namespace,
  resources = RESOURCES,
  labels = LABELS,
}: {
  name?: string;
  namespace?: string;
  resources?: string;
  labels?: string;
} = {}) {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
${namespace ? `  namespace: ${namespace}\n` : ''}  labels:
${labels}
spec:
  selector:
    matchLabels:
      app.kubernetes.io/name: api
  template:
    metadata:
      labels:
        app.kubernetes.io/name: api
    spec:
      containers:
        - name: api
          image: quay.io/acme/api:1.0.0
${resources}
`;
}

function validate(
  files: Record<string, string>,
  options: Partial<typeof OPTIONS> & {
    fileExists?: (p: string) => boolean;
  } = {},
): ManifestProblem[] {
  return validateManifests(
    Object.entries(files).map(([path, content]) => ({ path, content })),
    { ...OPTIONS, ...options },
  );
}

function rules(problems: ManifestProblem[]) {
  return problems.map(p => p.rule);
}

describe('validateManifests', () => {
  it('accepts a valid service: Deployment, Service, Route, HPA and catalog entity', () => {
    const problems = validate({
      'services/payments/api/base/deployment.yaml': deployment(),
      'services/payments/api/base/service.yaml': `apiVersion: v1
kind: Service
metadata:
  name: api
  labels:
${LABELS}
spec:
  selector: { app.kubernetes.io/name: api }
  ports: [{ name: http, port: 8080, targetPort: http }]
`,
      'services/payments/api/base/route.yaml': `apiVersion: route.openshift.io/v1
kind: Route
metadata:
  name: api
  labels:
${LABELS}
spec:
  to: { kind: Service, name: api }
  port: { targetPort: http }
  tls: { termination: edge, insecureEdgeTerminationPolicy: Redirect }
`,
      'services/payments/api/base/hpa.yaml': `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: api
  labels:
${LABELS}
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: api }
  minReplicas: 2
  maxReplicas: 5
`,
      'services/payments/api/catalog-info.yaml': `apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: Payments_API }
spec: { type: service, owner: payments, lifecycle: production }
`,
    });
    expect(problems).toEqual([]);
  });

  it('accepts a CloudNativePG Cluster and an Argo CD Application in the Argo CD namespace', () => {
    expect(
      validate({
        'databases/payments/db/cluster.yaml': `apiVersion: postgresql.cnpg.io/v1
kind: Cluster
metadata:
  name: payments-db
  labels:
    app.kubernetes.io/name: payments-db
    portal.platform/team: payments
spec:
  instances: 3
  storage: { size: 10Gi }
`,
        'apps/payments.yaml': `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: payments
  namespace: openshift-gitops
  labels:
    app.kubernetes.io/name: payments
    portal.platform/team: payments
spec:
  project: payments
  source: { repoURL: 'https://git.example.com/gitops.git', path: services/payments, targetRevision: main }
  destination: { server: 'https://kubernetes.default.svc', namespace: payments-dev }
`,
      }),
    ).toEqual([]);
  });

  it('parses a value containing # and : to exactly one object', () => {
    const problems = validate({
      'cm.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  labels:
${LABELS}
data:
  url: "http://db:5432/app#main"
  note: 'a: b # not a comment'
  plain: value#with-hash
`,
    });
    expect(problems).toEqual([]);
    const parsed = parseManifestFile({
      path: 'cm.yaml',
      content: `apiVersion: v1
kind: ConfigMap
metadata: { name: settings } # a comment
data:
  url: "http://db:5432/app#main"
  note: 'a: b # not a comment'
  plain: value#with-hash
  trailing: kept # dropped
`,
    });
    expect(parsed.problems).toEqual([]);
    expect(parsed.documents).toHaveLength(1);
    expect((parsed.documents[0].object as any).data).toEqual({
      url: 'http://db:5432/app#main',
      note: 'a: b # not a comment',
      plain: 'value#with-hash',
      trailing: 'kept',
    });
  });

  it.each([
    ['capitals', 'Payments-API', /lower-case/],
    ['64 characters', 'a'.repeat(64), /at most 63 characters \(has 64\)/],
    ['a leading dash', '-api', /start and end with a letter or digit/],
    ['an underscore', 'api_v2', /lower-case/],
  ])('refuses a name with %s', (_, name, message) => {
    const problems = validate({ 'd.yaml': deployment({ name }) });
    const dns = problems.filter(p => p.rule === 'dns-name');
    expect(dns).toHaveLength(1);
    expect(dns[0]).toMatchObject({
      path: 'd.yaml',
      documentIndex: 0,
      kind: 'Deployment',
      name,
    });
    expect(dns[0].message).toMatch(message);
  });

  it.each([
    'kube-system',
    'kube-public',
    'openshift-monitoring',
    'openshift',
    'default',
    'openshift-gitops',
    'platform-monitoring',
  ])('refuses metadata.namespace %s', namespace => {
    const problems = validate({ 'd.yaml': deployment({ namespace }) });
    expect(rules(problems)).toEqual(['platform-namespace']);
    expect(problems[0].message).toContain(namespace);
  });

  it('refuses a namespace that is not a DNS-1123 label', () => {
    const problems = validate({
      'd.yaml': deployment({ namespace: 'Payments.dev' }),
    });
    expect(rules(problems)).toEqual(['dns-name']);
  });

  it('refuses a Deployment missing limits, naming the container', () => {
    const problems = validate({
      'd.yaml': deployment({
        resources: `          resources:
            requests: { cpu: 100m, memory: 128Mi }`,
      }),
    });
    expect(problems).toEqual([
      {
        path: 'd.yaml',
        documentIndex: 0,
        kind: 'Deployment',
        name: 'api',
        rule: 'resources',
        message: 'container "api" must set resources limits.cpu, limits.memory',
      },
    ]);
  });

  it('refuses a container without any resources, init containers and CronJobs included', () => {
    const problems = validate({
      'cron.yaml': `apiVersion: batch/v1
kind: CronJob
metadata:
  name: report
  labels:
${LABELS}
spec:
  schedule: '0 * * * *'
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          initContainers: [{ name: init, image: busybox }]
          containers: [{ name: job, image: busybox }]
`,
    });
    expect(rules(problems)).toEqual(['resources', 'resources']);
    expect(problems.map(p => p.message)).toEqual([
      'container "init" must set resources requests.cpu, requests.memory, limits.cpu, limits.memory',
      'container "job" must set resources requests.cpu, requests.memory, limits.cpu, limits.memory',
    ]);
  });

  it('finds a ClusterRoleBinding smuggled into a service as the second document', () => {
    const problems = validate({
      'services/payments/api/base/deployment.yaml': `${deployment()}---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: api-admin
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin }
subjects: [{ kind: ServiceAccount, name: default, namespace: payments-dev }]
`,
    });
    expect(problems).toEqual([
      expect.objectContaining({
        path: 'services/payments/api/base/deployment.yaml',
        documentIndex: 1,
        kind: 'ClusterRoleBinding',
        name: 'api-admin',
        rule: 'cluster-scoped',
      }),
    ]);
  });

  it('allows cluster-scoped objects for team onboarding, but never a platform Namespace', () => {
    const namespace = (name: string) => `apiVersion: v1
kind: Namespace
metadata:
  name: ${name}
  labels: { portal.platform/team: payments }
`;
    expect(
      validate(
        { 'teams/payments/ns.yaml': namespace('payments-dev') },
        { allowClusterScoped: true },
      ),
    ).toEqual([]);
    expect(
      rules(validate({ 'teams/payments/ns.yaml': namespace('payments-dev') })),
    ).toEqual(['cluster-scoped']);
    const owned = validate(
      { 'teams/payments/ns.yaml': namespace('openshift-x') },
      { allowClusterScoped: true },
    );
    expect(rules(owned)).toEqual(['platform-namespace']);
  });

  it('refuses an Argo CD Application aimed at a platform namespace', () => {
    const problems = validate({
      'apps/evil.yaml': `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: evil
  namespace: openshift-gitops
  labels:
    app.kubernetes.io/name: evil
    portal.platform/team: payments
spec:
  project: payments
  source: { repoURL: 'https://git.example.com/gitops.git', path: evil }
  destination: { server: 'https://kubernetes.default.svc', namespace: kube-system }
`,
    });
    expect(problems).toEqual([
      expect.objectContaining({
        kind: 'Application',
        rule: 'platform-namespace',
        message:
          'spec.destination.namespace "kube-system" belongs to the platform',
      }),
    ]);
  });

  it('refuses an AppProject whose destinations would include platform namespaces', () => {
    const problems = validate({
      'teams/payments/project.yaml': `apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata:
  name: payments
  namespace: openshift-gitops
  labels:
    app.kubernetes.io/name: payments
    portal.platform/team: payments
spec:
  destinations:
    - { server: 'https://kubernetes.default.svc', namespace: 'payments-*' }
    - { server: 'https://kubernetes.default.svc', namespace: '*' }
`,
    });
    expect(rules(problems)).toEqual(['platform-namespace']);
    expect(problems[0].message).toContain('"*"');
  });

  it('requires the app and team labels on namespaced objects', () => {
    const problems = validate({
      'd.yaml': deployment({ labels: '    app.kubernetes.io/name: api' }),
    });
    expect(problems).toEqual([
      expect.objectContaining({
        rule: 'required-label',
        message: 'metadata.labels must set portal.platform/team',
      }),
    ]);
  });

  it('refuses unknown kinds and objects without apiVersion or kind', () => {
    const problems = validate({
      'x.yaml': `apiVersion: example.com/v1
kind: Widget
metadata:
  name: w
  labels:
${LABELS}
---
just: a map
---
- a
- list
`,
    });
    expect(problems.map(p => [p.documentIndex, p.rule])).toEqual([
      [0, 'unknown-kind'],
      [1, 'object'],
      [2, 'object'],
    ]);
  });

  it('reports schema errors of the real models', () => {
    const problems = validate({
      'd.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  labels:
${LABELS}
spec:
  replicas: many
`,
      'r.yaml': `apiVersion: route.openshift.io/v1
kind: Route
metadata:
  name: api
  labels:
${LABELS}
spec:
  to: { kind: Service, name: api }
  tls: { termination: plain }
`,
    });
    expect(problems.map(p => [p.path, p.rule])).toEqual([
      ['d.yaml', 'schema'],
      ['r.yaml', 'schema'],
    ]);
    expect(problems[0].message).toMatch(/selector|replicas/);
    expect(problems[1].message).toMatch(/termination/);
  });

  it('refuses YAML errors, duplicate keys and anchors', () => {
    const problems = validate({
      'broken.yaml': 'apiVersion: v1\nkind: [ConfigMap\n',
      'dup.yaml': 'apiVersion: v1\nkind: ConfigMap\nkind: Secret\n',
      'alias.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: a
  labels: &labels
${LABELS}
data: *labels
`,
    });
    expect(problems.map(p => [p.path, p.rule])).toEqual([
      ['broken.yaml', 'yaml'],
      ['dup.yaml', 'yaml'],
      ['alias.yaml', 'yaml'],
    ]);
  });

  describe('kustomization files', () => {
    const exists = (p: string) =>
      [
        'services/payments/api/base',
        'services/payments/api/base/deployment.yaml',
      ].includes(p);

    it('accepts local resources inside the tree', () => {
      expect(
        validate(
          {
            'services/payments/api/overlays/dev/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: payments-dev
resources: [../../base]
images: [{ name: api, newName: quay.io/acme/api, newTag: '1.0.0' }]
`,
          },
          { fileExists: exists },
        ),
      ).toEqual([]);
    });

    it.each([
      [
        'a remote resource',
        'resources: [https://github.com/evil/manifests//base?ref=main]',
        /remote/,
      ],
      [
        'a git shorthand',
        'resources: [github.com/evil/manifests/base]',
        /remote/,
      ],
      [
        'a path outside the tree',
        'resources: [../../../../../../etc]',
        /outside the repository/,
      ],
      ['an absolute path', 'resources: [/etc/passwd]', /relative path/],
      ['a missing file', 'resources: [missing.yaml]', /does not exist/],
      [
        'a Helm chart',
        'helmCharts: [{ name: x, repo: https://charts.example.com }]',
        /helmCharts/,
      ],
      [
        'a platform namespace',
        'namespace: kube-system',
        /belongs to the platform/,
      ],
      [
        'an invalid tag',
        'images: [{ name: api, newTag: "bad tag" }]',
        /not a valid image tag/,
      ],
    ])('refuses %s', (_, body, message) => {
      const problems = validate(
        {
          'services/payments/api/overlays/dev/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
${body}
`,
        },
        { fileExists: exists },
      );
      expect(problems).toHaveLength(1);
      expect(problems[0].kind).toBe('Kustomization');
      expect(problems[0].message).toMatch(message);
    });
  });
});
