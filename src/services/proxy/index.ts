export { proxyRoutes } from './routes.js';
export { ruleHostRouting } from './host-routing.js';
export { DEFAULT_PROXY_SETTINGS, type ProxySettings } from './settings.js';
export { createRule, deleteRule, getRule, listRules, verifyRule, type RuleAction } from './rules.js';
export type { RuleModel } from './models.js';
export { isDomainDenied, isDomainTaken } from './domain-policy.js';
