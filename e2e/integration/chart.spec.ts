import { expect, test } from '@playwright/test';
import Ajv from 'ajv';
import fs from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, parseDocument } from 'yaml';
import type { YAMLMap } from 'yaml';
import { repoRoot } from '@internal/test-harness';
import {
  chartAppConfig,
  chartDir,
  chartScratchDir,
  checksum,
  deployment,
  envByName,
  FULLNAME,
  lint,
  NAMESPACE,
  type Obj,
  ofKind,
  one,
  portalContainer,
  render,
  selects,
  templateRaw,
  validateObject,
  valuesFile,
} from '../support/chart';

/**
 * The Helm chart in charts/developer-portal, rendered by a real Helm 3 binary
 * and checked without a cluster (e2e/support/chart.ts): every ci/ scenario,
 * the values it must refuse, and its documentation. The monitoring objects
 * and the extension points have specs of their own (chart-monitoring.spec.ts,
 * chart-extensions.spec.ts).
 */

/** Environment variable names that may only come from a Secret. */
const SECRET_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|KEY|CREDENTIALS)$/;

// ---------------------------------------------------------------------------
// Pod security

/** Every pod spec in the objects: workloads' templates and bare pods. */
function podSpecs(objects: Obj[]): { where: string; spec: Obj }[] {
  const specs: { where: string; spec: Obj }[] = [];
  for (const o of objects) {
    const where = `${o.kind} ${o.metadata.name}`;
    if (o.kind === 'Pod') {
      specs.push({ where, spec: o.spec });
    } else if (
      ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job'].includes(
        o.kind,
      )
    ) {
      specs.push({ where, spec: o.spec.template.spec });
    } else if (o.kind === 'CronJob') {
      specs.push({ where, spec: o.spec.jobTemplate.spec.template.spec });
    }
  }
  return specs;
}

/**
 * OpenShift's restricted-v2 SCC and the "restricted" Pod Security Standard:
 * non-root, no privilege escalation, no capabilities, RuntimeDefault seccomp,
 * read-only root filesystem, and no fixed user or group (OpenShift assigns
 * them from the namespace's range). Every container has requests and limits.
 */
function expectRestricted(where: string, spec: Obj) {
  const pod = spec.securityContext ?? {};
  for (const fixed of ['runAsUser', 'runAsGroup', 'fsGroup']) {
    expect(pod[fixed], `${where}: pod ${fixed}`).toBeUndefined();
  }
  const containers = [...(spec.initContainers ?? []), ...spec.containers];
  expect(containers.length, where).toBeGreaterThan(0);
  for (const c of containers) {
    const at = `${where} container ${c.name}`;
    const sc = c.securityContext ?? {};
    expect(sc.runAsNonRoot ?? pod.runAsNonRoot, `${at}: runAsNonRoot`).toBe(
      true,
    );
    expect(sc.allowPrivilegeEscalation, `${at}: allowPrivilegeEscalation`).toBe(
      false,
    );
    expect(sc.privileged ?? false, `${at}: privileged`).toBe(false);
    expect(sc.capabilities?.drop, `${at}: capabilities.drop`).toContain('ALL');
    expect(sc.capabilities?.add ?? [], `${at}: capabilities.add`).toEqual([]);
    expect(
      (sc.seccompProfile ?? pod.seccompProfile)?.type,
      `${at}: seccompProfile`,
    ).toBe('RuntimeDefault');
    expect(sc.readOnlyRootFilesystem, `${at}: readOnlyRootFilesystem`).toBe(
      true,
    );
    for (const fixed of ['runAsUser', 'runAsGroup']) {
      expect(sc[fixed], `${at}: ${fixed}`).toBeUndefined();
    }
    for (const kind of ['requests', 'limits']) {
      for (const resource of ['cpu', 'memory']) {
        expect(
          c.resources?.[kind]?.[resource],
          `${at}: resources.${kind}.${resource}`,
        ).toBeTruthy();
      }
    }
  }
  expect(spec.hostNetwork ?? false, `${where}: hostNetwork`).toBe(false);
  expect(spec.hostPID ?? false, `${where}: hostPID`).toBe(false);
  expect(spec.hostIPC ?? false, `${where}: hostIPC`).toBe(false);
  for (const volume of spec.volumes ?? []) {
    expect(volume.hostPath, `${where}: hostPath volume`).toBeUndefined();
  }
}

// ---------------------------------------------------------------------------
// The ci/ scenarios

