import { isIP } from 'node:net';

/**
 * Which reverse proxies' `X-Forwarded-*` headers to believe: none, the last `hops` of the
 * chain, or only proxies at the listed addresses. The client address is then the first
 * hop, counted from the socket, that is not a trusted proxy.
 */
export type TrustProxy = false | number | string[];

/** The names proxy-addr accepts for whole reserved ranges. */
const RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * Reads `PLINTH_TRUST_PROXY`: unset or `false`, a hop count, or addresses/CIDRs separated by
 * commas. `true` is refused: trusting every hop lets any client name its own address.
 */
export function parseTrustProxy(raw: string | undefined): TrustProxy {
  const value = raw?.trim() ?? '';
  if (value === '' || value === 'false' || value === '0') return false;
  if (value === 'true') {
    throw new Error(
      'must not be true: that would let any client choose its address through X-Forwarded-For. ' +
        'Set the number of proxies in front of Plinth (e.g. 1), or their addresses or CIDRs separated by commas.',
    );
  }
  if (/^[0-9]+$/.test(value)) return Number(value);
  const entries = value.split(',').map((entry) => entry.trim());
  for (const entry of entries) {
    if (!isProxyAddress(entry)) {
      throw new Error(`must be a hop count or addresses/CIDRs separated by commas; "${entry}" is neither`);
    }
  }
  return entries;
}

function isProxyAddress(entry: string): boolean {
  if (RANGE_NAMES.has(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^[0-9]{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/** In Fastify's terms; a hop count trusts the peer and the proxies before it, whatever their address. */
export function fastifyTrustProxy(trust: TrustProxy): false | string[] | ((address: string, hop: number) => boolean) {
  if (typeof trust !== 'number') return trust;
  const hops = trust;
  return (_address, hop) => hop < hops;
}
