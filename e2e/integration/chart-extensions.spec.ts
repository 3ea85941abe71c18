import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import {
  chartDir,
  deployment,
  envByName,
  type Obj,
  one,
  ofKind,
  portalContainer,
  render,
  selects,
  templateRaw,
  valuesFile,
} from '../support/chart';

/**
 * The chart's extension points (ci/extensions-values.yaml): more containers
 * and ports, app-config from an existing ConfigMap, variables from
 * ConfigMaps and as full EnvVar entries, and topology spread constraints.
 * That scenario also goes through every check of chart.spec.ts (valid
 * objects, restricted pods, secrets by reference only); HTTPS to the pods is
 * in chart-https.spec.ts.
 */

const scenarioFile = path.join(chartDir, 'ci', 'extensions-values.yaml');
const scenario = parseDocument(fs.readFileSync(scenarioFile, 'utf8')).toJS();
const defaults = parseDocument(
  fs.readFileSync(path.join(chartDir, 'values.yaml'), 'utf8'),
).toJS();

let objects: Obj[];

test.beforeAll(async () => {
  objects = await render([scenarioFile]);
});

function podSpec(rendered: Obj[]): Obj {
  return deployment(rendered).spec.template.spec;
}

test('runs the init container before the portal and the sidecar beside it, restricted like the portal', () => {
  const pod = podSpec(objects);
  expect(pod.initContainers.map((c: Obj) => c.name)).toEqual([
    'ca-bundle',
    'wait-for-database',
  ]);
  expect(pod.containers.map((c: Obj) => c.name)).toEqual([
    'backstage',
    'otel-collector',
  ]);
  const [given] = scenario.backstage.extraContainers;
  const sidecar = pod.containers[1];
  // Given as written, plus the portal's security context it left out.
  expect(sidecar).toEqual({
    ...given,
    securityContext: defaults.backstage.containerSecurityContext,
  });
  const wait = pod.initContainers[1];
  expect(wait.securityContext).toEqual(
    defaults.backstage.containerSecurityContext,
  );
});

test('opens an extra port only to the peers of its own rule, never through the Service', () => {
  const c = portalContainer(objects);
  expect(c.ports).toContainEqual({
    name: 'grpc',
    containerPort: 50051,
    protocol: 'TCP',
  });
  const service = one(objects, 'Service');
  expect(service.spec.ports.map((p: Obj) => p.port)).toEqual([7007]);
  const labels = deployment(objects).spec.template.metadata.labels;
  const toGrpc = ofKind(objects, 'NetworkPolicy')
    .filter(p => selects(p.spec.podSelector, labels))
    .flatMap(p => p.spec.ingress ?? [])
    .filter((r: Obj) => r.ports.some((p: Obj) => p.port === 50051));
  expect(toGrpc).toEqual(scenario.networkPolicy.ingress.extraRules);
});

test("reads app-config from the existing ConfigMap after the image's files and before the chart's", () => {
  const c = portalContainer(objects);
  const configs: string[] = c.args.filter(
    (_: string, i: number) => c.args[i - 1] === '--config',
  );
  const [{ name, key }] = scenario.backstage.appConfigFromConfigMaps;
  const volume = podSpec(objects).volumes.find(
    (v: Obj) => v.configMap?.name === name,
  );
  expect(volume.configMap.items).toEqual([{ key, path: key }]);
  const mount = c.volumeMounts.find((m: Obj) => m.name === volume.name);
  // A whole-folder mount, so an edit of the ConfigMap reaches the file.
  expect(mount.subPath).toBeUndefined();
  expect(mount.readOnly).toBe(true);
  expect(configs).toEqual([
    'app-config.yaml',
    'app-config.production.yaml',
    `${mount.mountPath}/${key}`,
    expect.stringMatching(/\/app-config\.chart\.yaml$/),
  ]);
});

test("rolls the pods when the ConfigMap's checksum changes, and not otherwise", async () => {
  const annotation = async (values: object[]) =>
    deployment(await render([scenarioFile, ...values.map(valuesFile)])).spec
      .template.metadata.annotations['checksum/app-config-maps'];
  const withChecksum = (checksum: string) => ({
    backstage: {
      appConfigFromConfigMaps: [
        {
          name: 'developer-portal-extra-config',
          key: 'app-config.extra.yaml',
          checksum,
        },
      ],
    },
  });
  const base = await annotation([]);
  expect(base).toMatch(/^[0-9a-f]{64}$/);
  expect(await annotation([withChecksum('2026-11-25.1')])).toBe(base);
  expect(await annotation([{ replicaCount: 3 }])).toBe(base);
  expect(await annotation([withChecksum('2026-11-26.1')])).not.toBe(base);
  const none = deployment(await render([])).spec.template.metadata.annotations;
  expect(none['checksum/app-config-maps']).toBeUndefined();
});

