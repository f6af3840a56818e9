import { Account, Client, Databases, ID, TablesDB } from 'node-appwrite';
import { TestServer } from '../support/plinth.js';
import { sdkClient } from '../support/sdk.js';

export interface DatabaseUser {
  userId: string;
  client: Client;
  databases: Databases;
  tables: TablesDB;
}

/** Signs a new user up and in: the account as a guest, the session through a key (which gets its secret). */
export async function signUpUser(server: TestServer, projectId: string, key: string, name: string): Promise<DatabaseUser> {
  const email = `${name.toLowerCase()}-${ID.unique()}@example.com`;
  const created = await new Account(sdkClient(server, projectId)).create({ userId: ID.unique(), email, password: 'correct horse', name });
  const session = await new Account(sdkClient(server, projectId, key)).createEmailPasswordSession({ email, password: 'correct horse' });
  const client = new Client().setEndpoint(server.endpoint).setProject(projectId).setSession(session.secret);
  return { userId: created.$id, client, databases: new Databases(client), tables: new TablesDB(client) };
}

/** How long a schema job may take before a test gives up on it: generous, as a loaded machine is slow. */
const SCHEMA_WAIT_MS = 30_000;

/**
 * Waits until every column of the table (and every index) has left `processing`, polling
 * through the SDK; returns the statuses.
 */
export async function waitForSchema(tables: TablesDB, databaseId: string, tableId: string): Promise<Record<string, string>> {
  for (const deadline = Date.now() + SCHEMA_WAIT_MS; Date.now() < deadline; ) {
    const table = await tables.getTable({ databaseId, tableId });
    const items = [...(table.columns as { key: string; status: string }[]), ...(table.indexes as { key: string; status: string }[])];
    if (items.every((item) => item.status !== 'processing' && item.status !== 'deleting')) {
      return Object.fromEntries(items.map((item) => [item.key, item.status]));
    }
    // Yield to the server between polls; the job usually finishes within a few round trips.
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`schema of ${tableId} still processing`);
}

/** SDK objects have a null prototype; a plain copy compares with deepEqual. */
export function plain<T extends object>(value: T): T {
  return { ...value };
}

/** A server with one project, an API key with every scope, and both database clients using the key. */
export async function startDatabaseServer(projectId: string): Promise<{ server: TestServer; key: string; tables: TablesDB; databases: Databases }> {
  const server = await TestServer.start();
  await server.createProject(projectId);
  const key = await server.createKey(projectId);
  return { server, key, tables: new TablesDB(sdkClient(server, projectId, key)), databases: new Databases(sdkClient(server, projectId, key)) };
}
