import { NodeSDK } from '@opentelemetry/sdk-node';
import { applyTelemetryDefaults } from './environment';
import { portalInstrumentations } from './instrumentations';

let started: NodeSDK | undefined;

/**
 * Starts the OpenTelemetry SDK for the portal backend: the global meter
 * provider (which Backstage's metrics service and the catalog, scaffolder
 * and scheduler metrics use), the tracer provider, and the instrumentations.
 * Exporters come from the standard `OTEL_*` variables, with the portal's
 * defaults for unset ones (environment.ts). Must run before the backend
 * loads any module it instruments, hence `--require` of
 * packages/backend/src/instrumentation.js. Starts once per process.
 */
export function startTelemetry(env: NodeJS.ProcessEnv = process.env): void {
  if (started) return;
  applyTelemetryDefaults(env);
  started = new NodeSDK({ instrumentations: portalInstrumentations() });
  started.start();
}