interface Scenario {
  exposure: 'Route' | 'Ingress';
  autoscaling: boolean;
  database: 'external' | 'cnpg';
  /** Where the Route's TLS ends; `edge` unless given. */
  termination?: 'edge' | 'reencrypt';
  /** Whether the metrics port is open (to the scrapers only). */
  metrics?: boolean;
  /** More ports of the portal container, each opened by its own rule. */
  extraPorts?: { name: string; containerPort: number; protocol: 'TCP' }[];
}

const METRICS_PORT = { name: 'metrics', containerPort: 9464, protocol: 'TCP' };

/** The container ports a scenario's portal container has, in order. */
function containerPorts(scenario: Scenario): Obj[] {
  return [
    { name: 'http', containerPort: 7007, protocol: 'TCP' },
    ...(scenario.metrics ? [METRICS_PORT] : []),
    ...(scenario.extraPorts ?? []),
  ];
}

/** The image's CMD (Dockerfile) before its `--config` arguments. */
function imageCommand(): string[] {
  const dockerfile = fs.readFileSync(path.join(repoRoot, 'Dockerfile'), 'utf8');
  const cmd: string[] = JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)![1]);
  return cmd.slice(0, cmd.indexOf('--config'));
}

/** What each ci/*-values.yaml must render; a new scenario needs a line here. */
const SCENARIOS: Record<string, Scenario> = {
  'default-values.yaml': {
    exposure: 'Route',
    autoscaling: false,
    database: 'external',
  },
  'external-postgresql-values.yaml': {
    exposure: 'Route',
    autoscaling: false,
    database: 'external',
  },
  'cloudnative-pg-values.yaml': {
    exposure: 'Route',
    autoscaling: false,
    database: 'cnpg',
  },
  'ingress-values.yaml': {
    exposure: 'Ingress',
    autoscaling: false,
    database: 'external',
  },
  'hpa-values.yaml': {
    exposure: 'Route',
    autoscaling: true,
    database: 'external',
  },
  'monitoring-values.yaml': {
    exposure: 'Route',
    autoscaling: false,
    database: 'external',
    metrics: true,
  },
  'extensions-values.yaml': {
    exposure: 'Route',
    autoscaling: false,
    database: 'external',
    termination: 'reencrypt',
    extraPorts: [{ name: 'grpc', containerPort: 50051, protocol: 'TCP' }],
  },
};

const ciFiles = fs
  .readdirSync(path.join(chartDir, 'ci'))
  .filter(f => f.endsWith('-values.yaml'))
  .sort();

test('every ci/ scenario has its expectations', () => {
  expect(ciFiles).toEqual(Object.keys(SCENARIOS).sort());
});

