export { accountRoutes } from './service.js';
export { accountModel } from './account.js';
export { replyWithSession } from './routes.js';
export { revealsSecrets, signedInUser } from './caller.js';
export { clearSessionCookies, setSessionCookies } from '../../http/session-cookies.js';
export { accountAliases } from './aliases.js';
