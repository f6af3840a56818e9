export { proxyRoutes } from './routes.js';
export { ruleHostRouting } from './host-routing.js';
export { DEFAULT_PROXY_SETTINGS, type ProxySettings } from './settings.js';
