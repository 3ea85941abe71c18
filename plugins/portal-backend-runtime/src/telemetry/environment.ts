/**
 * What an unset standard OpenTelemetry variable means in the portal, where
 * it differs from the SDK's own default: Prometheus metrics on their own
 * port (9464, the port Red Hat Developer Hub uses) and loopback unless the
 * image or the operator says otherwise; no trace or log export until
 * `OTEL_TRACES_EXPORTER` asks for one (the SDK would default to OTLP on
 * localhost:4318); resource attributes from the environment and the host
 * only, so no command line reaches `target_info`; and the SDK's own errors
 * (a metrics port in use, a collector that refuses spans) on stderr, where
 * the SDK would otherwise say nothing.
 */
export const TELEMETRY_DEFAULTS: Readonly<Record<string, string>> = {
  OTEL_SERVICE_NAME: 'developer-portal',
  OTEL_METRICS_EXPORTER: 'prometheus',
  OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
  OTEL_EXPORTER_PROMETHEUS_PORT: '9464',
  OTEL_TRACES_EXPORTER: 'none',
  OTEL_LOGS_EXPORTER: 'none',
  OTEL_NODE_RESOURCE_DETECTORS: 'env,host',
  OTEL_LOG_LEVEL: 'error',
};

/**
 * Fills in {@link TELEMETRY_DEFAULTS} for the variables that are unset or
 * empty, in place: the SDK reads `process.env` itself. Returns the names it
 * set.
 */
export function applyTelemetryDefaults(env: NodeJS.ProcessEnv): string[] {
  const applied: string[] = [];
  for (const [name, value] of Object.entries(TELEMETRY_DEFAULTS)) {
    if (!env[name]?.trim()) {
      env[name] = value;
      applied.push(name);
    }
  }
  return applied;
}
