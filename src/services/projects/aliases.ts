import type { RouteAlias } from '../../http/route-aliases.js';

/** The switches' paths of older SDKs, which Appwrite's router still answers. */
export const projectAliases: RouteAlias[] = [
  { method: 'PATCH', path: '/project/services/:serviceId/status', target: '/project/services/:serviceId' },
  { method: 'PATCH', path: '/project/protocols/:protocolId/status', target: '/project/protocols/:protocolId' },
];
