export { authenticateUser, type AuthenticatedUser } from './authenticate.js';
export { assertSecondFactor } from './second-factor.js';
export { issueSession, sessionModel, type IssuedSession } from './sessions.js';
export { signUserJwt, JWT_DEFAULT_SECONDS, JWT_MAX_SECONDS } from './jwt.js';
export { encodeSessionToken } from './session-token.js';
export { replyWithSession } from './routes.js';
export { activitySource, revealsSecrets, signedInUser } from './caller.js';
export { clearSessionCookies, setSessionCookies } from './session-cookies.js';
export { deleteIdentity, listIdentities, toIdentityModel } from './identities.js';
