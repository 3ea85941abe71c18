/**
 * Pieces the monitoring.coreos.com/v1 CRDs of the Prometheus Operator share,
 * after their openAPIV3Schema.
 */

/** The operator's Duration type (`30s`, `1h30m`, `0`). */
export const PROMETHEUS_DURATION = {
  type: 'string',
  pattern:
    '^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$',
};

/** Labels or annotations: string values only. */
export const STRING_MAP = {
  type: 'object',
  additionalProperties: { type: 'string' },
};

/** A Prometheus label name. */
export const LABEL_NAME = {
  type: 'string',
  pattern: '^[a-zA-Z_][a-zA-Z0-9_]*$',
};

/** An object of the group with its apiVersion, kind and any metadata. */
export function monitoringObject(kind: string, spec: object) {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['apiVersion', 'kind', 'metadata', 'spec'],
    properties: {
      apiVersion: { const: 'monitoring.coreos.com/v1' },
      kind: { const: kind },
      metadata: { type: 'object' },
      spec,
    },
  };
}
