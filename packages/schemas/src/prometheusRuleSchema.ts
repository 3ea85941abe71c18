import {
  monitoringObject,
  PROMETHEUS_DURATION,
  STRING_MAP,
} from './monitoringCommon';

const RULE = {
  type: 'object',
  additionalProperties: false,
  required: ['expr'],
  properties: {
    alert: { type: 'string', minLength: 1 },
    record: { type: 'string', pattern: '^[a-zA-Z_:][a-zA-Z0-9_:]*$' },
    expr: {
      anyOf: [{ type: 'integer' }, { type: 'string', minLength: 1 }],
    },
    for: PROMETHEUS_DURATION,
    keep_firing_for: { ...PROMETHEUS_DURATION, minLength: 1 },
    labels: STRING_MAP,
    annotations: STRING_MAP,
  },
  // "Only one of `record` and `alert` must be set"; annotations and `for`
  // are for alerts only.
  oneOf: [
    { required: ['alert'], not: { required: ['record'] } },
    {
      required: ['record'],
      not: {
        anyOf: [
          { required: ['alert'] },
          { required: ['annotations'] },
          { required: ['for'] },
          { required: ['keep_firing_for'] },
        ],
      },
    },
  ],
};

/**
 * monitoring.coreos.com/v1 PrometheusRule, after the openAPIV3Schema of the
 * Prometheus Operator's CRD (0.8x): rule groups and their alerting and
 * recording rules. Stricter than the API server in one way: unknown fields
 * are errors here, where the server would drop them.
 */
export const PROMETHEUS_RULE_SCHEMA = monitoringObject('PrometheusRule', {
  type: 'object',
  additionalProperties: false,
  properties: {
    groups: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name'],
        properties: {
          name: { type: 'string', minLength: 1 },
          interval: PROMETHEUS_DURATION,
          query_offset: PROMETHEUS_DURATION,
          limit: { type: 'integer' },
          labels: STRING_MAP,
          partial_response_strategy: {
            type: 'string',
            pattern: '^((abort|warn|ABORT|WARN|Abort|Warn))?$',
          },
          rules: { type: 'array', items: RULE },
        },
      },
    },
  },
});
