import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Account, AuthenticationFactor, AuthenticatorType, Client, ID, Users } from 'node-appwrite';
import { generate } from 'otplib';
import { eventually } from '../messages/services.js';
import { TestMailbox } from '../support/mailbox.js';
import { TestServer } from '../support/plinth.js';
import { rejectsWith, sdkClient } from '../support/sdk.js';

const PROJECT = 'mfa';
const PASSWORD = 'correct horse battery';

/** The code an authenticator app shows `steps` time steps from now (-1: the one just gone). */
function totpCode(secret: string, steps = 0): Promise<string> {
  return generate({ secret, epoch: Math.floor(Date.now() / 1000) + steps * 30 });
}

describe('multi-factor authentication of the account', () => {
  let server: TestServer;
  let mailbox: TestMailbox;
  let serverAccount: Account;
  let users: Users;

  /** A fresh session of the user, as its own Account client. */
  async function signIn(email: string): Promise<Account> {
    const session = await serverAccount.createEmailPasswordSession({ email, password: PASSWORD });
    return new Account(new Client().setEndpoint(server.endpoint).setProject(PROJECT).setSession(session.secret));
  }

  async function signUp(name: string): Promise<{ account: Account; email: string; userId: string }> {
    const email = `${name}@example.com`;
    const user = await new Account(sdkClient(server, PROJECT)).create({ userId: ID.unique(), email, password: PASSWORD, name });
    return { account: await signIn(email), email, userId: user.$id };
  }

  /** Enrols TOTP with the previous step's code, leaving the current and next ones unused. */
  async function enrolTotp(account: Account): Promise<string> {
    const { secret } = await account.createMFAAuthenticator({ type: AuthenticatorType.Totp });
    await account.updateMFAAuthenticator({ type: AuthenticatorType.Totp, otp: await totpCode(secret, -1) });
    return secret;
  }

  before(async () => {
    mailbox = await TestMailbox.start();
    server = await TestServer.start({ env: { PLINTH_SMTP_URL: `smtp://mailer:mail-secret@127.0.0.1:${mailbox.port}` } });
    await server.createProject(PROJECT, 'MFA Shop');
    const key = await server.createKey(PROJECT);
    serverAccount = new Account(sdkClient(server, PROJECT, key));
    users = new Users(sdkClient(server, PROJECT, key));
  });
  after(async () => {
    await server.stop();
    await mailbox.stop();
  });

  test('enrols a TOTP authenticator, then asks a new session for a code before opening the account', async () => {
    const { account, email } = await signUp('ada');
    assert.deepEqual({ ...(await account.listMFAFactors()) }, { totp: false, phone: false, email: false, recoveryCode: false });

    const { secret, uri } = await account.createMFAAuthenticator({ type: AuthenticatorType.Totp });
    assert.match(secret, /^[A-Z2-7]{32}$/);
    const parsed = new URL(uri);
    assert.equal(parsed.protocol, 'otpauth:');
    assert.equal(parsed.host, 'totp');
    assert.equal(decodeURIComponent(parsed.pathname), `/MFA Shop:${email}`);
    assert.equal(parsed.searchParams.get('secret'), secret);
    assert.equal(parsed.searchParams.get('issuer'), 'MFA Shop');

    await rejectsWith(account.updateMFAAuthenticator({ type: AuthenticatorType.Totp, otp: '000000' }), 401, 'user_invalid_token');
    const verified = await account.updateMFAAuthenticator({ type: AuthenticatorType.Totp, otp: await totpCode(secret, -1) });
    assert.equal(verified.mfa, false);
    await rejectsWith(account.createMFAAuthenticator({ type: AuthenticatorType.Totp }), 409, 'user_authenticator_already_verified');

    const enabled = await account.updateMFA({ mfa: true });
    assert.equal(enabled.mfa, true);
    assert.equal((await account.get()).mfa, true, 'the session that turned MFA on stays open');

    const second = await signIn(email);
    await rejectsWith(second.get(), 401, 'user_more_factors_required');
    await rejectsWith(second.updateMFA({ mfa: false }), 401, 'user_more_factors_required');
    assert.equal((await second.listMFAFactors()).totp, true);

    const challenge = await second.createMFAChallenge({ factor: AuthenticationFactor.Totp });
    assert.ok(challenge.$id && challenge.userId && Date.parse(challenge.expire) > Date.now());
    await rejectsWith(second.updateMFAChallenge({ challengeId: challenge.$id, otp: '123456' }), 401, 'user_invalid_token');
    await rejectsWith(second.get(), 401, 'user_more_factors_required');

    const code = await totpCode(secret);
    const session = await second.updateMFAChallenge({ challengeId: challenge.$id, otp: code });
    assert.ok(session.factors.includes('totp'), session.factors.join());
    assert.ok(session.mfaUpdatedAt !== '');
    assert.equal((await second.get()).email, email);

    // A code is good once: the same one does not open another session.
    const third = await signIn(email);
    const replay = await third.createMFAChallenge({ factor: AuthenticationFactor.Totp });
    await rejectsWith(third.updateMFAChallenge({ challengeId: replay.$id, otp: code }), 401, 'user_invalid_token');
    await third.updateMFAChallenge({ challengeId: replay.$id, otp: await totpCode(secret, 1) });
    assert.equal((await third.get()).email, email);
  });

  test('recovery codes are made once, each opens one session, and regenerating replaces them', async () => {
    const { account, email } = await signUp('bob');
    await enrolTotp(account);
    await account.updateMFA({ mfa: true });

    const { recoveryCodes } = await account.createMFARecoveryCodes();
    assert.equal(recoveryCodes.length, 10);
    assert.equal(new Set(recoveryCodes).size, 10);
    await rejectsWith(account.createMFARecoveryCodes(), 409, 'user_recovery_codes_already_exists');
    assert.deepEqual([...(await account.getMFARecoveryCodes()).recoveryCodes], [...recoveryCodes]);

    const second = await signIn(email);
    await rejectsWith(second.getMFARecoveryCodes(), 401, 'user_more_factors_required');
    assert.equal((await second.listMFAFactors()).recoveryCode, true);
    const challenge = await second.createMFAChallenge({ factor: AuthenticationFactor.Recoverycode });
    const session = await second.updateMFAChallenge({ challengeId: challenge.$id, otp: recoveryCodes[0]! });
    assert.ok(session.factors.includes('recoveryCode'), session.factors.join());
    assert.equal((await second.get()).email, email);
    assert.equal((await second.getMFARecoveryCodes()).recoveryCodes.length, 9);

    const third = await signIn(email);
    const reuse = await third.createMFAChallenge({ factor: AuthenticationFactor.Recoverycode });
    await rejectsWith(third.updateMFAChallenge({ challengeId: reuse.$id, otp: recoveryCodes[0]! }), 401, 'user_invalid_token');

    // `second` completed a challenge moments ago, so it may replace the codes.
    const renewed = await second.updateMFARecoveryCodes();
    assert.equal(renewed.recoveryCodes.length, 10);
    assert.ok(!renewed.recoveryCodes.includes(recoveryCodes[1]!));
    await rejectsWith(third.updateMFAChallenge({ challengeId: reuse.$id, otp: recoveryCodes[1]! }), 401, 'user_invalid_token');
    await third.updateMFAChallenge({ challengeId: reuse.$id, otp: renewed.recoveryCodes[0]! });
    assert.equal((await third.get()).email, email);
  });

  test('an email challenge mails a six-digit code that finishes signing in', async () => {
    const { account, email, userId } = await signUp('carol');
    await users.updateEmailVerification({ userId, emailVerification: true });
    await account.updateMFA({ mfa: true });
    assert.equal((await account.get()).mfa, true);

    const second = await signIn(email);
    await rejectsWith(second.get(), 401, 'user_more_factors_required');
    assert.equal((await second.listMFAFactors()).email, true);

    const before = mailbox.received.length;
    const challenge = await second.createMFAChallenge({ factor: AuthenticationFactor.Email });
    const mail = (await mailbox.waitFor(before + 1))[before]!;
    assert.equal(mail.to && !Array.isArray(mail.to) ? mail.to.value[0]?.address : '', email);
    assert.match(mail.subject ?? '', /MFA Shop/);
    const code = /\b(\d{6})\b/.exec(mail.text ?? '')?.[1];
    assert.ok(code, mail.text);

    await rejectsWith(second.updateMFAChallenge({ challengeId: challenge.$id, otp: code === '000000' ? '111111' : '000000' }), 401, 'user_invalid_token');
    const session = await second.updateMFAChallenge({ challengeId: challenge.$id, otp: code });
    assert.ok(session.factors.includes('email'), session.factors.join());
    assert.equal((await second.get()).email, email);
    // The challenge is used up.
    await rejectsWith(second.updateMFAChallenge({ challengeId: challenge.$id, otp: code }), 401, 'user_invalid_token');
  });

  test('a phone challenge texts a six-digit code that finishes signing in', async () => {
    const { account, email, userId } = await signUp('frank');
    await users.updatePhone({ userId, number: '+15550001234' });
    await users.updatePhoneVerification({ userId, phoneVerification: true });
    await account.updateMFA({ mfa: true });

    const second = await signIn(email);
    await rejectsWith(second.get(), 401, 'user_more_factors_required');
    assert.equal((await second.listMFAFactors()).phone, true);
    const challenge = await second.createMFAChallenge({ factor: AuthenticationFactor.Phone });
    // No SMS provider is configured, so the server keeps the text where `plinth sms list` shows it.
    const text = await eventually(async () => {
      const sent = await server.cliJson<{ to: string; text: string }[]>(['sms', 'list', '--project', PROJECT]);
      return sent.find((sms) => sms.to === '+15550001234');
    });
    const code = /\b(\d{6})\b/.exec(text.text)?.[1];
    assert.ok(code, text.text);
    await second.updateMFAChallenge({ challengeId: challenge.$id, otp: code });
    assert.equal((await second.get()).email, email);
  });

  test('a factor the user lacks cannot be challenged', async () => {
    const { account } = await signUp('erin');
    await rejectsWith(account.createMFAChallenge({ factor: AuthenticationFactor.Totp }), 404, 'user_authenticator_not_found');
    await rejectsWith(account.createMFAChallenge({ factor: AuthenticationFactor.Email }), 400, 'user_email_not_verified');
    await rejectsWith(account.createMFAChallenge({ factor: AuthenticationFactor.Phone }), 400, 'user_phone_not_found');
    await rejectsWith(account.createMFAChallenge({ factor: AuthenticationFactor.Recoverycode }), 404, 'user_recovery_codes_not_found');
    await rejectsWith(account.getMFARecoveryCodes(), 404, 'user_recovery_codes_not_found');
  });

  test('deleting a verified authenticator needs a recent challenge', async () => {
    const { account, email } = await signUp('dave');
    const secret = await enrolTotp(account);

    const second = await signIn(email);
    await rejectsWith(second.deleteMFAAuthenticator({ type: AuthenticatorType.Totp }), 401, 'user_challenge_required');
    const challenge = await second.createMFAChallenge({ factor: AuthenticationFactor.Totp });
    await second.updateMFAChallenge({ challengeId: challenge.$id, otp: await totpCode(secret) });
    await second.deleteMFAAuthenticator({ type: AuthenticatorType.Totp });
    await rejectsWith(second.deleteMFAAuthenticator({ type: AuthenticatorType.Totp }), 404, 'user_authenticator_not_found');
    assert.equal((await second.listMFAFactors()).totp, false);

    // An abandoned enrolment can go without a challenge, and a new one starts over.
    const third = await signIn(email);
    const first = await third.createMFAAuthenticator({ type: AuthenticatorType.Totp });
    const again = await third.createMFAAuthenticator({ type: AuthenticatorType.Totp });
    assert.notEqual(first.secret, again.secret);
    await third.deleteMFAAuthenticator({ type: AuthenticatorType.Totp });
  });
});
