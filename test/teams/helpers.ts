import { Account, Client, ID, Teams } from 'node-appwrite';
import type { TestServer } from '../support/plinth.js';
import { sdkClient } from '../support/sdk.js';

export interface SignedInUser {
  userId: string;
  email: string;
  client: Client;
  teams: Teams;
}

/** Signs a new user up and in: the account as a guest, the session through a key (which gets its secret). */
export async function signUpUser(server: TestServer, projectId: string, key: string, name: string): Promise<SignedInUser> {
  const email = `${name.toLowerCase()}-${ID.unique()}@example.com`;
  const created = await new Account(sdkClient(server, projectId)).create({ userId: ID.unique(), email, password: 'correct horse', name });
  const session = await new Account(sdkClient(server, projectId, key)).createEmailPasswordSession({ email, password: 'correct horse' });
  const client = new Client().setEndpoint(server.endpoint).setProject(projectId).setSession(session.secret);
  return { userId: created.$id, email, client, teams: new Teams(client) };
}

/** SDK objects have a null prototype; a plain copy compares with deepEqual. */
export function plain<T extends object>(value: T): T {
  return { ...value };
}
