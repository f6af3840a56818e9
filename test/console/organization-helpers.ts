import assert from 'node:assert/strict';
import { Account, Client, ID, Teams } from '@appwrite.io/console';
import type { TestMailbox } from '../support/mailbox.js';
import { jsonOf, type TestServer } from '../support/plinth.js';

export const CONSOLE = 'console';

/** An administrator signed in to the console, as the console and the CLI are: with the session cookie. */
export interface Administrator {
  id: string;
  email: string;
  cookie: string;
  client: Client;
}

/** Signs an administrator up and in through the account API of the console project. */
export async function signUpAdministrator(server: TestServer, email: string, password = 'console password'): Promise<Administrator> {
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    server.request(path, { method: 'POST', project: CONSOLE, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const created = await jsonOf(post('/account', { userId: 'unique()', email, password, name: email.split('@')[0] }));
  assert.ok(created.$id, JSON.stringify(created));
  const session = await post('/account/sessions/email', { email, password });
  assert.equal(session.status, 201);
  const line = session.headers.getSetCookie().find((cookie) => cookie.startsWith('a_session_console='));
  assert.ok(line, 'a_session_console is set');
  const cookie = line.split(';')[0]!;
  const client = new Client().setEndpoint(server.endpoint).setProject(CONSOLE).setCookie(cookie);
  return { id: created.$id as string, email, cookie, client };
}

/**
 * Creates the first administrator through the one-time setup link the server printed at its first
 * start, as the console's setup page does (the link's token in `X-Plinth-Setup-Token`), then signs in.
 */
export async function administratorFromSetupLink(server: TestServer, email: string, password = 'console password'): Promise<Administrator> {
  const line = server.logs.find((logged) => logged.includes('/console/setup?token='));
  assert.ok(line, 'the first start prints the setup link');
  const link = new URL(/http\S+/.exec(line)![0]);
  assert.equal(link.origin, new URL(server.endpoint).origin, 'the link is on this server');
  const setup = new Client().setEndpoint(server.endpoint).setProject(CONSOLE);
  setup.headers['X-Plinth-Setup-Token'] = link.searchParams.get('token') ?? '';
  const created = await new Account(setup).create({ userId: ID.unique(), email, password, name: email.split('@')[0] });
  const session = await server.request('/account/sessions/email', {
    method: 'POST',
    project: CONSOLE,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  assert.equal(session.status, 201);
  const cookie = session.headers.getSetCookie().find((line) => line.startsWith('a_session_console='))!.split(';')[0]!;
  return { id: created.$id, email, cookie, client: new Client().setEndpoint(server.endpoint).setProject(CONSOLE).setCookie(cookie) };
}

/** A console SDK client acting on a project in admin mode, as the console reaches a project. */
export function adminModeClient(server: TestServer, admin: Administrator, projectId: string): Client {
  return new Client().setEndpoint(server.endpoint).setProject(projectId).setMode('admin').setCookie(admin.cookie);
}

/**
 * Makes `member` a confirmed member of the owner's organization with the given roles: the owner
 * invites them by mail, and they accept with the link's secret, as people do.
 */
export async function joinOrganization(mailbox: TestMailbox, owner: Administrator, teamId: string, member: Administrator, roles: string[]): Promise<void> {
  const before = mailbox.received.length;
  const invited = await new Teams(owner.client).createMembership({ teamId, roles, email: member.email, url: 'http://localhost/join' });
  const mail = (await mailbox.waitFor(before + 1))[before]!;
  const href = /http:\/\/localhost\/join\?\S+/.exec(mail.text ?? '')?.[0];
  assert.ok(href, mail.text);
  const secret = new URL(href).searchParams.get('secret') ?? '';
  await new Teams(member.client).updateMembershipStatus({ teamId, membershipId: invited.$id, userId: member.id, secret });
}
