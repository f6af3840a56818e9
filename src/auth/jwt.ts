import { jwtVerify, SignJWT } from 'jose';
import { deriveKey } from '../core/derived-keys.js';

/** Appwrite's default lifetime for account JWTs, and the longest a server may ask for. */
export const JWT_DEFAULT_SECONDS = 900;
export const JWT_MAX_SECONDS = 3600;

/** Each project signs with its own key derived from the server secret, so a JWT works for one project only. */
function signingKey(secretKey: Buffer, projectId: string): Uint8Array {
  return deriveKey(secretKey, 'jwt', projectId);
}

export async function signUserJwt(
  secretKey: Buffer,
  projectId: string,
  claims: { userId: string; sessionId: string },
  seconds = JWT_DEFAULT_SECONDS,
): Promise<string> {
  return new SignJWT({ userId: claims.userId, sessionId: claims.sessionId })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + seconds)
    .sign(signingKey(secretKey, projectId));
}

/** The claims of a valid, unexpired JWT of this project; undefined otherwise. */
export async function verifyUserJwt(
  secretKey: Buffer,
  projectId: string,
  token: string,
): Promise<{ userId: string; sessionId: string } | undefined> {
  try {
    const { payload } = await jwtVerify(token, signingKey(secretKey, projectId), { algorithms: ['HS256'] });
    if (typeof payload.userId !== 'string' || typeof payload.sessionId !== 'string') return undefined;
    return { userId: payload.userId, sessionId: payload.sessionId };
  } catch {
    return undefined;
  }
}
