/**
 * The OpenTelemetry SDK of the portal backend, on its own entry point so
 * that the `--require`d instrumentation file loads it without loading
 * Backstage (which it must instrument).
 *
 * @packageDocumentation
 */
export { startTelemetry } from './telemetry/sdk';
export { TELEMETRY_DEFAULTS } from './telemetry/environment';
