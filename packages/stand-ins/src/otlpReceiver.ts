import http from 'node:http';
import { AddressInfo } from 'node:net';

/** A span as the receiver got it, from either OTLP/HTTP encoding. */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  /** Empty for a root span. */
  parentSpanId: string;
  name: string;
  /** OTLP's SpanKind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  /** Name of the instrumentation scope (tracer) that made it. */
  scope: string;
  attributes: Record<string, string | number | boolean>;
  status: { code: number; message: string };
}

/** An OpenTelemetry collector stand-in: OTLP/HTTP on loopback, traces kept in memory. */
export interface OtlpReceiver {
  /** For OTEL_EXPORTER_OTLP_ENDPOINT (the exporter appends /v1/traces). */
  endpoint: string;
  spans: ReceivedSpan[];
  /** Requests by content type, to tell which encoding the exporter used. */
  contentTypes: string[];
  close(): Promise<void>;
}

type Field = { field: number; wire: number; value: Buffer | bigint };

function varint(buf: Buffer, start: number): [bigint, number] {
  let result = 0n;
  let shift = 0n;
  for (let at = start; ; shift += 7n) {
    const byte = buf[at++];
    result |= BigInt(byte & 0x7f) << shift;
    if (!(byte & 0x80)) return [result, at];
  }
}

/** The fields of one protobuf message, in order: enough of the wire format for OTLP. */
function fields(buf: Buffer): Field[] {
  const out: Field[] = [];
  let at = 0;
  while (at < buf.length) {
    const [key, next] = varint(buf, at);
    at = next;
    const field = Number(key >> 3n);
    const wire = Number(key & 7n);
    if (wire === 0) {
      const [value, after] = varint(buf, at);
      out.push({ field, wire, value });
      at = after;
    } else if (wire === 1 || wire === 5) {
      const size = wire === 1 ? 8 : 4;
      out.push({ field, wire, value: buf.subarray(at, at + size) });
      at += size;
    } else if (wire === 2) {
      const [length, after] = varint(buf, at);
      const end = after + Number(length);
      out.push({ field, wire, value: buf.subarray(after, end) });
      at = end;
    } else {
      throw new Error(`unsupported protobuf wire type ${wire}`);
    }
  }
  return out;
}

const all = (msg: Field[], field: number) =>
  msg.filter(f => f.field === field).map(f => f.value);
const bytes = (msg: Field[], field: number) =>
  (all(msg, field)[0] as Buffer | undefined) ?? Buffer.alloc(0);
const str = (msg: Field[], field: number) => bytes(msg, field).toString('utf8');
const num = (msg: Field[], field: number) =>
  Number((all(msg, field)[0] as bigint | undefined) ?? 0n);

function anyValue(msg: Field[]): string | number | boolean {
  const [f] = msg;
  if (!f) return '';
  if (f.field === 1) return (f.value as Buffer).toString('utf8');
  if (f.field === 2) return f.value === 1n;
  if (f.field === 3) return Number(BigInt.asIntN(64, f.value as bigint));
  if (f.field === 4) return (f.value as Buffer).readDoubleLE(0);
  return `<${f.field}>`;
}

function protobufAttributes(values: Array<Buffer | bigint>) {
  return Object.fromEntries(
    values.map(kv => {
      const msg = fields(kv as Buffer);
      return [str(msg, 1), anyValue(fields(bytes(msg, 2)))];
    }),
  );
}

function fromProtobuf(body: Buffer): ReceivedSpan[] {
  return all(fields(body), 1).flatMap(resourceSpans =>
    all(fields(resourceSpans as Buffer), 2).flatMap(scopeSpans => {
      const scopeMsg = fields(scopeSpans as Buffer);
      const scope = str(fields(bytes(scopeMsg, 1)), 1);
      return all(scopeMsg, 2).map(raw => {
        const span = fields(raw as Buffer);
        const status = fields(bytes(span, 15));
        return {
          traceId: bytes(span, 1).toString('hex'),
          spanId: bytes(span, 2).toString('hex'),
          parentSpanId: bytes(span, 4).toString('hex'),
          name: str(span, 5),
          kind: num(span, 6),
          scope,
          attributes: protobufAttributes(all(span, 9)),
          status: { code: num(status, 3), message: str(status, 2) },
        };
      });
    }),
  );
}

type JsonValue = {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number;
};

function fromJson(body: any): ReceivedSpan[] {
  return (body.resourceSpans ?? []).flatMap((rs: any) =>
    (rs.scopeSpans ?? []).flatMap((ss: any) =>
      (ss.spans ?? []).map(
        (span: any): ReceivedSpan => ({
          traceId: span.traceId,
          spanId: span.spanId,
          parentSpanId: span.parentSpanId ?? '',
          name: span.name,
          kind: span.kind,
          scope: ss.scope?.name ?? '',
          attributes: Object.fromEntries(
            (span.attributes ?? []).map(
              ({ key, value }: { key: string; value: JsonValue }) => [
                key,
                value.stringValue ??
                  value.boolValue ??
                  (value.intValue !== undefined
                    ? Number(value.intValue)
                    : value.doubleValue ?? ''),
              ],
            ),
          ),
          status: {
            code: span.status?.code ?? 0,
            message: span.status?.message ?? '',
          },
        }),
      ),
    ),
  );
}

/**
 * Starts an OTLP/HTTP receiver on 127.0.0.1 that keeps the spans posted to
 * `/v1/traces` (protobuf, the SDK's default, or JSON) and accepts and drops
 * metrics and logs.
 */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const contentTypes: string[] = [];
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const type = req.headers['content-type'] ?? '';
    contentTypes.push(type);
    const json = type.includes('json');
    try {
      if (req.method === 'POST' && req.url === '/v1/traces') {
        spans.push(
          ...(json
            ? fromJson(JSON.parse(body.toString()))
            : fromProtobuf(body)),
        );
      }
      res.writeHead(200, { 'content-type': json ? 'application/json' : type });
      // An empty Export*ServiceResponse: no partial success to report.
      res.end(json ? '{}' : undefined);
    } catch (error) {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end(String(error));
    }
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    spans,
    contentTypes,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
