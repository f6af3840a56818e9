import { Account, AppwriteException, Client, Functions, Projects, Teams, Users, type Models } from '@appwrite.io/console';

/** The API of the server that serves the console: the same origin, so the session cookie just works. */
export const endpoint = `${window.location.origin}/v1`;

export const CONSOLE_PROJECT = 'console';

/** Calls as the signed-in administrator, in the console project. */
export const consoleClient = new Client().setEndpoint(endpoint).setProject(CONSOLE_PROJECT);
export const account = new Account(consoleClient);
export const teams = new Teams(consoleClient);
export const projects = new Projects(consoleClient);

/** Calls on one project in admin mode: the administrator's role in its organization decides what is allowed. */
export function projectClient(projectId: string): Client {
  return new Client().setEndpoint(endpoint).setProject(projectId).setMode('admin');
}

export function projectUsers(projectId: string): Users {
  return new Users(projectClient(projectId));
}

export function projectFunctions(projectId: string): Functions {
  return new Functions(projectClient(projectId));
}

/**
 * A route of this server the published SDK has no method for yet (Appwrite 1.9 moved keys and
 * platforms under `/project`), sent through the SDK's own client so errors read the same.
 */
export function callRoute<T>(client: Client, method: 'get' | 'post' | 'put' | 'patch' | 'delete', path: string, params: Record<string, unknown> = {}): Promise<T> {
  const headers: Record<string, string> = method === 'get' ? {} : { 'content-type': 'application/json' };
  return client.call(method, new URL(endpoint + path), headers, params) as Promise<T>;
}

/** Sets one of the project's auth policies; all but password-strength answer with the project. */
export function updatePolicy<T = Models.Project>(client: Client, policyId: string, body: Record<string, unknown>): Promise<T> {
  return callRoute<T>(client, 'patch', `/project/policies/${policyId}`, body);
}

/** The API's own message, or a generic one for a failure that never reached it. */
export function errorMessage(error: unknown): string {
  if (error instanceof AppwriteException) return error.message || `Request failed (${error.code})`;
  if (error instanceof Error) return error.message;
  return String(error);
}

export function errorType(error: unknown): string | undefined {
  return error instanceof AppwriteException ? error.type : undefined;
}
