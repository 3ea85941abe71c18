import { LookupAddress, lookup } from 'node:dns';
import { LookupFunction, isIP } from 'node:net';
import { ReadingPolicy } from './readingPolicy';
import { currentReadingCall } from './readingScope';

/** Notes a refusal on the URL reader call it happened in, and returns it. */
function refused(error: Error): Error {
  currentReadingCall()?.refusals.push(error);
  return error;
}

/**
 * Checks a host that is an IP address, which Node connects to without a
 * lookup; undefined for a name, or an address the policy allows.
 */
export function refuseAddress(
  policy: ReadingPolicy,
  host: string,
  port: string | number,
): Error | undefined {
  const bare = host.replace(/^\[|\]$/g, '');
  if (!isIP(bare)) {
    return undefined;
  }
  try {
    policy.check(bare, port, [bare]);
    return undefined;
  } catch (error) {
    return refused(error as Error);
  }
}

/**
 * A `lookup` for connections to `port`: resolves the name once, checks every
 * address it resolves to, and hands Node only those, so the connection goes
 * to exactly the addresses checked (a second, different DNS answer plays no
 * part) and Node still tries each in turn.
 */
export function guardedLookup(
  policy: ReadingPolicy,
  port: string | number,
): LookupFunction {
  return (hostname, options, callback) => {
    lookup(hostname, { ...options, all: true }, (error, found) => {
      const addresses = found as LookupAddress[];
      if (error) {
        callback(error, '');
        return;
      }
      try {
        policy.check(
          hostname,
          port,
          addresses.map(a => a.address),
        );
      } catch (refusal) {
        callback(refused(refusal as Error), '');
        return;
      }
      if (options.all) {
        callback(null, addresses);
      } else {
        callback(null, addresses[0].address, addresses[0].family);
      }
    });
  };
}