for (const file of ciFiles) {
  const scenario = SCENARIOS[file];
  const ciFile = path.join(chartDir, 'ci', file);

  test.describe(`ci/${file}`, () => {
    let objects: Obj[];

    test.beforeAll(async () => {
      objects = await render([ciFile]);
    });

    test('passes helm lint --strict', async () => {
      const result = await lint([ciFile]);
      expect(result.code, result.stdout + result.stderr).toBe(0);
      expect(result.stdout).toContain('0 chart(s) failed');
    });

    test('renders only objects that validate', async () => {
      expect(objects.length).toBeGreaterThan(5);
      for (const object of objects) {
        await validateObject(object);
        if (
          object.kind !== 'ClusterRole' &&
          object.kind !== 'ClusterRoleBinding'
        ) {
          expect(object.metadata.namespace, object.kind).toBe(NAMESPACE);
        }
      }
    });

    test('runs every pod restricted, the helm test pod too', () => {
      const specs = podSpecs(objects);
      expect(specs.map(s => s.where).sort()).toEqual([
        `Deployment ${FULLNAME}`,
        `Pod ${FULLNAME}-test-readiness`,
      ]);
      for (const { where, spec } of specs) {
        expectRestricted(where, spec);
      }
    });

    test('deploys the portal with probes, writable dirs and its app-config', () => {
      const d = deployment(objects);
      const pod = d.spec.template.spec;
      const c = portalContainer(objects);
      expect(d.spec.strategy.type).toBe('RollingUpdate');
      expect(d.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
      expect(d.spec.selector.matchLabels).toEqual(
        expect.objectContaining({ 'app.kubernetes.io/component': 'backend' }),
      );
      expect(selects(d.spec.selector, d.spec.template.metadata.labels)).toBe(
        true,
      );
      expect(c.ports).toEqual(containerPorts(scenario));
      expect(c.startupProbe.httpGet.path).toBe(
        '/.backstage/health/v1/liveness',
      );
      expect(c.readinessProbe.httpGet.path).toBe(
        '/.backstage/health/v1/readiness',
      );
      expect(c.livenessProbe.httpGet.path).toBe(
        '/.backstage/health/v1/liveness',
      );
      for (const probe of [c.startupProbe, c.readinessProbe, c.livenessProbe]) {
        expect(probe.httpGet.port).toBe('http');
      }
      // The readiness check of the database takes up to 3 seconds.
      expect(c.readinessProbe.timeoutSeconds).toBeGreaterThan(3);

      // The image's config files, then the chart's, mounted from the ConfigMap.
      // The image's command, with the OpenTelemetry SDK loaded first.
      expect(c.command).toEqual(imageCommand());
      expect(c.command).toEqual(expect.arrayContaining(['--require']));
      const configs = c.args
        .map((arg: string, i: number) =>
          arg === '--config' ? c.args[i + 1] : null,
        )
        .filter(Boolean);
      expect(configs.slice(0, 2)).toEqual([
        'app-config.yaml',
        'app-config.production.yaml',
      ]);
      const chartConfig = configs[configs.length - 1];
      const configVolume = pod.volumes.find(
        (v: Obj) => v.configMap?.name === `${FULLNAME}-app-config`,
      );
      expect(configVolume).toBeTruthy();
      const configMount = c.volumeMounts.find(
        (m: Obj) => m.name === configVolume.name,
      );
      expect(configMount.readOnly).toBe(true);
      expect(chartConfig).toBe(
        `${configMount.mountPath}/app-config.chart.yaml`,
      );
      expect(d.spec.template.metadata.annotations['checksum/config']).toMatch(
        /^[0-9a-f]{64}$/,
      );

      // Under a read-only root filesystem the backend writes only to emptyDirs:
      // /tmp (mkdocs builds, scaffolder workspaces) and the TechDocs output.
      const writable = c.volumeMounts
        .filter((m: Obj) =>
          pod.volumes.some((v: Obj) => v.name === m.name && v.emptyDir),
        )
        .map((m: Obj) => m.mountPath);
      expect(writable).toContain('/tmp');
      const publishDirectory =
        chartAppConfig(objects).techdocs.publisher.local.publishDirectory;
      expect(
        writable.some((p: string) => publishDirectory.startsWith(p)),
        `TechDocs publishes to ${publishDirectory}, a writable mount`,
      ).toBe(true);
      const env = envByName(c);
      expect(env.get('HOME')?.value).toBe('/tmp');
    });

    test('passes secrets only by reference', () => {
      for (const secret of ofKind(objects, 'Secret')) {
        expect(secret.data, secret.metadata.name).toBeUndefined();
        expect(secret.stringData, secret.metadata.name).toBeUndefined();
      }
      for (const e of portalContainer(objects).env) {
        if (SECRET_NAME.test(e.name)) {
          expect(e.value, `${e.name} has a literal value`).toBeUndefined();
          expect(e.valueFrom?.secretKeyRef?.name, e.name).toBeTruthy();
        }
      }
      // The chart's own app-config reads nothing the container does not set.
      const env = envByName(portalContainer(objects));
      const config = JSON.stringify(chartAppConfig(objects));
      for (const [, variable] of config.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)) {
        expect(env.has(variable), `${variable} of the chart's app-config`).toBe(
          true,
        );
      }
    });

    test('gives the Kubernetes plugin read-only cluster access', () => {
      const sa = one(objects, 'ServiceAccount');
      expect(deployment(objects).spec.template.spec.serviceAccountName).toBe(
        sa.metadata.name,
      );
      const role = one(objects, 'ClusterRole');
      const binding = one(objects, 'ClusterRoleBinding');
      expect(binding.roleRef).toEqual({
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: role.metadata.name,
      });
      expect(binding.subjects).toEqual([
        {
          kind: 'ServiceAccount',
          name: sa.metadata.name,
          namespace: NAMESPACE,
        },
      ]);
      for (const rule of role.rules) {
        expect(rule.verbs.sort()).toEqual(['get', 'list', 'watch']);
        expect(rule.resources).not.toContain('secrets');
        expect(rule.resources).not.toContain('*');
        expect(rule.apiGroups).not.toContain('*');
      }
      if (file === 'default-values.yaml') {
        const granted = role.rules.flatMap((r: Obj) =>
          r.apiGroups.flatMap((g: string) =>
            r.resources.map((res: string) => (g ? `${res}.${g}` : res)),
          ),
        );
        expect(granted).toEqual(
          expect.arrayContaining([
            'pods',
            'pods/log',
            'services',
            'configmaps',
            'limitranges',
            'resourcequotas',
            'deployments.apps',
            'replicasets.apps',
            'statefulsets.apps',
            'daemonsets.apps',
            'horizontalpodautoscalers.autoscaling',
            'ingresses.networking.k8s.io',
            'jobs.batch',
            'cronjobs.batch',
            'routes.route.openshift.io',
          ]),
        );
      }
      // K8S_SA_TOKEN is the token of that ServiceAccount.
      const token = envByName(portalContainer(objects)).get('K8S_SA_TOKEN');
      const tokenSecret = one(objects, 'Secret');
      expect(tokenSecret.type).toBe('kubernetes.io/service-account-token');
      expect(
        tokenSecret.metadata.annotations['kubernetes.io/service-account.name'],
      ).toBe(sa.metadata.name);
      expect(token?.valueFrom.secretKeyRef).toEqual({
        name: tokenSecret.metadata.name,
        key: 'token',
      });
    });

    test('denies all traffic but what the portal needs', () => {
      const podLabels = deployment(objects).spec.template.metadata.labels;
      const testPod = one(objects, 'Pod');
      const policies = ofKind(objects, 'NetworkPolicy');
      for (const p of policies) {
        expect(selects(p.spec.podSelector, podLabels), p.metadata.name).toBe(
          true,
        );
        expect(
          selects(p.spec.podSelector, testPod.metadata.labels),
          `${p.metadata.name} leaves the test pod alone`,
        ).toBe(false);
      }
      const deny = policies.find(p =>
        p.metadata.name.endsWith('-default-deny'),
      );
      expect(deny?.spec.policyTypes).toEqual(['Ingress', 'Egress']);
      expect(deny?.spec.ingress).toBeUndefined();
      expect(deny?.spec.egress).toBeUndefined();

      const ingressRules = policies.flatMap(p => p.spec.ingress ?? []);
      // Each rule opens the backend's port, or one other port of the pod.
      const ports = containerPorts(scenario).map(p => [
        { port: p.containerPort, protocol: 'TCP' },
      ]);
      for (const rule of ingressRules) {
        expect(ports).toContainEqual(rule.ports);
        expect(rule.from.length).toBeGreaterThan(0);
      }
      // The helm test pod may reach the portal.
      expect(
        ingressRules.some((r: Obj) =>
          r.from.some(
            (peer: Obj) =>
              peer.podSelector &&
              selects(peer.podSelector, testPod.metadata.labels),
          ),
        ),
      ).toBe(true);
      if (scenario.exposure === 'Route') {
        // The OpenShift router's namespaces.
        expect(ingressRules).toContainEqual({
          from: [
            {
              namespaceSelector: {
                matchLabels: { 'network.openshift.io/policy-group': 'ingress' },
              },
            },
          ],
          ports: [{ port: 7007, protocol: 'TCP' }],
        });
      }

      const egressPorts = policies
        .flatMap(p => p.spec.egress ?? [])
        .flatMap((r: Obj) => r.ports ?? [])
        .map((p: Obj) => `${p.port}/${p.protocol}`);
      expect(egressPorts).toContain('53/UDP');
      expect(egressPorts).toContain('5432/TCP');
      expect(egressPorts).toContain('443/TCP');
    });

    const termination = scenario.termination ?? 'edge';
    test(`is reached through ${
      scenario.exposure === 'Route' ? `a ${termination} Route` : 'an Ingress'
    } only`, () => {
      const service = one(objects, 'Service');
      expect(service.spec.ports).toEqual([
        { name: 'http', port: 7007, targetPort: 'http', protocol: 'TCP' },
        ...(scenario.metrics
          ? [
              {
                name: 'metrics',
                port: 9464,
                targetPort: 'metrics',
                protocol: 'TCP',
              },
            ]
          : []),
      ]);
      expect(
        selects(
          { matchLabels: service.spec.selector },
          deployment(objects).spec.template.metadata.labels,
        ),
      ).toBe(true);
      if (scenario.exposure === 'Route') {
        expect(ofKind(objects, 'Ingress')).toEqual([]);
        const route = one(objects, 'Route');
        expect(route.spec.to).toEqual({
          kind: 'Service',
          name: service.metadata.name,
          weight: 100,
        });
        expect(route.spec.port).toEqual({ targetPort: 'http' });
        expect(route.spec.tls).toEqual(
          expect.objectContaining({
            termination,
            insecureEdgeTerminationPolicy: 'Redirect',
          }),
        );
      } else {
        expect(ofKind(objects, 'Route')).toEqual([]);
        const ingress = one(objects, 'Ingress');
        expect(ingress.spec.rules[0].http.paths[0].backend).toEqual({
          service: { name: service.metadata.name, port: { name: 'http' } },
        });
        expect(ingress.spec.tls[0].hosts).toEqual([ingress.spec.rules[0].host]);
      }
      const url = new URL(
        one(objects, 'Pod').spec.containers[0].command.slice(-1)[0],
      );
      // With HTTPS to the pods, by the name in the certificate.
      expect(url.href).toBe(
        termination === 'edge'
          ? `http://${service.metadata.name}:7007/.backstage/health/v1/readiness`
          : `https://${service.metadata.name}.${NAMESPACE}.svc:7007/.backstage/health/v1/readiness`,
      );
      expect(one(objects, 'Pod').spec.containers[0].command[0]).toBe('curl');
    });

    test(
      scenario.autoscaling ? 'scales with an HPA' : 'runs 2 replicas',
      () => {
        const d = deployment(objects);
        const pdb = one(objects, 'PodDisruptionBudget');
        expect(
          selects(pdb.spec.selector, d.spec.template.metadata.labels),
        ).toBe(true);
        // Not-ready pods (all of them while the database is down) never
        // stall a drain; a rollout adds one pod before it removes one.
        expect(pdb.spec.unhealthyPodEvictionPolicy).toBe('AlwaysAllow');
        expect(d.spec.strategy.rollingUpdate.maxSurge).toBe(1);
        if (scenario.autoscaling) {
          const hpa = one(objects, 'HorizontalPodAutoscaler');
          expect(hpa.spec.scaleTargetRef).toEqual({
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: d.metadata.name,
          });
          expect(hpa.spec.minReplicas).toBeLessThanOrEqual(
            hpa.spec.maxReplicas,
          );
          expect(hpa.spec.metrics.length).toBeGreaterThan(0);
          // The HPA owns the count; a fixed one would fight it on every sync.
          expect(d.spec.replicas).toBeUndefined();
        } else {
          expect(ofKind(objects, 'HorizontalPodAutoscaler')).toEqual([]);
          expect(d.spec.replicas).toBe(2);
          expect(pdb.spec.minAvailable).toBe(1);
        }
      },
    );

    test(`connects to ${
      scenario.database === 'cnpg'
        ? 'a CloudNativePG cluster'
        : 'an external PostgreSQL'
    }`, () => {
      const env = envByName(portalContainer(objects));
      const clusters = ofKind(objects, 'Cluster');
      if (scenario.database === 'cnpg') {
        const cluster = one(objects, 'Cluster');
        expect(cluster.apiVersion).toBe('postgresql.cnpg.io/v1');
        expect(cluster.spec.instances).toBeGreaterThanOrEqual(2);
        expect(cluster.spec.bootstrap.initdb).toEqual({
          database: 'app',
          owner: 'app',
        });
        // The Secret the operator generates for the application owner.
        const appSecret = `${cluster.metadata.name}-app`;
        for (const [variable, key] of [
          ['POSTGRES_HOST', 'host'],
          ['POSTGRES_PORT', 'port'],
          ['POSTGRES_USER', 'username'],
          ['POSTGRES_PASSWORD', 'password'],
        ]) {
          expect(env.get(variable)?.valueFrom?.secretKeyRef, variable).toEqual({
            name: appSecret,
            key,
          });
        }
        // One database owned by the app user: a schema per plugin.
        expect(chartAppConfig(objects).backend.database).toEqual(
          expect.objectContaining({
            pluginDivisionMode: 'schema',
            connection: { database: 'app' },
          }),
        );
        const egress = ofKind(objects, 'NetworkPolicy').flatMap(
          p => p.spec.egress ?? [],
        );
        expect(egress).toContainEqual({
          to: [
            {
              podSelector: {
                matchLabels: { 'cnpg.io/cluster': cluster.metadata.name },
              },
            },
          ],
          ports: [{ port: 5432, protocol: 'TCP' }],
        });
        for (const backup of ofKind(objects, 'ScheduledBackup')) {
          expect(backup.spec.cluster.name).toBe(cluster.metadata.name);
        }
      } else {
        expect(clusters).toEqual([]);
        expect(env.get('POSTGRES_PORT')?.value).toBe('5432');
        const password = env.get('POSTGRES_PASSWORD');
        if (password) {
          expect(password.valueFrom.secretKeyRef.name).toBeTruthy();
        }
      }
    });
  });
}

