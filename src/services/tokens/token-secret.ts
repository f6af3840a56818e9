import { createHmac } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';

/** A project's own signing key, so a token of one project means nothing in another. */
function signingKey(secretKey: Buffer, projectId: string): Uint8Array {
  return createHmac('sha256', secretKey).update(`file-token:${projectId}`).digest();
}

/**
 * The secret of a file token: a JWT naming the token and its file. It carries no expiry
 * and no issue time, so it is the same every time it is shown; the expiry lives with the
 * token and can change, and deleting the token revokes it.
 */
export async function signFileToken(secretKey: Buffer, projectId: string, claims: { tokenId: string; resourceId: string }): Promise<string> {
  return new SignJWT({ tokenId: claims.tokenId, resourceId: claims.resourceId, resourceType: 'files' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(signingKey(secretKey, projectId));
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
