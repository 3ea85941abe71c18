import net from 'node:net';
import { startGitHttpServer } from '@internal/dev-git-server';
import {
  actionOptions,
  runTemplate,
  startRemote,
  TestRemote,
} from './__testUtils__';

// Every test runs git against a loopback server; a loaded CI machine is slow.
jest.setTimeout(30_000);

/** A server that accepts connections and never answers, as a hung Git host. */
async function hangingServer() {
  const sockets: net.Socket[] = [];
  const server = net.createServer(socket => sockets.push(socket));
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${
      (server.address() as net.AddressInfo).port
    }/gitops.git`,
    close: () =>
      new Promise<void>(resolve => {
        sockets.forEach(s => s.destroy());
        server.close(() => resolve());
      }),
  };
}

describe('a Git server that is down or hangs', () => {
  let remote: TestRemote;

  beforeEach(async () => {
    remote = await startRemote();
  });
  afterEach(() => remote.cleanup());

  it('fails the task cleanly while the server is down, and a re-run succeeds once it is back', async () => {
    const options = actionOptions(remote);
    const port = remote.server.port;
    await remote.server.stop();
    await expect(runTemplate(remote, options)).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('Could not fetch branch main'),
    });
    // Back on the same address: the same mirror recovers, nothing half-done.
    const back = await startGitHttpServer({
      root: `${remote.dir}/repos`,
      port,
    });
    try {
      const { published } = await runTemplate(remote, options);
      expect((await remote.heads())[`refs/heads/${published.branch}`]).toBe(
        published.commit,
      );
    } finally {
      await back.stop();
    }
  });

  it('stops waiting for a hanging server after gitops.gitTimeout', async () => {
    const hanging = await hangingServer();
    try {
      const options = actionOptions(remote, {
        repoUrl: hanging.url,
        gitTimeout: { seconds: 2 },
      });
      const started = Date.now();
      await expect(runTemplate(remote, options)).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringContaining('no answer within 2 s'),
      });
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      await hanging.close();
    }
  });
});
