import { EncryptJWT, jwtDecrypt } from 'jose';
import { deriveKey } from '../../../core/derived-keys.js';

/**
 * The OAuth2 `state` parameter carries everything the callback needs, so no node keeps
 * anything between the two requests. It is encrypted and authenticated with a key derived
 * from the server secret (a JWE, `dir` + A256GCM): nobody can forge or alter it, and the
 * PKCE verifier inside it stays secret from whoever sees the URL.
 */

export interface OAuth2State {
  projectId: string;
  provider: string;
  success: string;
  failure: string;
  /** `session`: the callback signs the browser in; `token`: it hands the app a token to trade. */
  mode: 'session' | 'token';
  codeVerifier: string;
  /** The redirect URI sent to the provider, which the code exchange must repeat exactly. */
  redirectUri: string;
}

/** Long enough to sign in at the provider, short enough that an old link is useless. */
const STATE_SECONDS = 15 * 60;

function stateKey(secretKey: Buffer): Uint8Array {
  return deriveKey(secretKey, 'oauth2-state');
}

export async function sealState(secretKey: Buffer, state: OAuth2State): Promise<string> {
  return new EncryptJWT({ ...state })
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + STATE_SECONDS)
    .encrypt(stateKey(secretKey));
}

/** The state, or undefined when it was altered, made with another key, or expired. */
export async function openState(secretKey: Buffer, sealed: string): Promise<OAuth2State | undefined> {
  try {
    const { payload } = await jwtDecrypt(sealed, stateKey(secretKey), { keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A256GCM'] });
    const fields = ['projectId', 'provider', 'success', 'failure', 'codeVerifier', 'redirectUri'] as const;
    if (fields.some((field) => typeof payload[field] !== 'string')) return undefined;
    if (payload.mode !== 'session' && payload.mode !== 'token') return undefined;
    return {
      projectId: payload.projectId as string,
      provider: payload.provider as string,
      success: payload.success as string,
      failure: payload.failure as string,
      mode: payload.mode,
      codeVerifier: payload.codeVerifier as string,
      redirectUri: payload.redirectUri as string,
    };
  } catch {
    return undefined;
  }
}