test('the production-like scenario sets every variable app-config.production.yaml reads', async () => {
  const production = fs.readFileSync(
    path.join(repoRoot, 'app-config.production.yaml'),
    'utf8',
  );
  const needed = new Set(
    [...production.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map(m => m[1]),
  );
  expect(needed.size).toBeGreaterThan(10);
  const objects = await render([
    path.join(chartDir, 'ci', 'external-postgresql-values.yaml'),
  ]);
  const env = envByName(portalContainer(objects));
  expect([...needed].filter(v => !env.has(v)).sort()).toEqual([]);
});

// ---------------------------------------------------------------------------
// Values: rejected, rolled, exclusive

test('rolls the pods when the app-config or the permission policy changes, not otherwise', async () => {
  const base = checksum(await render([]));
  const appConfig = checksum(
    await render([
      valuesFile({ backstage: { appConfig: { organization: { name: 'X' } } } }),
    ]),
  );
  const policy = checksum(
    await render([
      valuesFile({
        backstage: {
          permissionPolicy: {
            bindings: [{ role: 'viewer', groups: ['group:default/x'] }],
          },
        },
      }),
    ]),
  );
  const replicas = checksum(await render([valuesFile({ replicaCount: 3 })]));
  expect(appConfig).not.toBe(base);
  expect(policy).not.toBe(base);
  expect(policy).not.toBe(appConfig);
  expect(replicas).toBe(base);
});

test('mounts a permission policy from the values and points the backend at it', async () => {
  const objects = await render([
    valuesFile({
      backstage: {
        permissionPolicy: {
          bindings: [{ role: 'viewer', groups: ['group:default/x'] }],
        },
      },
    }),
  ]);
  const configMap = one(objects, 'ConfigMap');
  const policyFile = chartAppConfig(objects).permission.portalPolicy.policyFile;
  const mount = portalContainer(objects).volumeMounts.find(
    (m: Obj) => m.name === 'app-config',
  );
  expect(policyFile).toBe(`${mount.mountPath}/permission-policy.yaml`);
  expect(
    parseDocument(configMap.data['permission-policy.yaml']).toJS(),
  ).toEqual({ bindings: [{ role: 'viewer', groups: ['group:default/x'] }] });
});

test('refuses a Route and an Ingress together', async () => {
  const file = valuesFile({
    ingress: { enabled: true, host: 'portal.example.com' },
  });
  const result = await templateRaw([file]);
  expect(result.code).not.toBe(0);
  // values.schema.json refuses the pair (so helm lint does too); the chart's
  // own check, with the clearer message, guards a render without the schema.
  expect(result.stderr).toMatch(/ingress\.enabled/);
  const linted = await lint([file]);
  expect(linted.code).not.toBe(0);
  expect(linted.stdout).toMatch(/ingress\.enabled/);
  const withoutRoute = await templateRaw([
    file,
    valuesFile({ route: { enabled: false } }),
  ]);
  expect(withoutRoute.code, withoutRoute.stderr).toBe(0);
});

test('lets explicit variables win over derived ones, and refuses a variable set twice', async () => {
  const objects = await render([
    valuesFile({
      route: { host: 'portal.apps.example.com' },
      backstage: { env: { APP_BASE_URL: 'https://portal.example.com' } },
    }),
  ]);
  const env = portalContainer(objects).env.map((e: Obj) => e.name);
  expect(env.filter((n: string) => n === 'APP_BASE_URL')).toHaveLength(1);
  expect(envByName(portalContainer(objects)).get('APP_BASE_URL')?.value).toBe(
    'https://portal.example.com',
  );
  expect(
    envByName(portalContainer(objects)).get('BACKEND_BASE_URL')?.value,
  ).toBe('https://portal.apps.example.com');

  const twice = await templateRaw([
    valuesFile({
      backstage: {
        env: { ARGOCD_URL: 'https://argocd.example.com' },
        secretEnv: { ARGOCD_URL: { existingSecret: 's', key: 'k' } },
      },
    }),
  ]);
  expect(twice.code).not.toBe(0);
  expect(twice.stderr).toContain('ARGOCD_URL');
});

/** Values the schema cannot judge alone; the chart refuses to render them. */
const INCONSISTENT_VALUES: { name: string; values: object; named: RegExp }[] = [
  {
    name: 'a PodDisruptionBudget that blocks every drain',
    values: { replicaCount: 1 },
    named: /podDisruptionBudget\.minAvailable/,
  },
  {
    name: 'a PodDisruptionBudget that allows no eviction',
    values: { podDisruptionBudget: { maxUnavailable: '0%' } },
    named: /podDisruptionBudget\.maxUnavailable/,
  },
  {
    name: 'a rolling update that can replace no pod',
    values: { updateStrategy: { rollingUpdate: { maxSurge: 0 } } },
    named: /maxSurge and maxUnavailable/,
  },
  {
    name: 'an autoscaler whose minimum exceeds its maximum',
    values: { autoscaling: { enabled: true, minReplicas: 4, maxReplicas: 3 } },
    named: /autoscaling\.minReplicas/,
  },
  {
    name: 'an Ingress without a host',
    values: { route: { enabled: false }, ingress: { enabled: true } },
    named: /ingress\.host/,
  },
  {
    name: 'backups without a destination',
    values: {
      postgresql: { mode: 'cnpg', cnpg: { backup: { enabled: true } } },
    },
    named: /barmanObjectName/,
  },
];

for (const bad of INCONSISTENT_VALUES) {
  test(`refuses ${bad.name}`, async () => {
    const rendered = await templateRaw([valuesFile(bad.values)]);
    expect(rendered.code).not.toBe(0);
    expect(rendered.stderr).toMatch(bad.named);
  });
}

const BAD_VALUES: { name: string; values: object; named: RegExp }[] = [
  {
    name: 'a string for replicaCount',
    values: { replicaCount: 'two' },
    named: /replicaCount/,
  },
  {
    name: 'an unknown top-level key',
    values: { replicas: 2 },
    named: /replicas/,
  },
  {
    name: 'a misspelt nested key',
    values: { route: { tls: { insecureEdgeTerminationPolicyy: 'Redirect' } } },
    named: /insecureEdgeTerminationPolicyy/,
  },
  {
    name: 'a secret as a plain environment variable',
    values: { backstage: { env: { AUTH_SESSION_SECRET: 'hunter2' } } },
    named: /AUTH_SESSION_SECRET/,
  },
  {
    name: 'an unknown database mode',
    values: { postgresql: { mode: 'sqlite' } },
    named: /postgresql\.mode/,
  },
];

for (const bad of BAD_VALUES) {
  test(`rejects ${bad.name}, naming the key`, async () => {
    const file = valuesFile(bad.values);
    const linted = await lint([file]);
    expect(linted.code).not.toBe(0);
    expect(linted.stdout + linted.stderr).toMatch(bad.named);
    const rendered = await templateRaw([file]);
    expect(rendered.code).not.toBe(0);
    expect(rendered.stderr).toMatch(bad.named);
  });
}

// ---------------------------------------------------------------------------
// The schema and the documentation

function loadSchema(): Obj {
  return JSON.parse(
    fs.readFileSync(path.join(chartDir, 'values.schema.json'), 'utf8'),
  );
}

/** Helm's merge of values files: maps merge, everything else replaces. */
function mergeValues(base: Obj, over: Obj): Obj {
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(over)) {
    out[k] =
      v && typeof v === 'object' && !Array.isArray(v) && isPlain(base[k])
        ? mergeValues(base[k], v)
        : v;
  }
  return out;
}

