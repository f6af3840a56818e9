import type { RouteAlias } from '../../http/route-aliases.js';

/** Paths of older SDKs that Appwrite's router still answers as today's account routes. */
export const accountAliases: RouteAlias[] = [
  { method: 'POST', path: '/account/sessions', target: '/account/sessions/email' },
  { method: 'POST', path: '/account/sessions/magic-url', target: '/account/tokens/magic-url' },
  { method: 'POST', path: '/account/sessions/phone', target: '/account/tokens/phone' },
  { method: 'POST', path: '/account/jwt', target: '/account/jwts' },
  { method: 'POST', path: '/account/verification', target: '/account/verifications/email' },
  { method: 'PUT', path: '/account/verification', target: '/account/verifications/email' },
  { method: 'POST', path: '/account/verification/phone', target: '/account/verifications/phone' },
  { method: 'PUT', path: '/account/verification/phone', target: '/account/verifications/phone' },
  { method: 'POST', path: '/account/mfa/challenge', target: '/account/mfa/challenges' },
  { method: 'PUT', path: '/account/mfa/challenge', target: '/account/mfa/challenges' },
];
