import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Account, AuthenticationFactor, AuthenticatorType, Client, ID } from 'node-appwrite';
import { generate } from 'otplib';
import { TestMailbox } from '../support/mailbox.js';
import { TestServer } from '../support/plinth.js';
import { rejectsWith, sdkClient } from '../support/sdk.js';
import { CONSOLE, consoleCookie, sessionOf } from './helpers.js';

const PASSWORD = 'console password';
const LINK_URL = 'http://localhost:3000/console/link';

describe('an administrator’s own account in the console project', () => {
  let server: TestServer;
  let mailbox: TestMailbox;
  let account: Account;
  let mails = 0;

  async function signIn(email: string, password = PASSWORD): Promise<Account> {
    const cookie = await consoleCookie(server, email, password);
    return new Account(new Client().setEndpoint(server.endpoint).setProject(CONSOLE).setSession(sessionOf(cookie)));
  }

  /** userId and secret of the next mail's link. */
  async function nextLink(): Promise<{ userId: string; secret: string }> {
    mails += 1;
    const mail = (await mailbox.waitFor(mails))[mails - 1]!;
    const href = /http:\/\/localhost:3000\/console\/link\?\S+/.exec(mail.text ?? '')?.[0];
    assert.ok(href, mail.text);
    const url = new URL(href);
    return { userId: url.searchParams.get('userId') ?? '', secret: url.searchParams.get('secret') ?? '' };
  }

  before(async () => {
    mailbox = await TestMailbox.start();
    server = await TestServer.start({
      env: { PLINTH_SMTP_URL: `smtp://mailer:mail-secret@127.0.0.1:${mailbox.port}`, PLINTH_RATE_LIMITS: 'off', PLINTH_CONSOLE_SIGNUP: 'open' },
    });
    await new Account(sdkClient(server, CONSOLE)).create({ userId: ID.unique(), email: 'root@example.com', password: PASSWORD, name: 'Root' });
    account = await signIn('root@example.com');
  });
  after(async () => {
    await server.stop();
    await mailbox.stop();
  });

  test('prefs, sessions and a JWT', async () => {
    await account.updatePrefs({ prefs: { theme: 'dark' } });
    assert.deepEqual({ ...(await account.getPrefs()) }, { theme: 'dark' });
    assert.equal((await account.listSessions()).total, 1);
    const { jwt } = await account.createJWT();
    const byJwt = new Account(new Client().setEndpoint(server.endpoint).setProject(CONSOLE).setJWT(jwt));
    assert.equal((await byJwt.get()).email, 'root@example.com');
  });

  test('email verification by mail', async () => {
    await account.createVerification({ url: LINK_URL });
    const link = await nextLink();
    await account.updateVerification(link);
    assert.equal((await account.get()).emailVerification, true);
  });

  test('password recovery by mail', async () => {
    const guest = new Account(sdkClient(server, CONSOLE));
    await guest.createRecovery({ email: 'root@example.com', url: LINK_URL });
    const link = await nextLink();
    await guest.updateRecovery({ ...link, password: 'a new console password' });
    await assert.rejects(consoleCookie(server, 'root@example.com', PASSWORD));
    account = await signIn('root@example.com', 'a new console password');
  });

  test('MFA with TOTP and recovery codes', async () => {
    const { secret } = await account.createMFAAuthenticator({ type: AuthenticatorType.Totp });
    await account.updateMFAAuthenticator({ type: AuthenticatorType.Totp, otp: await generate({ secret, epoch: Math.floor(Date.now() / 1000) - 30 }) });
    await account.updateMFA({ mfa: true });
    const { recoveryCodes } = await account.createMFARecoveryCodes();

    const second = await signIn('root@example.com', 'a new console password');
    await rejectsWith(second.get(), 401, 'user_more_factors_required');
    const byTotp = await second.createMFAChallenge({ factor: AuthenticationFactor.Totp });
    await second.updateMFAChallenge({ challengeId: byTotp.$id, otp: await generate({ secret }) });
    assert.equal((await second.get()).email, 'root@example.com');

    const third = await signIn('root@example.com', 'a new console password');
    const byCode = await third.createMFAChallenge({ factor: AuthenticationFactor.Recoverycode });
    await third.updateMFAChallenge({ challengeId: byCode.$id, otp: recoveryCodes[0]! });
    assert.equal((await third.get()).email, 'root@example.com');
  });
});