function isPlain(v: unknown): v is Obj {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

test('values.schema.json holds for every scenario with a second validator too', () => {
  // Newer Helm releases use another JSON Schema library than this binary;
  // Ajv (ECMAScript regular expressions) checks the schema is portable.
  const validate = new Ajv({
    allErrors: true,
    allowUnionTypes: true,
    strict: true,
  }).compile(loadSchema());
  const defaults = parseDocument(
    fs.readFileSync(path.join(chartDir, 'values.yaml'), 'utf8'),
  ).toJS();
  for (const file of ciFiles) {
    const scenario =
      parseDocument(
        fs.readFileSync(path.join(chartDir, 'ci', file), 'utf8'),
      ).toJS() ?? {};
    const valid = validate(mergeValues(defaults, scenario));
    expect(valid, `${file}: ${JSON.stringify(validate.errors)}`).toBe(true);
  }
  for (const bad of BAD_VALUES) {
    expect(validate(mergeValues(defaults, bad.values)), bad.name).toBe(false);
  }
});

interface Parameter {
  key: string;
  type: string;
  default: string;
  description: string;
}

function helmDocsType(value: unknown): string {
  if (Array.isArray(value)) return 'list';
  if (value === null) return 'string';
  if (typeof value === 'object') return 'object';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number')
    return Number.isInteger(value) ? 'int' : 'float';
  return 'string';
}

/**
 * The documented values, helm-docs style: a key is documented by a `# --`
 * comment right above it. Every top-level key is, and below a key either all
 * children are documented or none (then the parent's row covers them).
 * `# @default -- text` replaces the default shown in the README.
 */
function documentedValues(problems: string[]): Parameter[] {
  const source = fs.readFileSync(path.join(chartDir, 'values.yaml'), 'utf8');
  const lines = source.split('\n');
  const doc = parseDocument(source);
  const values = doc.toJS();
  const lineOf = (offset: number) =>
    source.slice(0, offset).split('\n').length - 1;
  const commentAbove = (line: number) => {
    const block: string[] = [];
    for (let i = line - 1; i >= 0 && /^\s*#/.test(lines[i]); i--) {
      block.unshift(lines[i].trim());
    }
    const start = block.findIndex(l => l.startsWith('# --'));
    if (start < 0) return undefined;
    const text: string[] = [];
    let shownDefault: string | undefined;
    for (const l of block.slice(start)) {
      const d = /^# @default -- (.*)$/.exec(l);
      if (d) shownDefault = d[1].trim();
      else text.push(l.replace(/^# (-- )?/, '').trim());
    }
    return { description: text.join(' ').trim(), shownDefault };
  };
  const parameters: Parameter[] = [];
  const walk = (map: YAMLMap, prefix: string, required: boolean) => {
    const children = map.items.map(pair => {
      const key = isScalar(pair.key) ? String(pair.key.value) : '?';
      const offset = isScalar(pair.key) ? pair.key.range![0] : 0;
      return { key, pair, comment: commentAbove(lineOf(offset)) };
    });
    const documented = children.filter(c => c.comment);
    if (!required && documented.length === 0) return;
    for (const child of children) {
      const key = `${prefix}${child.key}`;
      if (!child.comment) {
        problems.push(`${key} has no "# --" comment in values.yaml`);
        continue;
      }
      const plain = key
        .split('.')
        .reduce((v: any, part) => (v === undefined ? v : v[part]), values);
      // A parent whose children have rows of their own shows "See below".
      const value = child.pair.value;
      const parent =
        isMap(value) &&
        value.items.some(p =>
          isScalar(p.key) ? commentAbove(lineOf(p.key.range![0])) : false,
        );
      parameters.push({
        key,
        type: helmDocsType(plain),
        default:
          child.comment.shownDefault ??
          (parent ? 'See below' : `\`${JSON.stringify(plain)}\``),
        description: child.comment.description,
      });
      if (isMap(value) && value.items.length > 0) {
        walk(value, `${key}.`, false);
      }
    }
  };
  walk(doc.contents as YAMLMap, '', true);
  return parameters;
}

function readmeParameters(): Parameter[] {
  const readme = fs.readFileSync(path.join(chartDir, 'README.md'), 'utf8');
  return readme
    .split('\n')
    .filter(l => /^\| `[^`]+` +\|/.test(l))
    .map(l => {
      const cells = l
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map(c => c.trim().replace(/\\\|/g, '|'));
      return {
        key: cells[0].replace(/`/g, ''),
        type: cells[1],
        default: cells[2],
        description: cells[3],
      };
    });
}

test('documents every value in values.yaml, values.schema.json and README.md', () => {
  const problems: string[] = [];
  const documented = documentedValues(problems);
  expect(problems).toEqual([]);
  expect(documented.length).toBeGreaterThan(50);

  // Each documented key is typed in the schema.
  const schema = loadSchema();
  for (const { key } of documented) {
    let node: Obj | undefined = schema;
    for (const part of key.split('.')) {
      node = node?.properties?.[part];
    }
    expect(node, `${key} in values.schema.json`).toBeTruthy();
  }

  // README.md lists exactly the documented keys, with the same text.
  const expected = documented.map(
    p => `| \`${p.key}\` | ${p.type} | ${p.default} | ${p.description} |`,
  );
  const table = readmeParameters();
  if (JSON.stringify(table) !== JSON.stringify(documented)) {
    // The table to paste into README.md (then run prettier on it).
    const file = path.join(chartScratchDir(), 'README-parameters.md');
    fs.writeFileSync(
      file,
      [
        '| Key | Type | Default | Description |',
        '| --- | --- | --- | --- |',
        ...expected,
        '',
      ].join('\n'),
    );
    expect(table, `README.md is out of date, see ${file}`).toEqual(documented);
  }
});
