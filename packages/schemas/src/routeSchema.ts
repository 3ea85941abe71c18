const DNS_SUBDOMAIN =
  '^([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]{0,61}[a-zA-Z0-9])(\\.([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]{0,61}[a-zA-Z0-9]))*$';

const ROUTE_TARGET = {
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'name'],
  properties: {
    kind: { enum: ['Service', ''] },
    name: { type: 'string', minLength: 1 },
    weight: { type: 'integer', minimum: 0, maximum: 256 },
  },
};

/**
 * route.openshift.io/v1 Route, after the openAPIV3Schema of the OpenShift
 * Route CRD (openshift/api, route/v1): the spec fields, their types, enums
 * and patterns, and two of its validation rules. Stricter than the API server
 * in one way: unknown fields are errors here, where the server would drop
 * them.
 */
export const ROUTE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { const: 'route.openshift.io/v1' },
    kind: { const: 'Route' },
    metadata: { type: 'object' },
    spec: {
      type: 'object',
      additionalProperties: false,
      required: ['to'],
      properties: {
        host: { type: 'string', maxLength: 253, pattern: DNS_SUBDOMAIN },
        subdomain: { type: 'string', maxLength: 253, pattern: DNS_SUBDOMAIN },
        path: { type: 'string', pattern: '^/' },
        to: ROUTE_TARGET,
        alternateBackends: { type: 'array', maxItems: 3, items: ROUTE_TARGET },
        port: {
          type: 'object',
          additionalProperties: false,
          required: ['targetPort'],
          properties: {
            targetPort: {
              anyOf: [
                { type: 'integer', minimum: 1 },
                { type: 'string', minLength: 1 },
              ],
            },
          },
        },
        tls: {
          type: 'object',
          additionalProperties: false,
          required: ['termination'],
          properties: {
            termination: { enum: ['edge', 'reencrypt', 'passthrough'] },
            insecureEdgeTerminationPolicy: {
              enum: ['Allow', 'None', 'Redirect', ''],
            },
            certificate: { type: 'string' },
            key: { type: 'string' },
            caCertificate: { type: 'string' },
            destinationCACertificate: { type: 'string' },
            externalCertificate: {
              type: 'object',
              additionalProperties: false,
              properties: { name: { type: 'string' } },
            },
          },
          allOf: [
            { not: { required: ['certificate', 'externalCertificate'] } },
            {
              not: {
                required: ['termination', 'insecureEdgeTerminationPolicy'],
                properties: {
                  termination: { const: 'passthrough' },
                  insecureEdgeTerminationPolicy: { const: 'Allow' },
                },
              },
            },
          ],
        },
        wildcardPolicy: { enum: ['None', 'Subdomain', ''] },
        httpHeaders: { type: 'object' },
      },
    },
  },
};
