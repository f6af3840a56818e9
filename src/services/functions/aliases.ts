import type { RouteAlias } from '../../http/route-aliases.js';

const deployment = '/functions/:functionId/deployments/:deploymentId';

/** Deployment paths of older SDKs (builds had routes of their own) that Appwrite's router still answers. */
export const functionsAliases: RouteAlias[] = [
  { method: 'GET', path: `${deployment}/build/download`, target: `${deployment}/download` },
  { method: 'POST', path: `${deployment}/build`, target: '/functions/:functionId/deployments/duplicate' },
  { method: 'POST', path: `${deployment}/builds/:buildId`, target: '/functions/:functionId/deployments/duplicate' },
  { method: 'PATCH', path: `${deployment}/build`, target: `${deployment}/status` },
  { method: 'PATCH', path: deployment, target: '/functions/:functionId/deployment' },
];
