import { jwtVerify, SignJWT } from 'jose';
import { deriveKey } from '../../core/derived-keys.js';

/** The file a push image token opens. */
export interface PushImageFile {
  bucketId: string;
  fileId: string;
}

/** A project's own signing key, so a token of one project means nothing in another. */
function signingKey(secretKey: Buffer, projectId: string): Uint8Array {
  return deriveKey(secretKey, 'push-image', projectId);
}

/** A JWT that lets a push service fetch one file until `expiresAt`, whoever may read it otherwise. */
export async function signPushImageToken(secretKey: Buffer, projectId: string, file: PushImageFile, expiresAt: Date): Promise<string> {
  return new SignJWT({ projectId, bucketId: file.bucketId, fileId: file.fileId })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt()
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(signingKey(secretKey, projectId));
}

/** Whether the token is this project's, unexpired, untouched, and names exactly this file. */
export async function pushImageTokenOpens(secretKey: Buffer, projectId: string, token: string, file: PushImageFile): Promise<boolean> {
  try {
    const { payload } = await jwtVerify(token, signingKey(secretKey, projectId), { algorithms: ['HS256'] });
    return payload.projectId === projectId && payload.bucketId === file.bucketId && payload.fileId === file.fileId;
  } catch {
    return false;
  }
}
