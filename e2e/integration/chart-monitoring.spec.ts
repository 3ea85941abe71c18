import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments, parseDocument } from 'yaml';
import { repoRoot } from '@internal/test-harness';
import {
  chartDir,
  chartMetrics,
  chartScratchDir,
  envByName,
  lint,
  NAMESPACE,
  type Obj,
  one,
  ofKind,
  portalContainer,
  render,
  selects,
  seriesNames,
  templateRaw,
  validateObject,
  valuesFile,
} from '../support/chart';
import { analyze, problemsOf } from '../support/promql';

/**
 * The chart's monitoring objects (ci/monitoring-values.yaml): the metrics
 * port and who may reach it, the ServiceMonitor and PrometheusRule against
 * the Prometheus Operator's CRD schemas, the alerts' PromQL against
 * Prometheus's grammar and the metrics the chart declares
 * (files/metrics.yaml), each alert's runbook in the portal's TechDocs as
 * mkdocs really builds them, and the Grafana dashboard.
 */

const scenario = path.join(chartDir, 'ci', 'monitoring-values.yaml');
const metrics = chartMetrics();

let objects: Obj[];

test.beforeAll(async () => {
  objects = await render([scenario]);
});

/** Seconds of a ServiceMonitor duration such as `30s` or `1m`. */
function seconds(duration: string): number {
  const [, n, unit] = /^(\d+)(s|m|h)$/.exec(duration)!;
  return Number(n) * { s: 1, m: 60, h: 3600 }[unit as 's' | 'm' | 'h'];
}

function rules(): Obj[] {
  return one(objects, 'PrometheusRule').spec.groups.flatMap(
    (g: Obj) => g.rules,
  );
}

function dashboard(): Obj {
  const configMap = ofKind(objects, 'ConfigMap').find(
    c => c.metadata.labels.grafana_dashboard === '1',
  );
  expect(configMap, 'the dashboard ConfigMap').toBeTruthy();
  return JSON.parse(configMap!.data['developer-portal.json']);
}

/** The dashboard's queries as Prometheus sees them once Grafana fills in its variables. */
function dashboardQueries(): string[] {
  const panels: Obj[] = dashboard().panels;
  return panels
    .flatMap(p => p.targets ?? [])
    .map((t: Obj) =>
      t.expr
        .replaceAll('$__rate_interval', '5m')
        .replaceAll('$namespace', NAMESPACE),
    );
}

/** Metric names of `label_values(metric, label)` in the dashboard's variables. */
function variableMetrics(): string[] {
  return dashboard()
    .templating.list.filter((v: Obj) => v.type === 'query')
    .map((v: Obj) => /^label_values\((\w+),\s*\w+\)$/.exec(v.query.query)![1]);
}

test('the monitoring objects are off by default, and no port leads to the metrics', async () => {
  const rendered = await templateRaw([]);
  expect(rendered.code, rendered.stderr).toBe(0);
  for (const kind of ['ServiceMonitor', 'PrometheusRule']) {
    expect(rendered.stdout).not.toContain(`kind: ${kind}`);
  }
  expect(rendered.stdout).not.toContain('9464');
  expect(rendered.stdout).not.toContain('grafana_dashboard');
});

test('the scenario lints and its monitoring objects validate against the CRD schemas', async () => {
  const linted = await lint([scenario]);
  expect(linted.code, linted.stdout + linted.stderr).toBe(0);
  for (const kind of ['ServiceMonitor', 'PrometheusRule']) {
    await validateObject(one(objects, kind));
  }
});

test('the CRD schemas refuse what the Prometheus Operator would drop or refuse', async () => {
  const monitor = one(objects, 'ServiceMonitor');
  const misspelt = structuredClone(monitor);
  misspelt.spec.endpoints[0].scrapeIntervall = '30s';
  await expect(validateObject(misspelt)).rejects.toThrow(
    /endpoints\/0 must NOT have additional properties/,
  );
  const rule = structuredClone(one(objects, 'PrometheusRule'));
  rule.spec.groups[0].rules[0].record = 'both_alert_and_record';
  await expect(validateObject(rule)).rejects.toThrow(/oneOf/);
  const duration = structuredClone(one(objects, 'PrometheusRule'));
  duration.spec.groups[0].rules[1].for = '10 minutes';
  await expect(validateObject(duration)).rejects.toThrow(
    /rules\/1\/for must match pattern/,
  );
});

