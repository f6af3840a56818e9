import type * as OAuth from 'oauth4webapi';
import { AppError } from '../../../core/errors.js';
import { lazyExports } from '../../../core/load-package.js';
import { profileFromClaims, type ClientSettings, type OAuth2Client, type ProviderTokens } from './provider.js';

/**
 * A generic OpenID Connect provider, configured by its discovery document (`wellKnownURL`)
 * or by its three endpoints. Authorization code with PKCE; the user comes from the ID
 * token's `sub` and the userinfo endpoint.
 */

export const OIDC_SCOPES = ['openid', 'email', 'profile'];

/** Loaded with the first sign-in through an OpenID Connect provider. */
const oauth = lazyExports<typeof import('oauth4webapi')>('oauth4webapi');

const WELL_KNOWN_SUFFIX = '/.well-known/openid-configuration';

/** Plain http is for an issuer the project owner pointed at on purpose, such as one on loopback. */
function requestOptions(url: string): { [oauth.allowInsecureRequests]?: boolean; signal: AbortSignal } {
  return { ...(url.startsWith('http:') ? { [oauth.allowInsecureRequests]: true } : {}), signal: AbortSignal.timeout(10_000) };
}

function providerError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof oauth.ResponseBodyError) {
    const type = error.status === 401 || error.error === 'invalid_client' ? 'user_oauth2_unauthorized' : 'user_oauth2_bad_request';
    return new AppError(type, `The OpenID provider answered: ${error.error}${error.error_description ? ` (${error.error_description})` : ''}`);
  }
  if (error instanceof oauth.AuthorizationResponseError) {
    return new AppError('user_oauth2_provider_error', `The OpenID provider answered: ${error.error}`);
  }
  return new AppError('user_oauth2_provider_error', `The OpenID provider could not be used: ${(error as Error).message}`);
}

/** The issuer's metadata: discovered, or assembled from the configured endpoints. */
async function loadMetadata(settings: ClientSettings): Promise<OAuth.AuthorizationServer> {
  const { wellKnownURL, authorizationURL, tokenURL, userInfoURL } = settings.extra;
  if (wellKnownURL) {
    // The issuer is the well-known URL without its suffix; discovery checks the document names it.
    const issuer = new URL(wellKnownURL.endsWith(WELL_KNOWN_SUFFIX) ? wellKnownURL.slice(0, -WELL_KNOWN_SUFFIX.length) : wellKnownURL);
    const response = await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...requestOptions(wellKnownURL) });
    return oauth.processDiscoveryResponse(issuer, response);
  }
  if (!authorizationURL || !tokenURL) {
    throw new AppError('project_provider_disabled', 'The OpenID provider needs a wellKnownURL, or an authorizationURL and a tokenURL.');
  }
  return {
    issuer: new URL(authorizationURL).origin,
    authorization_endpoint: authorizationURL,
    token_endpoint: tokenURL,
    ...(userInfoURL ? { userinfo_endpoint: userInfoURL } : {}),
  };
}

export function buildOidcClient(settings: ClientSettings): OAuth2Client {
  const client: OAuth.Client = { client_id: settings.appId };
  const discovered = !!settings.extra.wellKnownURL;
  let metadata: Promise<OAuth.AuthorizationServer> | undefined;
  const server = () => (metadata ??= loadMetadata(settings).catch((error: unknown) => Promise.reject(providerError(error))));
  const auth = async () => {
    const methods = (await server()).token_endpoint_auth_methods_supported;
    if (settings.secret === '') return oauth.None();
    return methods && !methods.includes('client_secret_basic') && methods.includes('client_secret_post')
      ? oauth.ClientSecretPost(settings.secret)
      : oauth.ClientSecretBasic(settings.secret);
  };

  return {
    async authorizationUrl(state, codeVerifier, scopes) {
      const as = await server();
      if (!as.authorization_endpoint) throw new AppError('project_provider_disabled', 'The OpenID provider names no authorization endpoint.');
      const url = new URL(as.authorization_endpoint);
      url.searchParams.set('client_id', settings.appId);
      url.searchParams.set('redirect_uri', settings.redirectUri);
      url.searchParams.set('response_type', 'code');
      url.searchParams.set('scope', scopes.join(' '));
      url.searchParams.set('state', state);
      url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(codeVerifier));
      url.searchParams.set('code_challenge_method', 'S256');
      return url;
    },

    async exchangeCode(callback, codeVerifier): Promise<ProviderTokens> {
      try {
        const as = await server();
        const params = oauth.validateAuthResponse(as, client, callback, oauth.skipStateCheck);
        const response = await oauth.authorizationCodeGrantRequest(as, client, await auth(), params, settings.redirectUri, codeVerifier, requestOptions(as.token_endpoint ?? ''));
        // Without discovery the issuer is a guess, so an ID token is not held to it.
        const result = await oauth.processAuthorizationCodeResponse(as, client, response, { requireIdToken: discovered });
        return {
          accessToken: result.access_token,
          refreshToken: result.refresh_token ?? '',
          expiresAt: typeof result.expires_in === 'number' ? new Date(Date.now() + result.expires_in * 1000) : undefined,
          idToken: result.id_token,
        };
      } catch (error) {
        throw providerError(error);
      }
    },

    async readProfile(tokens) {
      try {
        const as = await server();
        const idClaims = discovered && tokens.idToken ? decodeClaims(tokens.idToken) : {};
        let claims: Record<string, unknown> = idClaims;
        if (as.userinfo_endpoint) {
          const expected = typeof idClaims.sub === 'string' ? idClaims.sub : oauth.skipSubjectCheck;
          const response = await oauth.userInfoRequest(as, client, tokens.accessToken, requestOptions(as.userinfo_endpoint));
          claims = { ...idClaims, ...(await oauth.processUserInfoResponse(as, client, expected, response)) };
        }
        return profileFromClaims(claims);
      } catch (error) {
        throw providerError(error);
      }
    },
  };
}

/** The payload of an ID token oauth4webapi has already validated during the code exchange. */
function decodeClaims(idToken: string): Record<string, unknown> {
  const payload = idToken.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}
