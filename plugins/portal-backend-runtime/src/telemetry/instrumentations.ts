import {
  ExpressInstrumentation,
  ExpressLayerType,
} from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { REDACTED_QUERY_PARAMS, redactQuery, redactUrl } from './redaction';

/** Kubelet probes every few seconds: no trace worth keeping. */
const PROBE_PATH = /^\/\.backstage\/health\//;

/**
 * Spans for what crosses the process boundary: incoming requests (Node's
 * HTTP server and Express routes, without a span per middleware), and
 * outgoing calls through Node's HTTP client (Kubernetes client, Keycloak
 * admin client, Git forges) and `fetch`/undici (Argo CD, plugin-to-plugin
 * calls). No span carries a sign-in code or token from a query string.
 */
export function portalInstrumentations() {
  return [
    new HttpInstrumentation({
      ignoreIncomingRequestHook: request => PROBE_PATH.test(request.url ?? ''),
      redactedQueryParams: [...REDACTED_QUERY_PARAMS],
      redactedQueryParamsServer: [...REDACTED_QUERY_PARAMS],
    }),
    new ExpressInstrumentation({
      ignoreLayersType: [ExpressLayerType.MIDDLEWARE],
    }),
    new UndiciInstrumentation({
      // Replaces the attributes undici's instrumentation takes verbatim.
      startSpanHook: request => {
        const url = new URL(request.path, request.origin);
        return {
          'url.full': redactUrl(url),
          'url.query': redactQuery(url.search),
        };
      },
    }),
  ];
}
