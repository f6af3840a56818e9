import { Client } from 'node-appwrite';
import type { TestServer } from './plinth.js';

/** An official SDK client for a project, signed in with a key when one is given. */
export function sdkClient(server: TestServer, projectId: string, key?: string): Client {
  const client = new Client().setEndpoint(server.endpoint).setProject(projectId);
  if (key) client.setKey(key);
  return client;
}
