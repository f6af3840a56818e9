/** Where custom domains must point to be verified, and who is asked; read from the environment by the composition root. */
export interface ProxySettings {
  /** `PLINTH_DOMAIN` when set: the server's own name, which no rule may hold. */
  serverDomain: string | undefined;
  /** A rule's domain verifies with a CNAME record to this name (`PLINTH_DOMAIN_TARGET_CNAME`, else `PLINTH_DOMAIN`). */
  cnameTarget: string | undefined;
  /** …or with an A record holding one of these addresses (`PLINTH_DOMAIN_TARGET_A`). */
  aTargets: string[];
  /** …or with an AAAA record holding one of these addresses (`PLINTH_DOMAIN_TARGET_AAAA`). */
  aaaaTargets: string[];
  /** The DNS servers asked (`PLINTH_DNS`, `ip` or `ip:port`); empty: the system's resolvers. */
  dnsServers: string[];
  /** Domains no rule may hold (`PLINTH_DOMAIN_DENY_LIST`), compared whole as Appwrite does. */
  deniedDomains: string[];
}

export const DEFAULT_PROXY_SETTINGS: ProxySettings = {
  serverDomain: undefined,
  cnameTarget: undefined,
  aTargets: [],
  aaaaTargets: [],
  dnsServers: [],
  deniedDomains: [],
};