test('Prometheus scrapes the metrics port of the portal pods, and only the scrapers may reach it', () => {
  const service = one(objects, 'Service');
  const monitor = one(objects, 'ServiceMonitor');
  const pods = one(objects, 'Deployment').spec.template;
  expect(selects(monitor.spec.selector, service.metadata.labels)).toBe(true);
  const [endpoint] = monitor.spec.endpoints;
  const servicePort = service.spec.ports.find(
    (p: Obj) => p.name === endpoint.port,
  );
  expect(servicePort).toEqual({
    name: 'metrics',
    port: 9464,
    targetPort: 'metrics',
    protocol: 'TCP',
  });
  const container = portalContainer(objects);
  expect(container.ports).toContainEqual({
    name: 'metrics',
    containerPort: 9464,
    protocol: 'TCP',
  });
  expect(envByName(container).get('OTEL_EXPORTER_PROMETHEUS_PORT')?.value).toBe(
    '9464',
  );
  expect(seconds(endpoint.scrapeTimeout)).toBeLessThanOrEqual(
    seconds(endpoint.interval),
  );

  // The Route leads to the http port only; the NetworkPolicy lets the
  // user-workload monitoring namespace in on the metrics port, and nobody
  // else (not the router, not the helm test pod).
  expect(one(objects, 'Route').spec.port).toEqual({ targetPort: 'http' });
  const rulesToMetrics = ofKind(objects, 'NetworkPolicy')
    .filter(p => selects(p.spec.podSelector, pods.metadata.labels))
    .flatMap(p => p.spec.ingress ?? [])
    .filter((r: Obj) => r.ports.some((p: Obj) => p.port === 9464));
  expect(rulesToMetrics).toEqual([
    {
      from: [
        {
          namespaceSelector: {
            matchLabels: {
              'kubernetes.io/metadata.name':
                'openshift-user-workload-monitoring',
            },
          },
        },
      ],
      ports: [{ port: 9464, protocol: 'TCP' }],
    },
  ]);
});

test('the PromQL checker finds what is wrong (so the checks below can fail)', () => {
  const cases: [string, RegExp][] = [
    ['sum(rate(portal_readiness[5m])', /syntax error/],
    ['sumr(portal_readiness)', /syntax error/],
    ['rate(portal_readiness[5m])', /must not be under/],
    ['portal_permission_decisions_total > 0', /needs rate/],
    ['sum(rate(portal_unknown_total[5m]))', /not in files\/metrics.yaml/],
    ['portal_readiness{pdo="x"}', /has no label pdo/],
    [
      'increase(portal_gitops_provider_runs_total{result="failed"}[5m])',
      /never "failed"/,
    ],
    ['sum by (plugin) (portal_readiness)', /has label plugin/],
  ];
  for (const [query, problem] of cases) {
    expect(problemsOf(query, metrics).join('\n'), query).toMatch(problem);
  }
  expect(analyze('histogram_quantile(0.9, x_bucket)').syntaxErrors).toEqual([]);
});

test('every alert is valid PromQL over the declared metrics', () => {
  const alerts = rules();
  expect(alerts.map(r => r.alert).sort()).toEqual([
    'PortalCatalogSyncFailing',
    'PortalDatabasePoolSaturated',
    'PortalKeycloakSyncFailing',
    'PortalPermissionDecisionsSlow',
    'PortalReadinessFailing',
    'PortalTemplateTasksFailing',
  ]);
  for (const rule of alerts) {
    expect(problemsOf(rule.expr, metrics), rule.alert).toEqual([]);
    expect(rule.labels).toEqual({
      severity: expect.any(String),
      team: 'platform',
    });
    expect(rule.annotations.summary, rule.alert).toBeTruthy();
    expect(rule.annotations.description, rule.alert).toBeTruthy();
  }
});

