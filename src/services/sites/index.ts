export { sitesRoutes } from './routes.js';
export { buildSiteDeployment } from './builds.js';
export { SITE_BUILDS_QUEUE, type SiteBuildJob } from './deployments.js';
export { isSitesHostname, sendToSite, siteHostRouting } from './host-routing.js';
export { getSite, sitesDomainOf } from './sites.js';
export { DEFAULT_SITES_SETTINGS, DEFAULT_SSR_START_TIMEOUT_SECONDS, type SitesSettings } from './settings.js';
