import {
  LABEL_NAME,
  monitoringObject,
  PROMETHEUS_DURATION,
  STRING_MAP,
} from './monitoringCommon';

const RELABEL_CONFIG = {
  type: 'object',
  additionalProperties: false,
  properties: {
    action: {
      enum: [
        'replace',
        'Replace',
        'keep',
        'Keep',
        'drop',
        'Drop',
        'hashmod',
        'HashMod',
        'labelmap',
        'LabelMap',
        'labeldrop',
        'LabelDrop',
        'labelkeep',
        'LabelKeep',
        'lowercase',
        'Lowercase',
        'uppercase',
        'Uppercase',
        'keepequal',
        'KeepEqual',
        'dropequal',
        'DropEqual',
      ],
    },
    modulus: { type: 'integer' },
    regex: { type: 'string' },
    replacement: { type: 'string' },
    separator: { type: 'string' },
    sourceLabels: { type: 'array', items: LABEL_NAME },
    targetLabel: { type: 'string' },
  },
};

const LABEL_SELECTOR = {
  type: 'object',
  additionalProperties: false,
  properties: {
    matchLabels: STRING_MAP,
    matchExpressions: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['key', 'operator'],
        properties: {
          key: { type: 'string' },
          operator: { type: 'string' },
          values: { type: 'array', items: { type: 'string' } },
        },
      },
    },
  },
};

/** Scraping without credentials: the fields of an endpoint the chart can use. */
const ENDPOINT = {
  type: 'object',
  additionalProperties: false,
  properties: {
    port: { type: 'string' },
    targetPort: { anyOf: [{ type: 'integer' }, { type: 'string' }] },
    path: { type: 'string' },
    scheme: { enum: ['http', 'https'] },
    params: {
      type: 'object',
      additionalProperties: { type: 'array', items: { type: 'string' } },
    },
    interval: PROMETHEUS_DURATION,
    scrapeTimeout: PROMETHEUS_DURATION,
    honorLabels: { type: 'boolean' },
    honorTimestamps: { type: 'boolean' },
    enableHttp2: { type: 'boolean' },
    followRedirects: { type: 'boolean' },
    filterRunning: { type: 'boolean' },
    relabelings: { type: 'array', items: RELABEL_CONFIG },
    metricRelabelings: { type: 'array', items: RELABEL_CONFIG },
  },
};

/**
 * monitoring.coreos.com/v1 ServiceMonitor, after the openAPIV3Schema of the
 * Prometheus Operator's CRD (0.8x), trimmed to scraping without credentials
 * or TLS (authorization, basicAuth, oauth2 and tlsConfig are left out, so
 * an object using them fails here). Stricter than the API server in one
 * way: unknown fields are errors here, where the server would drop them.
 */
export const SERVICE_MONITOR_SCHEMA = monitoringObject('ServiceMonitor', {
  type: 'object',
  additionalProperties: false,
  required: ['endpoints', 'selector'],
  properties: {
    selector: LABEL_SELECTOR,
    namespaceSelector: {
      type: 'object',
      additionalProperties: false,
      properties: {
        any: { type: 'boolean' },
        matchNames: { type: 'array', items: { type: 'string' } },
      },
    },
    endpoints: { type: 'array', items: ENDPOINT },
    jobLabel: { type: 'string' },
    targetLabels: { type: 'array', items: { type: 'string' } },
    podTargetLabels: { type: 'array', items: { type: 'string' } },
    sampleLimit: { type: 'integer' },
    targetLimit: { type: 'integer' },
    labelLimit: { type: 'integer' },
    labelNameLengthLimit: { type: 'integer' },
    labelValueLengthLimit: { type: 'integer' },
    scrapeClass: { type: 'string', minLength: 1 },
  },
});
