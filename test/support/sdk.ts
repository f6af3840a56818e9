import assert from 'node:assert/strict';
import { Client } from 'node-appwrite';
import type { TestServer } from './plinth.js';

/** An official SDK client for a project, signed in with a key when one is given. */
export function sdkClient(server: TestServer, projectId: string, key?: string): Client {
  const client = new Client().setEndpoint(server.endpoint).setProject(projectId);
  if (key) client.setKey(key);
  return client;
}

/** Asserts that an SDK call (node-appwrite's or the console SDK's) fails with Appwrite's status and error type. */
export async function rejectsWith(call: Promise<unknown>, code: number, type: string, message?: string): Promise<void> {
  await assert.rejects(call, (error: { name?: string; code?: number; type?: string; message?: string }) => {
    assert.equal(error.name, 'AppwriteException', String(error));
    assert.equal(error.code, code, error.message);
    assert.equal(error.type, type, error.message);
    if (message !== undefined) assert.equal(error.message, message);
    return true;
  });
}
