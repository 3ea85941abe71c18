import { BlockList, isIP } from 'node:net';

/**
 * Addresses that are not on the public internet: unspecified, loopback,
 * link-local, private (RFC 1918, unique local), shared (carrier-grade NAT),
 * IETF-reserved, benchmarking, multicast and reserved, and the deprecated
 * IPv4-compatible IPv6 range. BlockList checks IPv4-mapped IPv6 addresses
 * (::ffff:127.0.0.1) against the IPv4 ranges itself.
 */
const INTERNAL = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const) {
  INTERNAL.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 96],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  INTERNAL.addSubnet(network, prefix, 'ipv6');
}

/** Whether `address` (an IPv4 or IPv6 address) is not a public one. */
export function isInternalAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) {
    throw new TypeError(`Not an IP address: ${address}`);
  }
  return INTERNAL.check(address, family === 4 ? 'ipv4' : 'ipv6');
}
