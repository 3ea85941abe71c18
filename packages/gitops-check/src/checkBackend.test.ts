import net from 'node:net';
import os from 'node:os';
import { CheckBackend, startCheckBackend } from './checkBackend';

jest.setTimeout(60_000);

/** An address of this machine that is not loopback, if it has one. */
function otherAddress(): string | undefined {
  return Object.values(os.networkInterfaces())
    .flat()
    .find(a => a && a.family === 'IPv4' && !a.internal)?.address;
}

function connects(host: string, port: number): Promise<boolean> {
  return new Promise(resolve => {
    const socket = net.connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/*
 * The check tool's backend runs the scaffolder with permissions off, so
 * nobody but the tool itself may reach it: loopback only, and every call
 * needs the random token of this process.
 */
describe('startCheckBackend', () => {
  let backend: CheckBackend;

  beforeAll(async () => {
    backend = await startCheckBackend({
      config: { gitops: { repoUrl: 'http://127.0.0.1:1/gitops.git' } },
      templateFiles: [],
    });
  });
  afterAll(() => backend?.stop());

  const actions = (authorization?: string) =>
    fetch(`${backend.baseUrl}/api/scaffolder/v2/actions`, {
      headers: authorization ? { authorization } : {},
    });

  it('answers its own token', async () => {
    const res = await actions(`Bearer ${backend.token}`);
    expect(res.status).toBe(200);
    const ids = (await res.json()).map((a: { id: string }) => a.id);
    expect(ids).toEqual(
      expect.arrayContaining(['gitops:repo:fetch', 'gitops:change:publish']),
    );
  });

  it('refuses calls without the token or with another one', async () => {
    expect((await actions()).status).toBe(401);
    expect((await actions('Bearer not-the-token')).status).toBe(401);
    const dryRun = await fetch(`${backend.baseUrl}/api/scaffolder/v2/dry-run`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ template: {}, values: {} }),
    });
    expect(dryRun.status).toBe(401);
  });

  it('listens on loopback only', async () => {
    const { hostname, port } = new URL(backend.baseUrl);
    expect(hostname).toBe('127.0.0.1');
    expect(await connects('127.0.0.1', Number(port))).toBe(true);
    // Through another interface of this machine, if it has one.
    const other = otherAddress();
    const reachable = other ? await connects(other, Number(port)) : false;
    expect(reachable).toBe(false);
  });

  it('makes a new token for every backend', async () => {
    const second = await startCheckBackend({
      config: { gitops: { repoUrl: 'http://127.0.0.1:1/gitops.git' } },
      templateFiles: [],
    });
    try {
      expect(second.token).not.toBe(backend.token);
      expect(second.token.length).toBeGreaterThanOrEqual(32);
      const res = await fetch(`${second.baseUrl}/api/scaffolder/v2/actions`, {
        headers: { authorization: `Bearer ${backend.token}` },
      });
      expect(res.status).toBe(401);
    } finally {
      await second.stop();
    }
  });
});
