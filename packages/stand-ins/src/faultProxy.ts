import net from 'node:net';

/**
 * How a neighbour behind a {@link FaultProxy} behaves: `up` forwards every
 * connection to it, `hang` accepts connections and never answers (a
 * neighbour that is overloaded, or a network that drops packets), `down`
 * refuses connections (a stopped neighbour: ECONNREFUSED).
 */
export type FaultMode = 'up' | 'hang' | 'down';

/** A loopback TCP port in front of a neighbour, whose failures tests switch on and off. */
export interface FaultProxy {
  /** `http://127.0.0.1:<port>`: where the portal is told the neighbour is. */
  url: string;
  port: number;
  mode(): FaultMode;
  /**
   * From now on behave as `mode`. Open connections are dropped, as a
   * restart or a network failure would, so no kept-alive connection
   * carries on as before.
   */
  set(mode: FaultMode): Promise<void>;
  /** Connections accepted and held without an answer, right now. */
  hanging(): number;
  close(): Promise<void>;
}

export interface FaultProxyOptions {
  /** The neighbour's `host:port` or URL (its origin is what counts). */
  target: string;
  /** Port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
}

function targetOf(target: string): { host: string; port: number } {
  const url = new URL(target.includes('://') ? target : `tcp://${target}`);
  return { host: url.hostname, port: Number(url.port) };
}

/**
 * Starts a TCP proxy on 127.0.0.1 in front of a neighbour of the portal
 * (a stand-in, the loopback Git server), in mode `up`. It works below
 * HTTP, so whatever the protocol, `down` is a refused connection and
 * `hang` an open one that stays silent, as the real failures are.
 */
export async function startFaultProxy(
  options: FaultProxyOptions,
): Promise<FaultProxy> {
  const target = targetOf(options.target);
  let mode: FaultMode = 'up';
  const open = new Set<net.Socket>();
  const held = new Set<net.Socket>();
  const track = (socket: net.Socket, set: Set<net.Socket>) => {
    set.add(socket);
    socket.once('close', () => set.delete(socket));
    socket.on('error', () => socket.destroy());
  };

  const server = net.createServer(client => {
    track(client, open);
    if (mode === 'hang') {
      // Reads and ignores the request, as a stuck server's kernel does, so
      // a client that gives up is seen to hang up.
      client.resume();
      track(client, held);
      return;
    }
    const upstream = net.connect(target.port, target.host);
    track(upstream, open);
    upstream.once('close', () => client.destroy());
    client.once('close', () => upstream.destroy());
    client.pipe(upstream).pipe(client);
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  const stopListening = () =>
    new Promise<void>(resolve =>
      server.listening ? server.close(() => resolve()) : resolve(),
    );
  const dropAll = () => {
    for (const socket of open) socket.destroy();
    open.clear();
    held.clear();
  };

  await listen(options.port ?? 0);
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    mode: () => mode,
    async set(next) {
      mode = next;
      dropAll();
      if (next === 'down') {
        await stopListening();
      } else if (!server.listening) {
        await listen(port);
      }
    },
    hanging: () => held.size,
    async close() {
      dropAll();
      await stopListening();
    },
  };
}
