import { applyTelemetryDefaults, TELEMETRY_DEFAULTS } from './environment';

describe('applyTelemetryDefaults', () => {
  it('keeps traces off and metrics on loopback unless the environment says otherwise', () => {
    const env: NodeJS.ProcessEnv = {};
    applyTelemetryDefaults(env);
    expect(env).toEqual(TELEMETRY_DEFAULTS);
    expect(env.OTEL_TRACES_EXPORTER).toBe('none');
    expect(env.OTEL_EXPORTER_PROMETHEUS_HOST).toBe('127.0.0.1');
    expect(env.OTEL_EXPORTER_PROMETHEUS_PORT).toBe('9464');
  });

  it('leaves every variable that is set alone, and fills in empty ones', () => {
    const env: NodeJS.ProcessEnv = {
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_EXPORTER_PROMETHEUS_HOST: '0.0.0.0',
      OTEL_EXPORTER_PROMETHEUS_PORT: ' ',
    };
    const applied = applyTelemetryDefaults(env);
    expect(env.OTEL_TRACES_EXPORTER).toBe('otlp');
    expect(env.OTEL_EXPORTER_PROMETHEUS_HOST).toBe('0.0.0.0');
    expect(env.OTEL_EXPORTER_PROMETHEUS_PORT).toBe('9464');
    expect(applied).not.toContain('OTEL_TRACES_EXPORTER');
    expect(applied).toContain('OTEL_EXPORTER_PROMETHEUS_PORT');
  });
});
