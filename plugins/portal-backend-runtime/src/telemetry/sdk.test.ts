import { execFile } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { startOtlpReceiver } from '@internal/stand-ins';

/**
 * The SDK as the instrumentation file starts it, in a Node process of its
 * own (it patches Node's modules, which Jest's module system keeps from
 * it): a server and both HTTP clients carry sign-in codes and tokens in
 * their query strings, as the Keycloak callback does.
 */
const TRAFFIC = `
require(process.env.SDK).startTelemetry();
const http = require('node:http');
const server = http.createServer((req, res) => res.end('ok'));
server.listen(0, '127.0.0.1', async () => {
  const base = 'http://127.0.0.1:' + server.address().port;
  await fetch(base + '/api/auth/keycloak/handler/frame?code=SECRET-CODE&state=SECRET-STATE&env=production');
  await new Promise(done =>
    http.get(base + '/callback?access_token=SECRET-TOKEN&page=2', res => {
      res.resume();
      res.on('end', done);
    }),
  );
  const scrape = await fetch('http://127.0.0.1:' + process.env.OTEL_EXPORTER_PROMETHEUS_PORT + '/metrics');
  process.stdout.write(await scrape.text());
  // Past OTEL_BSP_SCHEDULE_DELAY, so the batch has gone out.
  setTimeout(() => process.exit(0), 1000);
});
`;

function freePort(): Promise<number> {
  return new Promise(resolve => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function run(env: Record<string, string>): Promise<string> {
  const port = await freePort();
  return new Promise((resolve, reject) =>
    execFile(
      process.execPath,
      [
        '--require',
        require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
        '-e',
        TRAFFIC,
      ],
      {
        cwd: __dirname,
        timeout: 60_000,
        env: {
          PATH: process.env.PATH,
          SDK: path.join(__dirname, 'sdk.ts'),
          OTEL_EXPORTER_PROMETHEUS_PORT: String(port),
          OTEL_BSP_SCHEDULE_DELAY: '100',
          ...env,
        },
      },
      (error, stdout, stderr) =>
        error ? reject(new Error(`${error}\n${stderr}`)) : resolve(stdout),
    ),
  );
}

jest.setTimeout(120_000);

describe('startTelemetry', () => {
  it('exports traces only when asked to, and never a sign-in code or token', async () => {
    const collector = await startOtlpReceiver();
    try {
      // The collector is configured, but trace export is not turned on.
      const metrics = await run({
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint,
      });
      expect(collector.spans).toEqual([]);
      expect(metrics).toContain('http_server_request_duration');
      expect(metrics).toContain('service_name="developer-portal"');
      expect(metrics).not.toContain('process_command');

      await run({
        OTEL_TRACES_EXPORTER: 'otlp',
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint,
      });
      const server = collector.spans.find(
        s =>
          s.kind === 2 &&
          s.attributes['url.path'] === '/api/auth/keycloak/handler/frame',
      );
      expect(server?.attributes['url.query']).toBe(
        'code=REDACTED&state=REDACTED&env=production',
      );
      const fetched = collector.spans.find(
        s =>
          s.kind === 3 &&
          String(s.attributes['url.full']).includes('/handler/frame'),
      );
      expect(fetched?.attributes['url.full']).toContain(
        '?code=REDACTED&state=REDACTED&env=production',
      );
      const got = collector.spans.find(
        s =>
          s.kind === 3 &&
          String(s.attributes['url.full']).includes('/callback'),
      );
      expect(got?.attributes['url.full']).toContain(
        '?access_token=REDACTED&page=2',
      );
      const recorded = JSON.stringify(collector.spans);
      for (const secret of ['SECRET-CODE', 'SECRET-STATE', 'SECRET-TOKEN']) {
        expect(recorded).not.toContain(secret);
      }
    } finally {
      await collector.close();
    }
  });
});
