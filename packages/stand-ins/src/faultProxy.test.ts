import http from 'node:http';
import { AddressInfo } from 'node:net';
import { FaultProxy, startFaultProxy } from './faultProxy';

let neighbour: http.Server;
let proxy: FaultProxy;

beforeEach(async () => {
  neighbour = http.createServer((_req, res) => res.end('hello'));
  await new Promise<void>(resolve =>
    neighbour.listen(0, '127.0.0.1', () => resolve()),
  );
  const { port } = neighbour.address() as AddressInfo;
  proxy = await startFaultProxy({ target: `127.0.0.1:${port}` });
});

afterEach(async () => {
  await proxy.close();
  neighbour.closeAllConnections();
  await new Promise(resolve => neighbour.close(resolve));
});

/** What a client sees within 1 s: the body, the error code, or `silent`. */
async function ask(): Promise<string> {
  try {
    const res = await fetch(proxy.url, { signal: AbortSignal.timeout(1000) });
    return await res.text();
  } catch (error: any) {
    return error.name === 'TimeoutError'
      ? 'silent'
      : error.cause?.code ?? String(error);
  }
}

describe('startFaultProxy', () => {
  it('forwards, hangs, refuses, and forwards again on the same port', async () => {
    expect(await ask()).toBe('hello');

    await proxy.set('hang');
    const asked = ask();
    await new Promise(resolve => setTimeout(resolve, 200));
    expect(proxy.hanging()).toBe(1);
    expect(await asked).toBe('silent');

    await proxy.set('down');
    expect(proxy.hanging()).toBe(0);
    expect(await ask()).toBe('ECONNREFUSED');

    await proxy.set('up');
    expect(await ask()).toBe('hello');
    expect(proxy.mode()).toBe('up');
  });

  it('drops kept-alive connections when it starts hanging', async () => {
    const agent = new http.Agent({ keepAlive: true });
    const get = () =>
      new Promise<string>((resolve, reject) => {
        const req = http.get(proxy.url, { agent, timeout: 1000 }, res => {
          let body = '';
          res.on('data', chunk => (body += chunk));
          res.on('end', () => resolve(body));
        });
        req.on('timeout', () => req.destroy(new Error('silent')));
        req.on('error', reject);
      });
    expect(await get()).toBe('hello');
    await proxy.set('hang');
    await expect(get()).rejects.toThrow(/silent|socket hang up|ECONNRESET/);
    agent.destroy();
  });
});
