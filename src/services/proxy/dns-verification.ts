import { Resolver } from 'node:dns/promises';
import { isIPv6 } from 'node:net';
import type { ProxySettings } from './settings.js';

/** What a DNS check found: verified, or why not in words the domain's owner can act on. */
export type DnsVerdict = { verified: true } | { verified: false; reason: string };

/** Codes by which a resolver says the name or the record type does not exist (as opposed to not answering). */
const NO_RECORD = new Set(['ENOTFOUND', 'ENODATA', 'ENONAME']);

class ResolverUnreachable extends Error {}

/**
 * Checks that a domain points at this server: a CNAME to the configured target, or an A/AAAA
 * record holding one of the configured addresses, as the configured resolvers answer.
 */
export async function verifyDomainRecords(settings: ProxySettings, domain: string): Promise<DnsVerdict> {
  const expected = describeTargets(settings);
  if (expected.length === 0) {
    return { verified: false, reason: 'No DNS target is configured on this server: set PLINTH_DOMAIN (or PLINTH_DOMAIN_TARGET_CNAME), PLINTH_DOMAIN_TARGET_A or PLINTH_DOMAIN_TARGET_AAAA.' };
  }
  const resolver = new Resolver({ timeout: 3000, tries: 2 });
  if (settings.dnsServers.length > 0) resolver.setServers(settings.dnsServers);
  const asked = settings.dnsServers.length > 0 ? settings.dnsServers.join(', ') : 'the system resolver';
  try {
    if (settings.cnameTarget !== undefined) {
      const names = await lookup(() => resolver.resolveCname(domain));
      if (names.some((name) => sameName(name, settings.cnameTarget!))) return { verified: true };
    }
    if (settings.aTargets.length > 0) {
      const addresses = await lookup(() => resolver.resolve4(domain));
      if (addresses.some((address) => settings.aTargets.includes(address))) return { verified: true };
    }
    if (settings.aaaaTargets.length > 0) {
      const wanted = settings.aaaaTargets.map(canonicalIPv6);
      const addresses = await lookup(() => resolver.resolve6(domain));
      if (addresses.some((address) => wanted.includes(canonicalIPv6(address)))) return { verified: true };
    }
  } catch (error) {
    if (!(error instanceof ResolverUnreachable)) throw error;
    return { verified: false, reason: `DNS resolver ${asked} did not answer for ${domain}: ${error.message}. Retry later.` };
  }
  return { verified: false, reason: `Domain ${domain} has no DNS record pointing to this server (asked ${asked}); add ${expected.join(' or ')}.` };
}

/** The records that would verify a domain, as an owner would add them. */
function describeTargets(settings: ProxySettings): string[] {
  return [
    ...(settings.cnameTarget === undefined ? [] : [`a CNAME record to ${settings.cnameTarget}`]),
    ...settings.aTargets.map((address) => `an A record for ${address}`),
    ...settings.aaaaTargets.map((address) => `an AAAA record for ${address}`),
  ];
}

/** A missing name or record is an empty answer; a resolver that fails to answer is reported as such. */
async function lookup(query: () => Promise<string[]>): Promise<string[]> {
  try {
    return await query();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (NO_RECORD.has(code)) return [];
    throw new ResolverUnreachable(code || (error as Error).message);
  }
}

function sameName(a: string, b: string): boolean {
  return a.toLowerCase().replace(/\.$/, '') === b.toLowerCase().replace(/\.$/, '');
}

/** One spelling per IPv6 address (`2001:db8::1` and `2001:0db8:0:0::1` compare equal). */
function canonicalIPv6(address: string): string {
  return isIPv6(address) ? new URL(`http://[${address}]/`).hostname : address;
}
