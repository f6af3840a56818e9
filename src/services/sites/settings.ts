/** Sites answer on `<siteId>.<hostDomain>`; read from the environment by the composition root. */
export interface SitesSettings {
  /** `sites.<PLINTH_DOMAIN>`: never the API's own name, so no page there acts with the API's trust. */
  hostDomain: string;
  /** Requests one server-rendered site's process serves at once; unset: the functions' concurrency. */
  ssrConcurrency?: number | undefined;
}

export const DEFAULT_SITES_SETTINGS: SitesSettings = { hostDomain: 'sites.localhost' };