test('every alert links to its section of the runbooks in the portal TechDocs', () => {
  // The portal's own TechDocs are the entity's docs built from mkdocs.yml.
  const site = path.join(chartScratchDir(), 'site');
  execFileSync('mkdocs', ['build', '-q', '-f', 'mkdocs.yml', '-d', site], {
    cwd: repoRoot,
    timeout: 60_000,
  });
  const entities = parseAllDocuments(
    fs.readFileSync(path.join(repoRoot, 'catalog-info.yaml'), 'utf8'),
  ).map(d => d.toJS());
  const nav = JSON.stringify(
    parseDocument(
      fs.readFileSync(path.join(repoRoot, 'mkdocs.yml'), 'utf8'),
    ).toJS().nav,
  );
  const sections = [
    ...fs
      .readFileSync(path.join(repoRoot, 'docs', 'runbooks.md'), 'utf8')
      .matchAll(/^## (\S+)$/gm),
  ].map(m => m[1]);
  expect(sections.sort()).toEqual(
    rules()
      .map(r => r.alert)
      .sort(),
  );

  for (const rule of rules()) {
    const url = new URL(rule.annotations.runbook_url);
    expect(url.origin).toBe('https://portal.apps.example.com');
    const [, namespace, kind, name, page] =
      /^\/docs\/([^/]+)\/([^/]+)\/([^/]+)\/([^/]+)\/$/.exec(url.pathname) ?? [];
    const entity = entities.find(
      e =>
        e.kind.toLowerCase() === kind &&
        e.metadata.name === name &&
        (e.metadata.namespace ?? 'default') === namespace,
    );
    expect(
      entity,
      `${kind}:${namespace}/${name} in catalog-info.yaml`,
    ).toBeTruthy();
    expect(entity.metadata.annotations['backstage.io/techdocs-ref']).toBe(
      'dir:.',
    );
    expect(nav).toContain(`"${page}.md"`);
    const html = fs.readFileSync(path.join(site, page, 'index.html'), 'utf8');
    const heading = new RegExp(`<h2 id="${url.hash.slice(1)}">${rule.alert}<`);
    expect(html, `${rule.alert}: ${url.hash}`).toMatch(heading);
  }
});

test('the dashboard parses and queries only declared metrics', () => {
  const queries = dashboardQueries();
  expect(queries.length).toBeGreaterThan(10);
  for (const query of queries) {
    expect(problemsOf(query, metrics), query).toEqual([]);
  }
  const names = new Set(metrics.flatMap(seriesNames));
  for (const metric of variableMetrics()) {
    expect(names.has(metric), metric).toBe(true);
  }
});

test('files/metrics.yaml lists exactly the metrics the alerts and the dashboard query', () => {
  const queried = new Set(
    [...rules().map(r => r.expr), ...dashboardQueries()].flatMap(q =>
      analyze(q).selectors.map(s => s.series),
    ),
  );
  for (const metric of metrics) {
    expect(
      seriesNames(metric).some(s => queried.has(s)),
      `${metric.name} is queried`,
    ).toBe(true);
    // The names OpenTelemetry's Prometheus exporter writes.
    expect(metric.name).toMatch(/^[a-z_][a-z0-9_]*$/);
    expect(metric.name.endsWith('_total')).toBe(metric.type === 'counter');
    expect(metric.help, metric.name).toBeTruthy();
  }
});

/** Monitoring values that cannot work; the chart refuses to render them. */
const REFUSED: { name: string; values: object; named: RegExp }[] = [
  {
    name: 'a ServiceMonitor without the metrics port',
    values: { metrics: { serviceMonitor: { enabled: true } } },
    named: /metrics\.serviceMonitor\.enabled needs metrics\.enabled/,
  },
  {
    name: 'alerts without a runbook address',
    values: { metrics: { enabled: true, prometheusRule: { enabled: true } } },
    named: /metrics\.prometheusRule\.runbookBaseUrl/,
  },
  {
    name: 'a metrics port open to every pod',
    values: { metrics: { enabled: true, scrapers: [] } },
    named: /metrics\.scrapers/,
  },
  {
    name: 'the metrics on the backend port',
    values: { metrics: { enabled: true, port: 7007 } },
    named: /metrics\.port/,
  },
  {
    name: 'a misspelt ServiceMonitor key',
    values: { metrics: { serviceMonitor: { intervall: '30s' } } },
    named: /intervall/,
  },
];

for (const bad of REFUSED) {
  test(`refuses ${bad.name}`, async () => {
    const rendered = await templateRaw([valuesFile(bad.values)]);
    expect(rendered.code).not.toBe(0);
    expect(rendered.stderr).toMatch(bad.named);
  });
}

test('an explicit runbook address works without a public host', async () => {
  const base =
    'https://backstage.example.com/docs/default/component/portal-backend/runbooks/';
  const rendered = await render([
    valuesFile({
      metrics: {
        enabled: true,
        prometheusRule: { enabled: true, runbookBaseUrl: base },
      },
    }),
  ]);
  for (const rule of one(rendered, 'PrometheusRule').spec.groups[0].rules) {
    expect(rule.annotations.runbook_url).toBe(
      `${base}#${rule.alert.toLowerCase()}`,
    );
  }
});
