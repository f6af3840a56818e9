import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/** Private, loopback, link-local (cloud metadata), carrier-grade NAT and unspecified ranges. */
const PRIVATE = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['224.0.0.0', 3],
] as const) {
  PRIVATE.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['64:ff9b::', 96]] as const) {
  PRIVATE.addSubnet(net, prefix, 'ipv6');
}

/** Whether a user-given URL may not reach this address unless the operator allows private URLs. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  return PRIVATE.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/** Whether a host (a name, or an address in URL form) is or resolves to any private address. */
export async function resolvesToPrivate(hostname: string): Promise<boolean> {
  const bare = hostname.replace(/^\[|\]$/g, '');
  if (isIP(bare)) return isPrivateAddress(bare);
  const addresses = await new Promise<LookupAddress[]>((resolve, reject) =>
    dnsLookup(bare, { all: true }, (error, found) => (error ? reject(error) : resolve(found))),
  );
  return addresses.some(({ address }) => isPrivateAddress(address));
}

export class PrivateAddressError extends Error {
  constructor(hostname: string) {
    super(`${hostname} resolves to a private address`);
    this.name = 'PrivateAddressError';
  }
}

/**
 * A DNS lookup for outgoing sockets that fails on private addresses: the socket connects to
 * the very address checked, so a name cannot resolve to a public address for the check and a
 * private one for the connection.
 */
export const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '', 0);
    const found = addresses as LookupAddress[];
    if (found.length === 0 || found.some(({ address }) => isPrivateAddress(address))) {
      return callback(Object.assign(new PrivateAddressError(hostname), { code: 'EPRIVATE' }), '', 0);
    }
    if (options.all) return (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, found);
    callback(null, found[0]!.address, found[0]!.family);
  });
};

/** What keeps a socket for a user-given URL off private addresses; nothing when the operator allows them. */
export interface PublicOnlyConnection {
  /** The URL's host when it is a private address written out: it connects without a lookup, so it is refused before. */
  refused?: string;
  /** The lookup to connect with, which refuses names that resolve to a private address. */
  lookup?: LookupFunction;
}

export function publicOnlyConnection(url: URL, allowPrivate: boolean): PublicOnlyConnection {
  if (allowPrivate) return {};
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) !== 0 && isPrivateAddress(host)) return { refused: host };
  return { lookup: publicOnlyLookup };
}
