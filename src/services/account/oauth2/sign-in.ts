import { AppError } from '../../../core/errors.js';
import { formatDateTime } from '../../../core/datetime.js';
import type { UserRow } from '../../../data/tables.js';
import type { ServiceDeps } from '../../deps.js';
import { isOAuth2ProviderId, readOAuth2Credentials, type OAuth2ProviderId } from '../../projects/index.js';
import type { ActivitySource } from '../../users/index.js';
import { issueSession, type IssuedSession } from '../../users/index.js';
import { issueToken, linkWithParams, TOKEN_SECONDS } from '../tokens.js';
import { resolveOAuth2User } from './accounts.js';
import { arctic } from './arctic.js';
import { configureProvider, isSupportedProvider, type ConfiguredProvider } from './catalogue.js';
import { assertRedirectAllowed } from './redirect-urls.js';
import { openState, sealState, type OAuth2State } from './state.js';

/** The URI registered at the provider: the provider and project in the path, as Appwrite's; on the configured public URL. */
export function callbackUri(publicUrl: string, provider: string, projectId: string): string {
  return `${publicUrl}/v1/account/sessions/oauth2/callback/${provider}/${projectId}`;
}

/** A supported, enabled provider of the project, ready to talk to. */
async function loadProvider(deps: ServiceDeps, projectId: string, provider: string, redirectUri: string): Promise<ConfiguredProvider> {
  if (!isOAuth2ProviderId(provider)) throw new AppError('project_provider_unsupported');
  if (!isSupportedProvider(provider)) throw new AppError('project_provider_unsupported');
  const credentials = await readOAuth2Credentials(deps, projectId, provider);
  if (!credentials?.enabled || credentials.appId === '') throw new AppError('project_provider_disabled');
  return configureProvider(provider as OAuth2ProviderId, { appId: credentials.appId, secret: credentials.secret, extra: credentials.extra, redirectUri });
}

/**
 * Starts a sign-in: checks where the browser will be sent back to, then builds the
 * provider's authorization URL with a sealed state. Returns the URL to redirect to.
 */
export async function beginOAuth2(
  deps: ServiceDeps,
  input: {
    projectId: string;
    provider: string;
    mode: OAuth2State['mode'];
    success: string | undefined;
    failure: string | undefined;
    scopes: readonly string[];
  },
): Promise<string> {
  const success = input.success || `${deps.publicUrl}/auth/oauth2/success`;
  const failure = input.failure || `${deps.publicUrl}/auth/oauth2/failure`;
  await assertRedirectAllowed(deps, input.projectId, 'success', success);
  await assertRedirectAllowed(deps, input.projectId, 'failure', failure);
  const redirectUri = callbackUri(deps.publicUrl, input.provider, input.projectId);
  const provider = await loadProvider(deps, input.projectId, input.provider, redirectUri);
  const codeVerifier = arctic.generateCodeVerifier();
  const state = await sealState(deps.secretKey, {
    projectId: input.projectId,
    provider: input.provider,
    success,
    failure,
    mode: input.mode,
    codeVerifier,
    redirectUri,
  });
  const url = await provider.client.authorizationUrl(state, codeVerifier, provider.scopes(input.scopes));
  return url.toString();
}

/** Opens the state of a callback; a missing, forged or expired one cannot say where to go, so it is an error. */
export async function readCallbackState(deps: ServiceDeps, projectId: string, provider: string, sealed: string | undefined): Promise<OAuth2State> {
  const state = sealed ? await openState(deps.secretKey, sealed) : undefined;
  if (!state || state.projectId !== projectId || state.provider !== provider) {
    throw new AppError('general_argument_invalid', 'Invalid `state` param: the OAuth2 state is missing, altered or expired; start the sign-in again.');
  }
  return state;
}

export type OAuth2Outcome =
  | { mode: 'session'; issued: IssuedSession; redirect: string }
  | { mode: 'token'; redirect: string };

/**
 * Finishes a sign-in at the provider's callback: the code for tokens, the tokens for the
 * user's profile, the profile for an account; then a session (cookies) or a one-time
 * token the app trades with `account.createSession`.
 */
export async function completeOAuth2(
  deps: ServiceDeps,
  input: { state: OAuth2State; callback: URLSearchParams; signedIn: UserRow | undefined; source: ActivitySource },
): Promise<OAuth2Outcome> {
  const { state, callback } = input;
  const providerError = callback.get('error');
  if (providerError) {
    const description = callback.get('error_description');
    throw new AppError('user_oauth2_provider_error', `The OAuth2 provider answered: ${providerError}${description ? ` (${description})` : ''}`);
  }
  if (!callback.get('code')) throw new AppError('user_oauth2_bad_request', 'The OAuth2 provider sent no authorization code.');
  const provider = await loadProvider(deps, state.projectId, state.provider, state.redirectUri);
  const tokens = await provider.client.exchangeCode(callback, state.codeVerifier);
  const profile = await provider.client.readProfile(tokens);
  const user = await resolveOAuth2User(deps, state.projectId, { provider: state.provider, profile, tokens, signedIn: input.signedIn });

  if (state.mode === 'token') {
    // The secret goes into the URL: it is checked again, as platforms may have changed since the start.
    await assertRedirectAllowed(deps, state.projectId, 'success', state.success);
    const issued = await issueToken(deps, state.projectId, user, 'oauth2', { seconds: TOKEN_SECONDS.code, source: input.source });
    return { mode: 'token', redirect: linkWithParams(state.success, { secret: issued.secret, userId: user.id }) };
  }
  const issued = await issueSession(deps, state.projectId, user, input.source, {
    provider: state.provider,
    providerUid: profile.id,
    providerAccessToken: tokens.accessToken,
    providerRefreshToken: tokens.refreshToken,
    providerAccessTokenExpiry: tokens.expiresAt ? formatDateTime(tokens.expiresAt) : '',
    factors: ['email'],
  });
  return { mode: 'session', issued, redirect: state.success };
}

/** The failure URL with Appwrite's `error` parameter: the error as JSON. */
export function failureRedirect(failure: string, error: AppError): string {
  return linkWithParams(failure, { error: JSON.stringify({ message: error.message, type: error.type, code: error.code }) });
}
