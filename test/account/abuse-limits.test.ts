import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Account, AppwriteException, AuthenticationFactor, AuthenticatorType, Client, ID, Teams, Users } from 'node-appwrite';
import { generate } from 'otplib';
import { TestServer } from '../support/plinth.js';
import { rejectsWith, sdkClient } from '../support/sdk.js';

const PROJECT = 'guesses';
const PASSWORD = 'correct horse battery';
/** Tries an hour each route allows a user (or an invitation) before answering 429. */
const LIMIT = 10;

/**
 * Every route that checks a password or a one-time secret stops a guesser after a few tries,
 * the right answer included, however many addresses the guesses come from.
 */
describe('abuse limits on routes that check a password or a secret', () => {
  let server: TestServer;
  let key: string;
  let users: Users;
  /** Every client the tests make; each call leaves from a new forwarded address. */
  const clients: Client[] = [];
  let address = 0;

  function client(session?: string): Client {
    const made = sdkClient(server, PROJECT);
    if (session) made.setSession(session);
    clients.push(made);
    return made;
  }

  /** Gives every client a new address for its next call. */
  function moveAddress(): void {
    address++;
    for (const each of clients) each.addHeader('X-Forwarded-For', `198.51.${address >> 8}.${address & 255}`);
  }

  async function signUp(name: string): Promise<{ account: Account; userId: string }> {
    const email = `${name}-${ID.unique()}@example.com`;
    const user = await new Account(client()).create({ userId: ID.unique(), email, password: PASSWORD, name });
    const session = await new Account(sdkClient(server, PROJECT, key)).createEmailPasswordSession({ email, password: PASSWORD });
    return { account: new Account(client(session.secret)), userId: user.$id };
  }

  /** Makes `LIMIT` wrong tries, each refused for being wrong, then shows the right answer is refused with 429 too. */
  async function guessThenTryRight(wrong: () => Promise<unknown>, right: () => Promise<unknown>): Promise<void> {
    for (let attempt = 1; attempt <= LIMIT; attempt++) {
      moveAddress();
      await assert.rejects(wrong(), (error: AppwriteException) => {
        assert.ok(error instanceof AppwriteException, String(error));
        assert.ok(error.code === 400 || error.code === 401, `try ${attempt}: ${error.code} ${error.type}`);
        return true;
      });
    }
    moveAddress();
    await rejectsWith(right(), 429, 'general_rate_limit_exceeded');
  }

  before(async () => {
    server = await TestServer.start({ env: { PLINTH_TRUST_PROXY: 'loopback' } });
    await server.createProject(PROJECT);
    key = await server.createKey(PROJECT);
    users = new Users(sdkClient(server, PROJECT, key));
  });
  after(() => server.stop());

  test('PATCH /account/email: the try after the limit fails even with the right password; other users are unaffected', async () => {
    const { account } = await signUp('ada');
    await guessThenTryRight(
      () => account.updateEmail({ email: `ada-${ID.unique()}@example.com`, password: 'wrong guess' }),
      () => account.updateEmail({ email: `ada-${ID.unique()}@example.com`, password: PASSWORD }),
    );
    const other = await signUp('bob');
    const email = `bob-${ID.unique()}@example.com`;
    assert.equal((await other.account.updateEmail({ email, password: PASSWORD })).email, email);
  });

  test('PATCH /account/password counts wrong old passwords per user', async () => {
    const { account } = await signUp('cy');
    await guessThenTryRight(
      () => account.updatePassword({ password: 'a new password', oldPassword: 'wrong guess' }),
      () => account.updatePassword({ password: 'a new password', oldPassword: PASSWORD }),
    );
  });

  test('PATCH /account/phone counts wrong passwords per user', async () => {
    const { account } = await signUp('di');
    await guessThenTryRight(
      () => account.updatePhone({ phone: '+14155550101', password: 'wrong guess' }),
      () => account.updatePhone({ phone: '+14155550101', password: PASSWORD }),
    );
  });

  test('PUT /account/mfa/authenticators/totp counts wrong codes per user', async () => {
    const { account } = await signUp('ed');
    const { secret } = await account.createMFAAuthenticator({ type: AuthenticatorType.Totp });
    await guessThenTryRight(
      () => account.updateMFAAuthenticator({ type: AuthenticatorType.Totp, otp: 'wrong1' }),
      async () => account.updateMFAAuthenticator({ type: AuthenticatorType.Totp, otp: await generate({ secret }) }),
    );
  });

  test('PUT /account/mfa/challenges counts wrong answers per user, across challenges', async () => {
    const { account, userId } = await signUp('hal');
    const { recoveryCodes } = await users.createMFARecoveryCodes({ userId });
    const challenge = () => account.createMFAChallenge({ factor: AuthenticationFactor.Recoverycode });
    const first = await challenge();
    await guessThenTryRight(
      () => account.updateMFAChallenge({ challengeId: first.$id, otp: 'wrong guess' }),
      async () => account.updateMFAChallenge({ challengeId: (await challenge()).$id, otp: recoveryCodes[0]! }),
    );
  });

  test('POST /account/sessions/token counts wrong secrets per user', async () => {
    const { userId } = await signUp('ivy');
    const { secret } = await users.createToken({ userId });
    const guest = new Account(client());
    await guessThenTryRight(
      () => guest.createSession({ userId, secret: 'wrong guess' }),
      () => guest.createSession({ userId, secret }),
    );
  });

  test('PATCH /teams/{teamId}/memberships/{membershipId}/status counts wrong secrets per invitation', async () => {
    const invitee = await signUp('fay');
    const teams = new Teams(sdkClient(server, PROJECT, key));
    const team = await teams.create({ teamId: ID.unique(), name: 'Guessers' });
    const membership = await teams.createMembership({ teamId: team.$id, roles: [], userId: invitee.userId, url: 'http://localhost/join' });
    const guest = new Teams(client());
    const guess = () => guest.updateMembershipStatus({ teamId: team.$id, membershipId: membership.$id, userId: invitee.userId, secret: 'wrong guess' });
    await guessThenTryRight(guess, guess);
    // The count follows the invitation: another one, from the same address, is still open to guesses.
    const other = await signUp('gus');
    const second = await teams.createMembership({ teamId: team.$id, roles: [], userId: other.userId, url: 'http://localhost/join' });
    await rejectsWith(
      guest.updateMembershipStatus({ teamId: team.$id, membershipId: second.$id, userId: other.userId, secret: 'wrong guess' }),
      401,
      'team_invalid_secret',
    );
  });
});