test('takes variables from a ConfigMap and as full EnvVar entries, secrets only from Secrets', () => {
  const c = portalContainer(objects);
  expect(c.envFrom).toEqual([
    { configMapRef: { name: 'developer-portal-settings' } },
  ]);
  const env = envByName(c);
  for (const entry of scenario.backstage.extraEnv) {
    expect(env.get(entry.name)).toEqual(entry);
  }
  expect(env.get('GITOPS_GIT_PASSWORD')?.valueFrom).toEqual({
    secretKeyRef: { name: 'developer-portal-gitops', key: 'token' },
  });
});

test('an EnvVar entry wins over the variable the chart derives', async () => {
  const host = {
    name: 'POSTGRES_HOST',
    valueFrom: { configMapKeyRef: { name: 'db', key: 'host' } },
  };
  const rendered = await render([
    valuesFile({
      postgresql: { external: { host: 'derived.example.com' } },
      backstage: { extraEnv: [host] },
    }),
  ]);
  const env = portalContainer(rendered).env.filter(
    (e: Obj) => e.name === 'POSTGRES_HOST',
  );
  expect(env).toEqual([host]);
});

test('spreads the portal pods over zones and hosts, selecting them unless told otherwise', () => {
  const d = deployment(objects);
  const constraints = d.spec.template.spec.topologySpreadConstraints;
  expect(constraints.map((t: Obj) => t.topologyKey)).toEqual([
    'topology.kubernetes.io/zone',
    'kubernetes.io/hostname',
  ]);
  for (const [
    i,
    given,
  ] of scenario.backstage.topologySpreadConstraints.entries()) {
    expect(constraints[i]).toEqual({
      ...given,
      labelSelector: { matchLabels: d.spec.selector.matchLabels },
    });
    expect(
      selects(constraints[i].labelSelector, d.spec.template.metadata.labels),
    ).toBe(true);
  }
});

const LIMITED = {
  requests: { cpu: '10m', memory: '16Mi' },
  limits: { cpu: '100m', memory: '32Mi' },
};

/** Extension values the chart refuses, naming the key. */
const REFUSED: { name: string; values: object; named: RegExp }[] = [
  {
    name: 'a secret as a plain EnvVar value',
    values: {
      backstage: {
        extraEnv: [{ name: 'AUTH_SESSION_SECRET', value: 'hunter2' }],
      },
    },
    named: /extraEnv/,
  },
  {
    name: 'a secret from a ConfigMap',
    values: {
      backstage: {
        extraEnv: [
          {
            name: 'ARGOCD_AUTH_TOKEN',
            valueFrom: { configMapKeyRef: { name: 'c', key: 'k' } },
          },
        ],
      },
    },
    named: /extraEnv/,
  },
  {
    name: 'an EnvVar entry with a value and a source',
    values: {
      backstage: {
        extraEnv: [
          {
            name: 'X',
            value: 'a',
            valueFrom: { fieldRef: { fieldPath: 'metadata.name' } },
          },
        ],
      },
    },
    named: /extraEnv/,
  },
  {
    name: 'a variable set in env and extraEnv',
    values: {
      backstage: { env: { X: 'a' }, extraEnv: [{ name: 'X', value: 'b' }] },
    },
    named: /backstage\.extraEnv sets X/,
  },
  {
    name: "a container taking the portal's name",
    values: {
      backstage: { extraContainers: [{ name: 'backstage', image: 'x' }] },
    },
    named: /extraContainers/,
  },
  {
    name: 'a sidecar without requests and limits',
    values: { backstage: { extraContainers: [{ name: 'a', image: 'x' }] } },
    named: /resources is required/,
  },
  {
    name: 'two containers of one name',
    values: {
      backstage: {
        initContainers: [{ name: 'a', image: 'x', resources: LIMITED }],
        extraContainers: [{ name: 'a', image: 'y', resources: LIMITED }],
      },
    },
    named: /container name a is taken/,
  },
  {
    name: "a port taking the portal's name",
    values: {
      backstage: {
        extraContainerPorts: [{ name: 'http', containerPort: 8080 }],
      },
    },
    named: /extraContainerPorts/,
  },
  {
    name: 'an ingress rule open to every peer',
    values: {
      networkPolicy: {
        ingress: { extraRules: [{ ports: [{ port: 50051 }] }] },
      },
    },
    named: /extraRules/,
  },
  {
    name: 'the single topology knob of chart 0.1',
    values: { backstage: { topologySpread: { enabled: true } } },
    named: /topologySpread/,
  },
  {
    name: 'an app-config ConfigMap without a key',
    values: { backstage: { appConfigFromConfigMaps: [{ name: 'c' }] } },
    named: /appConfigFromConfigMaps/,
  },
];

for (const bad of REFUSED) {
  test(`refuses ${bad.name}`, async () => {
    const rendered = await templateRaw([valuesFile(bad.values)]);
    expect(rendered.code).not.toBe(0);
    expect(rendered.stderr).toMatch(bad.named);
  });
}
