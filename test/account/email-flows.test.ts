import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ParsedMail } from 'mailparser';
import { Account, Client, ID, Project, ProjectAuthMethodId } from 'node-appwrite';
import { TestMailbox } from '../support/mailbox.js';
import { TestServer } from '../support/plinth.js';
import { rejectsWith, sdkClient } from '../support/sdk.js';

const PROJECT = 'flows';

/** The first link in a mail that leads back to the app. */
function linkIn(mail: ParsedMail, prefix: string): URL {
  const match = new RegExp(`${prefix.replace(/[.?/]/g, '\\$&')}[^\\s"<>]+`).exec(mail.text ?? '');
  assert.ok(match, `no link to ${prefix} in: ${mail.text}`);
  return new URL(match[0].replace(/&amp;/g, '&'));
}

function codeIn(mail: ParsedMail): string {
  const match = /\b(\d{6})\b/.exec(mail.text ?? '');
  assert.ok(match, `no code in: ${mail.text}`);
  return match[1]!;
}

describe('sign-in links, codes, verification and recovery', () => {
  let server: TestServer;
  let mailbox: TestMailbox;
  let serverAccount: Account;
  let guest: Account;
  let project: Project;

  /** Waits for the next mail to arrive. */
  async function nextMail(): Promise<ParsedMail> {
    const seen = mailbox.received.length;
    const received = await mailbox.waitFor(seen + 1);
    return received[seen]!;
  }

  function userAccount(secret: string): Account {
    return new Account(new Client().setEndpoint(server.endpoint).setProject(PROJECT).setSession(secret));
  }

  before(async () => {
    mailbox = await TestMailbox.start();
    server = await TestServer.start({ env: { PLINTH_SMTP_URL: `smtp://mailer:mail-secret@127.0.0.1:${mailbox.port}` } });
    await server.createProject(PROJECT, 'Flows App');
    const key = await server.createKey(PROJECT);
    serverAccount = new Account(sdkClient(server, PROJECT, key));
    guest = new Account(sdkClient(server, PROJECT));
    project = new Project(sdkClient(server, PROJECT, key));
    await project.createWebPlatform({ platformId: 'web', name: 'Web', hostname: 'app.example.com' });
  });
  after(async () => {
    await server.stop();
    await mailbox.stop();
  });

  test('a magic URL signs a new user up and in, and verifies the address', async () => {
    const token = await guest.createMagicURLToken({ userId: ID.unique(), email: 'magic@example.com', url: 'https://app.example.com/welcome' });
    assert.equal(token.secret, '', 'a browser never sees the secret');
    const mail = await nextMail();
    assert.equal(mail.to && 'text' in mail.to ? mail.to.text : '', 'magic@example.com');
    const link = linkIn(mail, 'https://app.example.com/welcome');
    assert.equal(link.searchParams.get('userId'), token.userId);
    assert.equal(link.searchParams.get('project'), PROJECT);

    const session = await serverAccount.createSession({ userId: token.userId, secret: link.searchParams.get('secret')! });
    assert.equal(session.provider, 'magic-url');
    const me = await userAccount(session.secret).get();
    assert.equal(me.email, 'magic@example.com');
    assert.equal(me.emailVerification, true);

    await rejectsWith(serverAccount.createSession({ userId: token.userId, secret: link.searchParams.get('secret')! }), 401, 'user_invalid_token');
  });

  test("a magic URL as Appwrite's own client drives it: the secret cut from the mail, the session as a cookie", async () => {
    const sent = await server.request('/account/tokens/magic-url', {
      method: 'POST',
      project: PROJECT,
      headers: { origin: 'http://localhost', 'content-type': 'application/json' },
      body: JSON.stringify({ userId: ID.unique(), email: 'cut@example.com' }),
    });
    assert.equal(sent.status, 201);
    const token = (await sent.json()) as { userId: string; secret: string; expire: string };
    assert.equal(token.secret, '');
    const mail = await nextMail();
    assert.equal(mail.subject, 'Flows App Login');
    const text = mail.text ?? '';
    assert.ok(text.includes('Sign in to Flows App with your secure link. Expires in 1 hour.'), text);
    assert.ok(!/security phrase/i.test(text), 'no phrase was asked for');
    assert.ok(text.includes(`expire=${encodeURIComponent(token.expire)}`), text);
    // The suite takes the 64 characters after `&secret=`.
    const secret = text.slice(text.indexOf('&secret=') + 8, text.indexOf('&secret=') + 8 + 64);
    assert.match(secret, /^[0-9a-f]{64}$/);
    const signedIn = await server.request('/account/sessions/magic-url', {
      method: 'PUT',
      project: PROJECT,
      headers: { origin: 'http://localhost', 'content-type': 'application/json' },
      body: JSON.stringify({ userId: token.userId, secret }),
    });
    assert.equal(signedIn.status, 201);
    const session = (await signedIn.json()) as { userId: string; secret: string };
    assert.equal(session.userId, token.userId);
    assert.equal(session.secret, '');
    const cookie = signedIn.headers.getSetCookie().at(-1)!.split(';')[0]!;
    const me = await server.request('/account', { project: PROJECT, headers: { origin: 'http://localhost', cookie } });
    assert.equal(me.status, 200);
    assert.equal(((await me.json()) as { emailVerification: boolean }).emailVerification, true);
    const again = await server.request('/account/sessions/magic-url', {
      method: 'PUT',
      project: PROJECT,
      headers: { origin: 'http://localhost', 'content-type': 'application/json' },
      body: JSON.stringify({ userId: token.userId, secret }),
    });
    assert.equal(again.status, 401);
  });

  test('older SDKs finish a magic URL with updateMagicURLSession', async () => {
    const token = await guest.createMagicURLToken({ userId: ID.unique(), email: 'legacy@example.com', url: 'http://localhost:3000/in' });
    const secret = linkIn(await nextMail(), 'http://localhost:3000/in').searchParams.get('secret')!;
    const session = await serverAccount.updateMagicURLSession({ userId: token.userId, secret });
    assert.equal(session.provider, 'magic-url');
  });

  test('links may only lead to localhost or a registered platform', async () => {
    await rejectsWith(
      guest.createMagicURLToken({ userId: ID.unique(), email: 'phish@example.com', url: 'https://evil.example.net/steal' }),
      400,
      'general_argument_invalid',
    );
    await rejectsWith(guest.createRecovery({ email: 'magic@example.com', url: 'https://evil.example.net/reset' }), 400, 'general_argument_invalid');
  });

  test('an email code signs in once; a wrong code is refused', async () => {
    const token = await guest.createEmailToken({ userId: ID.unique(), email: 'otp@example.com', phrase: true });
    assert.match(token.phrase, /^\w+ \w+$/);
    const mail = await nextMail();
    assert.ok(mail.text?.includes(token.phrase), 'the mail shows the security phrase');
    const code = codeIn(mail);
    await rejectsWith(serverAccount.createSession({ userId: token.userId, secret: code === '000000' ? '111111' : '000000' }), 401, 'user_invalid_token');
    const session = await serverAccount.createSession({ userId: token.userId, secret: code });
    assert.equal((await userAccount(session.secret).get()).email, 'otp@example.com');
  });

  test('verifies an email with the mailed link', async () => {
    await guest.create({ userId: 'verify', email: 'verify@example.com', password: 'verify me please' });
    const session = await serverAccount.createEmailPasswordSession({ email: 'verify@example.com', password: 'verify me please' });
    const account = userAccount(session.secret);
    await account.createEmailVerification({ url: 'http://localhost:5173/verified' });
    const link = linkIn(await nextMail(), 'http://localhost:5173/verified');
    await rejectsWith(guest.updateEmailVerification({ userId: 'verify', secret: 'not-the-secret' }), 401, 'user_invalid_token');
    await guest.updateEmailVerification({ userId: 'verify', secret: link.searchParams.get('secret')! });
    assert.equal((await account.get()).emailVerification, true);
    await rejectsWith(account.createEmailVerification({ url: 'http://localhost:5173/verified' }), 409, 'user_email_already_verified');
  });

  test('recovers a password with the mailed link, once', async () => {
    await guest.create({ userId: 'forgetful', email: 'forgetful@example.com', password: 'old password' });
    await guest.createRecovery({ email: 'forgetful@example.com', url: 'https://app.example.com/reset' });
    const secret = linkIn(await nextMail(), 'https://app.example.com/reset').searchParams.get('secret')!;
    await guest.updateRecovery({ userId: 'forgetful', secret, password: 'new password' });
    await rejectsWith(guest.updateRecovery({ userId: 'forgetful', secret, password: 'newer password' }), 401, 'user_invalid_token');
    await rejectsWith(serverAccount.createEmailPasswordSession({ email: 'forgetful@example.com', password: 'old password' }), 401, 'user_invalid_credentials');
    const session = await serverAccount.createEmailPasswordSession({ email: 'forgetful@example.com', password: 'new password' });
    assert.equal(session.provider, 'email');
    await rejectsWith(guest.createRecovery({ email: 'nobody@example.com', url: 'https://app.example.com/reset' }), 404, 'user_not_found');
  });

  test('a mock phone signs in with its fixed code, and nothing is sent', async () => {
    await project.createMockPhone({ number: '+12065550123', otp: '424242' });
    const token = await guest.createPhoneToken({ userId: ID.unique(), phone: '+12065550123' });
    const session = await serverAccount.createSession({ userId: token.userId, secret: '424242' });
    assert.equal(session.provider, 'phone');
    const me = await userAccount(session.secret).get();
    assert.equal(me.phone, '+12065550123');
    assert.equal(me.phoneVerification, true);
  });

  test('a phone code for a real number is captured when no SMS provider is set', async () => {
    const token = await guest.createPhoneToken({ userId: ID.unique(), phone: '+12065550999' });
    assert.equal(token.secret, '');
    let captured: { to: string; text: string }[] = [];
    for (let attempt = 0; attempt < 50 && captured.length === 0; attempt++) {
      captured = await server.cliJson(['sms', 'list', '--project', PROJECT]);
      if (captured.length === 0) await new Promise((done) => setTimeout(done, 100));
    }
    const sms = captured.find((message) => message.to === '+12065550999');
    assert.ok(sms, JSON.stringify(captured));
    const code = /\d{6}/.exec(sms.text)![0];
    const session = await serverAccount.createSession({ userId: token.userId, secret: code });
    assert.equal(session.userId, token.userId);
  });

  test('a login method the project turned off answers user_auth_method_unsupported', async () => {
    await project.updateAuthMethod({ methodId: ProjectAuthMethodId.Magicurl, enabled: false });
    await rejectsWith(guest.createMagicURLToken({ userId: ID.unique(), email: 'off@example.com', url: 'http://localhost/x' }), 501, 'user_auth_method_unsupported');
    await project.updateAuthMethod({ methodId: ProjectAuthMethodId.Magicurl, enabled: true });
    await project.updateAuthMethod({ methodId: ProjectAuthMethodId.Anonymous, enabled: false });
    await rejectsWith(guest.createAnonymousSession(), 501, 'user_auth_method_unsupported');
  });
});
