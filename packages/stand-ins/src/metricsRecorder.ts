import { Meter, metrics, trace } from '@opentelemetry/api';
import {
  DataPointType,
  MeterProvider,
  MetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  InMemorySpanExporter,
  ReadableSpan,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';

/** An in-memory reader: the test collects when it wants to look. */
class TestMetricReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

/**
 * One data point of a metric: its attributes, and its value (a counter's
 * sum, a gauge's value, or a histogram's count, with its sum and min).
 */
export interface RecordedPoint {
  attributes: Record<string, unknown>;
  value: number;
  /** Histograms only: the sum of the recorded values. */
  sum?: number;
}

/** Metrics recorded through a real OpenTelemetry SDK, read back in a test. */
export interface MetricsRecorder {
  /** Hand this where a meter (or Backstage's MetricsService) is expected. */
  meter: Meter;
  /** The points of a metric by its OpenTelemetry name, after a collection. */
  points(name: string): Promise<RecordedPoint[]>;
  /** Description, unit and instrument type of a metric, as declared. */
  descriptor(
    name: string,
  ): Promise<{ type: string; unit: string; description: string } | undefined>;
}

/**
 * A meter provider of the real SDK with an in-memory reader. With
 * `global: true` it also becomes the global meter provider, for code that
 * asks `@opentelemetry/api` for its meter (once per test file: jest gives
 * every file its own globals).
 */
export function recordMetrics(options: { global?: boolean } = {}) {
  const reader = new TestMetricReader();
  const provider = new MeterProvider({ readers: [reader] });
  if (options.global) metrics.setGlobalMeterProvider(provider);
  const find = async (name: string) => {
    const { resourceMetrics } = await reader.collect();
    return resourceMetrics.scopeMetrics
      .flatMap(scope => scope.metrics)
      .find(metric => metric.descriptor.name === name);
  };
  const recorder: MetricsRecorder = {
    meter: provider.getMeter('test'),
    async points(name) {
      const metric = await find(name);
      if (!metric) return [];
      return metric.dataPoints.map(point => {
        const value = point.value as number | { count: number; sum?: number };
        return typeof value === 'number'
          ? { attributes: point.attributes, value }
          : {
              attributes: point.attributes,
              value: value.count,
              sum: value.sum,
            };
      });
    },
    async descriptor(name) {
      const metric = await find(name);
      if (!metric) return undefined;
      const { unit, description } = metric.descriptor;
      return { type: DataPointType[metric.dataPointType], unit, description };
    },
  };
  return recorder;
}

/** Spans ended so far, through a real tracer provider registered globally. */
export interface SpanRecorder {
  spans(): ReadableSpan[];
}

/**
 * Registers a tracer provider of the real SDK that keeps every ended span
 * in memory, for code that asks `@opentelemetry/api` for its tracer (once
 * per test file).
 */
export function recordSpans(): SpanRecorder {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  });
  trace.setGlobalTracerProvider(provider);
  return { spans: () => exporter.getFinishedSpans() };
}
