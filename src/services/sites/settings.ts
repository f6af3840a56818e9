/** Sites answer on `<siteId>.<hostDomain>`; read from the environment by the composition root. */
export interface SitesSettings {
  /** `sites.<PLINTH_DOMAIN>`: never the API's own name, so no page there acts with the API's trust. */
  hostDomain: string;
  /** Requests one server-rendered site's process serves at once; unset: the functions' concurrency. */
  ssrConcurrency?: number | undefined;
  /** How long a server-rendered site's server may take to start listening, in seconds. */
  ssrStartTimeoutSeconds?: number | undefined;
}

/** A framework's first start on a loaded host can take several seconds more than a function's. */
export const DEFAULT_SSR_START_TIMEOUT_SECONDS = 30;

export const DEFAULT_SITES_SETTINGS: SitesSettings = { hostDomain: 'sites.localhost' };
