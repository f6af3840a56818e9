import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Account, Client, ID, Project, ProjectPolicyId, Teams, Users } from 'node-appwrite';
import { TestServer } from '../support/plinth.js';
import { rejectsWith, sdkClient } from '../support/sdk.js';

/** The project model's `auth*` fields, which node-appwrite 27.1's `Models.Project` type does not declare. */
const auth = (project: unknown): Record<string, unknown> => project as Record<string, unknown>;

/** A company's own domain: in neither the free nor the disposable list. */
const WORK = 'acme.com';

interface Setup {
  project: Project;
  users: Users;
  teams: Teams;
  serverAccount: Account;
  guest: Account;
  /** Signs a new user up with a work address and returns their Account client. */
  signedIn: (local: string) => Promise<Account>;
}

describe('password-strength and the email policies', () => {
  let server: TestServer;

  async function setUp(id: string): Promise<Setup> {
    await server.createProject(id, `Project ${id}`);
    const key = await server.createKey(id);
    const serverAccount = new Account(sdkClient(server, id, key));
    const guest = new Account(sdkClient(server, id));
    return {
      project: new Project(sdkClient(server, id, key)),
      users: new Users(sdkClient(server, id, key)),
      teams: new Teams(sdkClient(server, id, key)),
      serverAccount,
      guest,
      signedIn: async (local) => {
        const email = `${local}@${WORK}`;
        await guest.create({ userId: ID.unique(), email, password: 'Settled-password-1' });
        const session = await serverAccount.createEmailPasswordSession({ email, password: 'Settled-password-1' });
        return new Account(new Client().setEndpoint(server.endpoint).setProject(id).setSession(session.secret));
      },
    };
  }

  /** Every way an address reaches a user, each expected to fail with `type`. */
  async function assertRefusedEverywhere(setup: Setup, email: string, type: string): Promise<void> {
    const { guest, users, teams } = setup;
    await rejectsWith(guest.create({ userId: ID.unique(), email, password: 'Settled-password-1' }), 400, type);
    await rejectsWith(users.create({ userId: ID.unique(), email }), 400, type);
    await rejectsWith(guest.createMagicURLToken({ userId: ID.unique(), email, url: 'http://localhost/magic' }), 400, type);
    await rejectsWith(guest.createEmailToken({ userId: ID.unique(), email }), 400, type);
    const team = await teams.create({ teamId: ID.unique(), name: 'Crew' });
    await rejectsWith(teams.createMembership({ teamId: team.$id, roles: [], email, url: 'http://localhost/join' }), 400, type);

    const account = await setup.signedIn(`mover${Date.now()}`);
    await rejectsWith(account.updateEmail({ email, password: 'Settled-password-1' }), 400, type);
    const managed = await users.create({ userId: ID.unique(), email: `managed${Date.now()}@${WORK}` });
    await rejectsWith(users.updateEmail({ userId: managed.$id, email }), 400, type);
  }

  before(async () => {
    server = await TestServer.start({ env: { PLINTH_RATE_LIMITS: 'off' } });
  });
  after(() => server.stop());

  test('lists the five policies with their defaults, and updates each', async () => {
    const { project } = await setUp('listing');
    const list = await project.listPolicies();
    assert.equal(list.total, 14);
    const byId = Object.fromEntries(list.policies.map((policy) => [policy.$id, { ...policy }]));
    assert.deepEqual(byId['password-strength'], { $id: 'password-strength', min: 8, uppercase: false, lowercase: false, number: false, symbols: false });
    for (const id of ['deny-aliased-email', 'deny-disposable-email', 'deny-free-email', 'deny-corporate-email']) {
      assert.deepEqual(byId[id], { $id: id, enabled: false });
    }
    assert.deepEqual(
      list.policies.map((policy) => policy.$id).slice(-4),
      ['deny-aliased-email', 'deny-disposable-email', 'deny-free-email', 'deny-corporate-email'],
    );

    // password-strength answers with the policy; fields left out keep their value.
    assert.deepEqual({ ...(await project.updatePasswordStrengthPolicy({ min: 12, symbols: true })) }, {
      $id: 'password-strength', min: 12, uppercase: false, lowercase: false, number: false, symbols: true,
    });
    assert.deepEqual({ ...(await project.updatePasswordStrengthPolicy({ uppercase: true })) }, {
      $id: 'password-strength', min: 12, uppercase: true, lowercase: false, number: false, symbols: true,
    });
    await rejectsWith(project.updatePasswordStrengthPolicy({ min: 7 }), 400, 'general_argument_invalid');
    await rejectsWith(project.updatePasswordStrengthPolicy({ min: 257 }), 400, 'general_argument_invalid');

    // The deny-* four answer with the project; server.json's model reports three of them.
    assert.equal(auth(await project.updateDenyDisposableEmailPolicy({ enabled: true })).authDisposableEmails, true);
    assert.equal(auth(await project.updateDenyFreeEmailPolicy({ enabled: true })).authFreeEmails, true);
    assert.equal(auth(await project.updateDenyAliasedEmailPolicy({ enabled: true })).authCanonicalEmails, true);
    assert.equal((await project.updateDenyCorporateEmailPolicy({ enabled: true })).$id, 'listing');
    for (const policyId of [ProjectPolicyId.Denyaliasedemail, ProjectPolicyId.Denydisposableemail, ProjectPolicyId.Denyfreeemail, ProjectPolicyId.Denycorporateemail]) {
      assert.deepEqual({ ...(await project.getPolicy({ policyId })) }, { $id: policyId, enabled: true });
    }
    assert.equal(auth(await project.updateDenyFreeEmailPolicy({ enabled: false })).authFreeEmails, false);
  });

  test('password-strength refuses short passwords and missing character classes wherever a password is set', async () => {
    const setup = await setUp('strength');
    const { project, guest, users, serverAccount } = setup;
    await guest.create({ userId: 'before', email: `before@${WORK}`, password: 'lowercase only' });
    await project.updatePasswordStrengthPolicy({ min: 12, uppercase: true, lowercase: true, number: true, symbols: true });

    await rejectsWith(guest.create({ userId: ID.unique(), email: `a@${WORK}`, password: 'Sh0rt!pass' }), 400, 'general_argument_invalid');
    await rejectsWith(guest.create({ userId: ID.unique(), email: `a@${WORK}`, password: 'no upper case 1!' }), 400, 'general_argument_invalid');
    await rejectsWith(guest.create({ userId: ID.unique(), email: `a@${WORK}`, password: 'NO LOWER CASE 1!' }), 400, 'general_argument_invalid');
    await rejectsWith(users.create({ userId: ID.unique(), email: `b@${WORK}`, password: 'No digits here!' }), 400, 'general_argument_invalid');
    await rejectsWith(users.create({ userId: ID.unique(), email: `b@${WORK}`, password: 'No symbols here 1' }), 400, 'general_argument_invalid');
    const refused = await guest.create({ userId: ID.unique(), email: `a@${WORK}`, password: 'short' + 'pw' + 'abc' }).catch((error: Error) => error);
    assert.match(String((refused as Error).message), /at least 12 characters, an uppercase letter, a number, a symbol/);

    await guest.create({ userId: 'strong', email: `strong@${WORK}`, password: 'Strong enough 1!' });
    await users.create({ userId: ID.unique(), email: `c@${WORK}`, password: 'Also strong 2?' });
    await rejectsWith(users.updatePassword({ userId: 'strong', password: 'weaker password' }), 400, 'general_argument_invalid');
    const session = await serverAccount.createEmailPasswordSession({ email: `strong@${WORK}`, password: 'Strong enough 1!' });
    const account = new Account(new Client().setEndpoint(server.endpoint).setProject('strength').setSession(session.secret));
    await rejectsWith(account.updatePassword({ password: 'weaker password', oldPassword: 'Strong enough 1!' }), 400, 'general_argument_invalid');
    await account.updatePassword({ password: 'Stronger still 3#', oldPassword: 'Strong enough 1!' });
    // A password set before the policy still signs in.
    await serverAccount.createEmailPasswordSession({ email: `before@${WORK}`, password: 'lowercase only' });

    // Back to the defaults: only the 8-character minimum remains.
    await project.updatePasswordStrengthPolicy({ min: 8, uppercase: false, lowercase: false, number: false, symbols: false });
    await guest.create({ userId: ID.unique(), email: `d@${WORK}`, password: 'plainpass' });
  });

  test('deny-disposable-email refuses throwaway domains, and lets work and free addresses through', async () => {
    const setup = await setUp('disposable');
    const { project, guest } = setup;
    await guest.create({ userId: ID.unique(), email: 'early@mailinator.com', password: 'Settled-password-1' });
    await project.updateDenyDisposableEmailPolicy({ enabled: true });
    await assertRefusedEverywhere(setup, 'someone@mailinator.com', 'user_email_disposable');
    await rejectsWith(guest.create({ userId: ID.unique(), email: 'x@yopmail.com', password: 'Settled-password-1' }), 400, 'user_email_disposable');
    await guest.create({ userId: ID.unique(), email: `worker@${WORK}`, password: 'Settled-password-1' });
    await guest.create({ userId: ID.unique(), email: 'someone@gmail.com', password: 'Settled-password-1' });
    await project.updateDenyDisposableEmailPolicy({ enabled: false });
    await guest.create({ userId: ID.unique(), email: 'later@mailinator.com', password: 'Settled-password-1' });
  });

  test('deny-free-email refuses free providers, and lets work addresses through', async () => {
    const setup = await setUp('free');
    const { project, guest, users } = setup;
    await project.updateDenyFreeEmailPolicy({ enabled: true });
    await assertRefusedEverywhere(setup, 'someone@gmail.com', 'user_email_free');
    for (const email of ['x@outlook.com', 'x@yahoo.com', 'x@hotmail.com']) {
      await rejectsWith(users.create({ userId: ID.unique(), email }), 400, 'user_email_free');
    }
    await guest.create({ userId: ID.unique(), email: `worker@${WORK}`, password: 'Settled-password-1' });
    await project.updateDenyFreeEmailPolicy({ enabled: false });
    await guest.create({ userId: ID.unique(), email: 'someone@gmail.com', password: 'Settled-password-1' });
  });

  test('deny-corporate-email accepts only work addresses: free and disposable ones are refused', async () => {
    const setup = await setUp('corporate');
    const { project, guest, users } = setup;
    await project.updateDenyCorporateEmailPolicy({ enabled: true });
    await assertRefusedEverywhere(setup, 'someone@gmail.com', 'user_email_not_corporate');
    await rejectsWith(users.create({ userId: ID.unique(), email: 'x@mailinator.com' }), 400, 'user_email_not_corporate');
    await guest.create({ userId: ID.unique(), email: `worker@${WORK}`, password: 'Settled-password-1' });
    await project.updateDenyCorporateEmailPolicy({ enabled: false });
    await guest.create({ userId: ID.unique(), email: 'someone@gmail.com', password: 'Settled-password-1' });
  });

  test('deny-aliased-email refuses plus-tags anywhere and dots at Gmail', async () => {
    const setup = await setUp('aliased');
    const { project, guest, users } = setup;
    await project.updateDenyAliasedEmailPolicy({ enabled: true });
    await assertRefusedEverywhere(setup, `jane+news@${WORK}`, 'user_email_not_canonical');
    await rejectsWith(users.create({ userId: ID.unique(), email: 'j.doe@gmail.com' }), 400, 'user_email_not_canonical');
    await rejectsWith(users.create({ userId: ID.unique(), email: 'j.doe@googlemail.com' }), 400, 'user_email_not_canonical');
    await users.create({ userId: ID.unique(), email: 'jdoe@gmail.com' });
    await guest.create({ userId: ID.unique(), email: `j.doe@${WORK}`, password: 'Settled-password-1' });
    await project.updateDenyAliasedEmailPolicy({ enabled: false });
    await guest.create({ userId: ID.unique(), email: `jane+news@${WORK}`, password: 'Settled-password-1' });
  });

  test('with several email policies on, the most specific error wins', async () => {
    const { project, users } = await setUp('combined');
    await project.updateDenyDisposableEmailPolicy({ enabled: true });
    await project.updateDenyFreeEmailPolicy({ enabled: true });
    await project.updateDenyCorporateEmailPolicy({ enabled: true });
    await rejectsWith(users.create({ userId: ID.unique(), email: 'x@mailinator.com' }), 400, 'user_email_disposable');
    await rejectsWith(users.create({ userId: ID.unique(), email: 'x@gmail.com' }), 400, 'user_email_free');
    await users.create({ userId: ID.unique(), email: `x@${WORK}` });
  });
});
