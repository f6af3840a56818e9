import type { OAuth2Tokens } from 'arctic';
import { AppError } from '../../../core/errors.js';
import type { OAuth2Extra } from '../../projects/index.js';
import { arctic } from './arctic.js';

/** What a provider hands back after the code exchange. */
export interface ProviderTokens {
  accessToken: string;
  refreshToken: string;
  expiresAt: Date | undefined;
  idToken: string | undefined;
}

/** Who the user is at the provider. */
export interface ProviderProfile {
  /** The provider's stable id for the user. */
  id: string;
  email: string;
  /** False only when the provider says the address is unverified. */
  emailVerified: boolean;
  name: string;
}

/** One provider, configured for one project and one redirect URI. */
export interface OAuth2Client {
  /** The URL the browser is sent to; `codeVerifier` is used when the provider takes PKCE. */
  authorizationUrl(state: string, codeVerifier: string, scopes: string[]): Promise<URL>;
  /** Trades the callback's parameters (code, and `iss` where sent) for tokens. */
  exchangeCode(callback: URLSearchParams, codeVerifier: string): Promise<ProviderTokens>;
  readProfile(tokens: ProviderTokens): Promise<ProviderProfile>;
}

export interface ClientSettings {
  appId: string;
  secret: string;
  extra: OAuth2Extra;
  redirectUri: string;
}

/** arctic's three shapes of provider class, by what they take. */
export interface PkceClass {
  createAuthorizationURL(state: string, codeVerifier: string, scopes: string[]): URL;
  validateAuthorizationCode(code: string, codeVerifier: string): Promise<OAuth2Tokens>;
}
export interface ScopesClass {
  createAuthorizationURL(state: string, scopes: string[]): URL;
  validateAuthorizationCode(code: string): Promise<OAuth2Tokens>;
}
export interface PlainClass {
  createAuthorizationURL(state: string): URL;
  validateAuthorizationCode(code: string): Promise<OAuth2Tokens>;
}

export type ProfileReader = (tokens: ProviderTokens, settings: ClientSettings) => Promise<ProviderProfile>;

export function withPkce(client: PkceClass, readProfile: ProfileReader, settings: ClientSettings): OAuth2Client {
  return {
    authorizationUrl: async (state, verifier, scopes) => client.createAuthorizationURL(state, verifier, scopes),
    exchangeCode: (callback, verifier) => exchanged(() => client.validateAuthorizationCode(codeOf(callback), verifier)),
    readProfile: (tokens) => readProfile(tokens, settings),
  };
}

export function withScopes(client: ScopesClass, readProfile: ProfileReader, settings: ClientSettings): OAuth2Client {
  return {
    authorizationUrl: async (state, _verifier, scopes) => client.createAuthorizationURL(state, scopes),
    exchangeCode: (callback) => exchanged(() => client.validateAuthorizationCode(codeOf(callback))),
    readProfile: (tokens) => readProfile(tokens, settings),
  };
}

export function withoutScopes(client: PlainClass, readProfile: ProfileReader, settings: ClientSettings): OAuth2Client {
  return {
    authorizationUrl: async (state) => client.createAuthorizationURL(state),
    exchangeCode: (callback) => exchanged(() => client.validateAuthorizationCode(codeOf(callback))),
    readProfile: (tokens) => readProfile(tokens, settings),
  };
}

function codeOf(callback: URLSearchParams): string {
  const code = callback.get('code');
  if (!code) throw new AppError('user_oauth2_bad_request', 'The OAuth2 provider sent no authorization code.');
  return code;
}

/** The code exchange, its failures told apart: a refused code or client, or a provider that failed. */
async function exchanged(exchange: () => Promise<OAuth2Tokens>): Promise<ProviderTokens> {
  try {
    return tokensOf(await exchange());
  } catch (error) {
    if (error instanceof AppError) throw error;
    if (error instanceof arctic.OAuth2RequestError) {
      const type = error.code === 'invalid_client' || error.code === 'unauthorized_client' ? 'user_oauth2_unauthorized' : 'user_oauth2_bad_request';
      throw new AppError(type, `The OAuth2 provider answered: ${error.code}${error.description ? ` (${error.description})` : ''}`);
    }
    throw new AppError('user_oauth2_provider_error', `The OAuth2 provider could not complete the sign-in: ${(error as Error).message}`);
  }
}

/** arctic throws when an optional field is absent; read each one defensively. */
function tokensOf(tokens: OAuth2Tokens): ProviderTokens {
  const data = tokens.data as Record<string, unknown>;
  const expiresIn = typeof data.expires_in === 'number' ? data.expires_in : Number(data.expires_in);
  return {
    accessToken: tokens.accessToken(),
    refreshToken: typeof data.refresh_token === 'string' ? data.refresh_token : '',
    expiresAt: Number.isFinite(expiresIn) && expiresIn > 0 ? new Date(Date.now() + expiresIn * 1000) : undefined,
    idToken: typeof data.id_token === 'string' ? data.id_token : undefined,
  };
}

/** GETs (or POSTs) a provider API with the user's access token; a failure is the provider's error. */
export async function fetchProviderJson(
  url: string,
  accessToken: string,
  init: { method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string } = {},
): Promise<Record<string, unknown>> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: init.method ?? 'GET',
      headers: { Accept: 'application/json', Authorization: `Bearer ${accessToken}`, 'User-Agent': 'Plinth', ...init.headers },
      ...(init.body !== undefined ? { body: init.body } : {}),
      signal: AbortSignal.timeout(10_000),
    });
  } catch {
    throw new AppError('user_oauth2_provider_error', 'The OAuth2 provider could not be reached.');
  }
  if (!response.ok) throw new AppError('user_oauth2_provider_error', `The OAuth2 provider answered ${response.status} when reading the user.`);
  return (await response.json()) as Record<string, unknown>;
}

/** A claim as text: ids arrive as numbers from some providers. */
export function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return '';
}

/** `email_verified` arrives as a boolean, or as "true"/"false" from some providers. */
export function verifiedFlag(value: unknown): boolean {
  return value !== false && value !== 'false';
}

/** Reads a standard OpenID Connect userinfo response. */
export function profileFromClaims(claims: Record<string, unknown>): ProviderProfile {
  return {
    id: text(claims.sub),
    email: text(claims.email),
    emailVerified: verifiedFlag(claims.email_verified),
    name: text(claims.name) || [text(claims.given_name), text(claims.family_name)].filter(Boolean).join(' '),
  };
}
