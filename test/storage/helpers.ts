import { createHash, randomBytes } from 'node:crypto';
import { Account, Client, ID, Storage, Tokens } from 'node-appwrite';
import { TestServer, type StartOptions } from '../support/plinth.js';
import { sdkClient } from '../support/sdk.js';

export const MiB = 1024 * 1024;

/** A server with one project, a key with every scope, and the storage clients using it. */
export async function startStorageServer(
  projectId: string,
  options: StartOptions = {},
): Promise<{ server: TestServer; key: string; storage: Storage; tokens: Tokens }> {
  const server = await TestServer.start(options);
  await server.createProject(projectId);
  const key = await server.createKey(projectId);
  return { server, key, storage: new Storage(sdkClient(server, projectId, key)), tokens: new Tokens(sdkClient(server, projectId, key)) };
}

/** Bytes that do not compress to nothing and differ on every call. */
export function randomContent(size: number): Buffer {
  return randomBytes(size);
}

export function sha256(bytes: Uint8Array | ArrayBuffer): string {
  return createHash('sha256').update(bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : bytes).digest('hex');
}

export function md5(bytes: Uint8Array): string {
  return createHash('md5').update(bytes).digest('hex');
}

/** One multipart upload request as the SDK sends it, for what the SDK cannot send (retries, odd orders, bad ranges). */
export async function uploadRaw(
  server: TestServer,
  init: {
    project: string;
    key?: string;
    session?: string;
    bucketId: string;
    fileId: string;
    bytes: Uint8Array;
    name?: string;
    range?: string;
    uploadId?: string;
    permissions?: string[];
  },
): Promise<Response> {
  const form = new FormData();
  form.append('fileId', init.fileId);
  form.append('file', new Blob([init.bytes]), init.name ?? 'file.bin');
  for (const permission of init.permissions ?? []) form.append('permissions[]', permission);
  const headers: Record<string, string> = {};
  if (init.range) headers['content-range'] = init.range;
  if (init.uploadId) headers['x-appwrite-id'] = init.uploadId;
  if (init.session) headers['x-appwrite-session'] = init.session;
  return server.request(`/storage/buckets/${init.bucketId}/files`, {
    method: 'POST',
    body: form,
    headers,
    project: init.project,
    ...(init.key ? { key: init.key } : {}),
  });
}

export interface StorageUser {
  userId: string;
  /** The session secret, as the cookie and X-Appwrite-Session carry it. */
  session: string;
  storage: Storage;
}

/** Signs a new user up and in; the session is created through a key, which gets its secret. */
export async function signUpStorageUser(server: TestServer, projectId: string, key: string, name: string): Promise<StorageUser> {
  const email = `${name.toLowerCase()}-${ID.unique()}@example.com`;
  const created = await new Account(sdkClient(server, projectId)).create({ userId: ID.unique(), email, password: 'correct horse', name });
  const session = await new Account(sdkClient(server, projectId, key)).createEmailPasswordSession({ email, password: 'correct horse' });
  const client = new Client().setEndpoint(server.endpoint).setProject(projectId).setSession(session.secret);
  return { userId: created.$id, session: session.secret, storage: new Storage(client) };
}
