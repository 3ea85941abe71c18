import { execFile } from 'node:child_process';
import { startOtlpReceiver } from './otlpReceiver';

/**
 * Two spans sent by the SDK's own OTLP/HTTP exporter, in a process of its
 * own: the exporters load parts of themselves with dynamic imports, which
 * Jest's module system does not run.
 */
const SEND = `
const { context, trace, SpanKind, SpanStatusCode } = require('@opentelemetry/api');
const { SimpleSpanProcessor, TracerProvider } = require('@opentelemetry/sdk-trace');
const { OTLPTraceExporter } = require(process.env.EXPORTER);
const provider = new TracerProvider({
  spanProcessors: [new SimpleSpanProcessor({
    exporter: new OTLPTraceExporter({ url: process.env.URL }),
  })],
});
const tracer = provider.getTracer('stand-in-test');
tracer.startActiveSpan('parent', { kind: SpanKind.SERVER }, parent => {
  const child = tracer.startSpan('child', {
    kind: SpanKind.CLIENT,
    attributes: { 'http.route': '/x', 'server.port': 8443, ok: true },
  }, trace.setSpan(context.active(), parent));
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'nope' });
  child.end();
  parent.end();
});
provider.forceFlush().then(() => provider.shutdown());
`;

function send(exporter: string, url: string) {
  return new Promise<void>((resolve, reject) =>
    execFile(
      process.execPath,
      ['-e', SEND],
      {
        cwd: __dirname,
        env: { PATH: process.env.PATH, EXPORTER: exporter, URL: url },
        timeout: 30_000,
      },
      error => (error ? reject(error) : resolve()),
    ),
  );
}

/** The receiver against the SDK's own OTLP/HTTP exporters, in both encodings. */
describe('startOtlpReceiver', () => {
  it.each([
    ['protobuf', '@opentelemetry/exporter-trace-otlp-proto'],
    ['JSON', '@opentelemetry/exporter-trace-otlp-http'],
  ])('decodes the spans of the %s exporter', async (_, exporter) => {
    const receiver = await startOtlpReceiver();
    try {
      await send(exporter, `${receiver.endpoint}/v1/traces`);
      const [child, parent] = receiver.spans;
      expect(parent).toMatchObject({
        name: 'parent',
        kind: 2,
        scope: 'stand-in-test',
        parentSpanId: '',
      });
      expect(child).toMatchObject({
        name: 'child',
        kind: 3,
        traceId: parent.traceId,
        parentSpanId: parent.spanId,
        attributes: { 'http.route': '/x', 'server.port': 8443, ok: true },
        status: { code: 2, message: 'nope' },
      });
      expect(parent.traceId).toMatch(/^[0-9a-f]{32}$/);
    } finally {
      await receiver.close();
    }
  });
});
