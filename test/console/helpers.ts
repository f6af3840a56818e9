import assert from 'node:assert/strict';
import { Client } from '@appwrite.io/console';
import type { TestMailbox } from '../support/mailbox.js';
import type { TestServer } from '../support/plinth.js';

export const CONSOLE = 'console';
export const INVITE_URL = 'http://localhost:3000/invite';

/** Signs in to the console by email and password; the whole Set-Cookie line, as the Appwrite CLI keeps it. */
export async function consoleCookie(server: TestServer, email: string, password: string): Promise<string> {
  const response = await server.request('/account/sessions/email', {
    method: 'POST',
    project: CONSOLE,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  assert.equal(response.status, 201, await response.clone().text());
  const cookie = response.headers.getSetCookie().find((line) => line.startsWith('a_session_console='));
  assert.ok(cookie, 'a_session_console is set');
  return cookie;
}

/** The session token a cookie line carries, as X-Appwrite-Session takes it. */
export function sessionOf(cookie: string): string {
  return decodeURIComponent(cookie.split(';')[0]!.slice('a_session_console='.length));
}

/** A console SDK client as the web console makes them: the console project, or a project in admin mode. */
export function consoleClient(server: TestServer, cookie: string, projectId = CONSOLE): Client {
  const client = new Client().setEndpoint(server.endpoint).setProject(projectId).setCookie(cookie.split(';')[0]!);
  return projectId === CONSOLE ? client : client.setMode('admin');
}

/** Accepts the invitation of the `index`-th mail (from 1) without a session; the new console session's cookie line. */
export async function acceptInvitation(server: TestServer, mailbox: TestMailbox, index: number): Promise<string> {
  const mail = (await mailbox.waitFor(index))[index - 1]!;
  const href = /http:\/\/localhost:3000\/invite\?\S+/.exec(mail.text ?? '')?.[0];
  assert.ok(href, mail.text);
  const link = new URL(href);
  const param = (name: string) => link.searchParams.get(name) ?? '';
  const response = await server.request(`/teams/${param('teamId')}/memberships/${param('membershipId')}/status`, {
    method: 'PATCH',
    project: CONSOLE,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId: param('userId'), secret: param('secret') }),
  });
  assert.equal(response.status, 200, await response.clone().text());
  const cookie = response.headers.getSetCookie().find((line) => line.startsWith('a_session_console='));
  assert.ok(cookie, 'accepting signs the invitee in');
  return cookie;
}
