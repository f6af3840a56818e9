/** Sites answer on `<siteId>.<hostDomain>`; read from the environment by the composition root. */
export interface SitesSettings {
  /** `sites.<PLINTH_DOMAIN>`: never the API's own name, so no page there acts with the API's trust. */
  hostDomain: string;
}

export const DEFAULT_SITES_SETTINGS: SitesSettings = { hostDomain: 'sites.localhost' };
