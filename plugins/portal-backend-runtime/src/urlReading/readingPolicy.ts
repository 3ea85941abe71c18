import { Config } from '@backstage/config';
import { NotAllowedError } from '@backstage/errors';
import { isInternalAddress } from './internalAddresses';

const DEFAULT_PORTS = [80, 443];

/** `host:port` with the host lowercased and without IPv6 brackets. */
function hostKey(hostname: string, port: string | number): string {
  return `${hostname.replace(/^\[|\]$/g, '').toLowerCase()}:${port}`;
}

/**
 * The `host:port` keys of a configured `host` (`git.example.com` or
 * `127.0.0.1:3000`) or http(s) URL; nothing for wildcards and port ranges.
 */
function keysOf(value: string, isHost: boolean): string[] {
  if (isHost ? value.includes('*') : !/^https?:\/\//.test(value)) {
    return [];
  }
  let url: URL;
  try {
    url = new URL(isHost ? `http://${value}` : value);
  } catch {
    return [];
  }
  if (url.port) {
    return [hostKey(url.hostname, url.port)];
  }
  return isHost
    ? DEFAULT_PORTS.map(port => hostKey(url.hostname, port))
    : [hostKey(url.hostname, url.protocol === 'https:' ? 443 : 80)];
}

/** Every `host` and http(s) URL of one integration or reading entry. */
function entryKeys(entry: Config): string[] {
  return entry.keys().flatMap(key => {
    const value = entry.getOptional(key);
    return typeof value === 'string' ? keysOf(value, key === 'host') : [];
  });
}

/** The entries of `integrations.<type>`, a list for most types. */
function integrationEntries(integrations: Config, type: string): Config[] {
  return Array.isArray(integrations.getOptional(type))
    ? integrations.getConfigArray(type)
    : [integrations.getConfig(type)];
}

/**
 * Which destinations URL reading may connect to. Hosts the operator
 * configured for reading (every host and URL under `integrations`, and each
 * `backend.reading.allow` entry that names one exact host) may have any
 * address, as an internal Git server does. Any other destination, which
 * reading only reaches by following a redirect, must resolve to public
 * addresses only: a redirect from an integration host to loopback,
 * link-local or private addresses is refused.
 */
export class ReadingPolicy {
  static fromConfig(config: Config): ReadingPolicy {
    const integrations = config.getOptionalConfig('integrations');
    const entries = [
      ...(integrations?.keys() ?? []).flatMap(type =>
        integrationEntries(integrations!, type),
      ),
      ...(config.getOptionalConfigArray('backend.reading.allow') ?? []),
    ];
    return new ReadingPolicy(new Set(entries.flatMap(entryKeys)));
  }

  constructor(private readonly trusted: ReadonlySet<string>) {}

  /**
   * Refuses (with a NotAllowedError) to connect to `hostname:port` at
   * `addresses` when one of them is internal and the host is not configured
   * for reading.
   */
  check(hostname: string, port: string | number, addresses: string[]): void {
    if (this.trusted.has(hostKey(hostname, port))) {
      return;
    }
    const internal = addresses.find(isInternalAddress);
    if (internal) {
      throw new NotAllowedError(
        `Refused to connect to ${hostKey(
          hostname,
          port,
        )}: it resolves to ${internal}, which is not a public address. While reading URLs, only hosts configured under integrations or backend.reading.allow may be internal; a redirect to anywhere else internal is not followed.`,
      );
    }
  }
}
