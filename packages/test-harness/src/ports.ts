import net from 'node:net';

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Whether something already accepts connections on localhost:`port`. */
export function portInUse(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const socket = net.connect({ port, host: 'localhost' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Polls `check` every `intervalMs` until it returns true, at most `attempts`
 * times. A check that throws ends the wait with its error.
 */
export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  { attempts = 240, intervalMs = 500 } = {},
): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    if (await check()) {
      return;
    }
    await new Promise(r => setTimeout(r, intervalMs));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

/** Whether `url` answers with `status`; a refused connection counts as no. */
export async function answers(url: string, status = 200): Promise<boolean> {
  try {
    return (await fetch(url)).status === status;
  } catch {
    return false;
  }
}
