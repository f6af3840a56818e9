import { jwtVerify, SignJWT } from 'jose';
import { deriveKey } from '../../core/derived-keys.js';

/** A project's own signing key, so a token of one project means nothing in another. */
function signingKey(secretKey: Buffer, projectId: string): Uint8Array {
  return deriveKey(secretKey, 'file-token', projectId);
}

/** Whole seconds since the epoch of a stored datetime, as JWT times are written. */
function epochSeconds(datetime: string): number {
  return Math.floor(new Date(datetime).getTime() / 1000);
}

/**
 * The secret of a file token: a JWT naming the token and its file, issued at the token's
 * creation and, as Appwrite's, expiring with the token when it has an expiry. It is the same
 * every time it is shown until the expiry changes; deleting the token revokes it.
 */
export async function signFileToken(
  secretKey: Buffer,
  projectId: string,
  claims: { tokenId: string; resourceId: string; issuedAt: string; expire: string | null },
): Promise<string> {
  const jwt = new SignJWT({ tokenId: claims.tokenId, resourceId: claims.resourceId, resourceType: 'files' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt(epochSeconds(claims.issuedAt));
  if (claims.expire !== null) jwt.setExpirationTime(epochSeconds(claims.expire));
  return jwt.sign(signingKey(secretKey, projectId));
}

export async function verifyFileToken(secretKey: Buffer, projectId: string, token: string): Promise<{ tokenId: string; resourceId: string } | undefined> {
  try {
    const { payload } = await jwtVerify(token, signingKey(secretKey, projectId), { algorithms: ['HS256'] });
    if (typeof payload.tokenId !== 'string' || typeof payload.resourceId !== 'string' || payload.resourceType !== 'files') return undefined;
    return { tokenId: payload.tokenId, resourceId: payload.resourceId };
  } catch {
    return undefined;
  }
}
