import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ParsedMail } from 'mailparser';
import { Account, Client, ID, Project, ProjectPolicyId, Query, Users } from 'node-appwrite';
import { TestMailbox } from '../support/mailbox.js';
import { jsonOf, TestServer } from '../support/plinth.js';
import { rejectsWith, sdkClient } from '../support/sdk.js';

/** The project model's `auth*` fields, which node-appwrite 27.1's `Models.Project` type does not declare. */
const auth = (project: unknown): Record<string, unknown> => project as Record<string, unknown>;

/** Each policy gets a project of its own, so one test's setting never leaks into another. */
interface Setup {
  id: string;
  project: Project;
  users: Users;
  /** An API key acting through the Account API, as a server-side app signs users in. */
  serverAccount: Account;
  guest: Account;
}

describe('project policies', () => {
  let server: TestServer;
  let mailbox: TestMailbox;

  async function setUp(id: string): Promise<Setup> {
    await server.createProject(id, `Project ${id}`);
    const key = await server.createKey(id);
    return {
      id,
      project: new Project(sdkClient(server, id, key)),
      users: new Users(sdkClient(server, id, key)),
      serverAccount: new Account(sdkClient(server, id, key)),
      guest: new Account(sdkClient(server, id)),
    };
  }

  function userAccount(projectId: string, secret: string): Account {
    return new Account(new Client().setEndpoint(server.endpoint).setProject(projectId).setSession(secret));
  }

  async function nextMail(): Promise<ParsedMail> {
    const seen = mailbox.received.length;
    return (await mailbox.waitFor(seen + 1))[seen]!;
  }

  async function recoverySecret(setup: Setup, email: string): Promise<string> {
    await setup.guest.createRecovery({ email, url: 'http://localhost/reset' });
    const link = /http:\/\/localhost\/reset\S+/.exec((await nextMail()).text ?? '');
    assert.ok(link, 'the recovery mail carries a link');
    return new URL(link[0]).searchParams.get('secret')!;
  }

  before(async () => {
    mailbox = await TestMailbox.start();
    server = await TestServer.start({
      env: { PLINTH_SMTP_URL: `smtp://mailer:mail-secret@127.0.0.1:${mailbox.port}`, PLINTH_RATE_LIMITS: 'off' },
    });
  });
  after(async () => {
    await server.stop();
    await mailbox.stop();
  });

  test('lists every policy with its default, and reads one by id', async () => {
    const { project } = await setUp('defaults');
    const list = await project.listPolicies();
    assert.equal(list.total, 14);
    const byId = Object.fromEntries(list.policies.map((policy) => [policy.$id, { ...policy }]));
    assert.deepEqual(byId['password-dictionary'], { $id: 'password-dictionary', enabled: false });
    assert.deepEqual(byId['password-history'], { $id: 'password-history', total: 0 });
    assert.deepEqual(byId['session-duration'], { $id: 'session-duration', duration: 31536000 });
    // A new project starts as Appwrite 1.9.6 starts one: no session limit, sessions ended on a password change.
    assert.deepEqual(byId['session-limit'], { $id: 'session-limit', total: 0 });
    assert.deepEqual(byId['user-limit'], { $id: 'user-limit', total: 0 });
    assert.deepEqual(byId['session-invalidation'], { $id: 'session-invalidation', enabled: true });
    assert.deepEqual(byId['membership-privacy'], { $id: 'membership-privacy', userId: true, userEmail: true, userPhone: true, userName: true, userMFA: true });

    assert.deepEqual({ ...(await project.getPolicy({ policyId: ProjectPolicyId.Sessionalert })) }, { $id: 'session-alert', enabled: false });
    const page = await project.listPolicies({ queries: [Query.limit(2), Query.offset(1)] });
    assert.deepEqual(
      page.policies.map((policy) => policy.$id),
      ['password-history', 'password-strength'],
    );
    await rejectsWith(project.listPolicies({ queries: [Query.equal('$id', 'user-limit')] }), 400, 'general_query_invalid');
  });

  test('updates each policy, answering with the project that reports it', async () => {
    const { project } = await setUp('updates');
    assert.equal(auth(await project.updatePasswordDictionaryPolicy({ enabled: true })).authPasswordDictionary, true);
    assert.equal(auth(await project.updatePasswordHistoryPolicy({ total: 5 })).authPasswordHistory, 5);
    assert.equal(auth(await project.updatePasswordPersonalDataPolicy({ enabled: true })).authPersonalDataCheck, true);
    assert.equal(auth(await project.updateSessionAlertPolicy({ enabled: true })).authSessionAlerts, true);
    assert.equal(auth(await project.updateSessionDurationPolicy({ duration: 3600 })).authDuration, 3600);
    assert.equal(auth(await project.updateSessionInvalidationPolicy({ enabled: true })).authInvalidateSessions, true);
    assert.equal(auth(await project.updateSessionLimitPolicy({ total: 3 })).authSessionsLimit, 3);
    assert.equal(auth(await project.updateUserLimitPolicy({ total: 100 })).authLimit, 100);
    const privacy = auth(await project.updateMembershipPrivacyPolicy({ userName: false, userMFA: false }));
    assert.equal(privacy.authMembershipsUserName, false);
    assert.equal(privacy.authMembershipsMfa, false);
    assert.equal(privacy.authMembershipsUserEmail, true, 'a field left out keeps its value');

    const byId = Object.fromEntries((await project.listPolicies()).policies.map((policy) => [policy.$id, { ...policy }]));
    assert.deepEqual(byId['password-history'], { $id: 'password-history', total: 5 });
    assert.deepEqual(byId['membership-privacy'], { $id: 'membership-privacy', userId: true, userEmail: true, userPhone: true, userName: false, userMFA: false });
    assert.deepEqual({ ...(await project.getPolicy({ policyId: ProjectPolicyId.Sessionduration })) }, { $id: 'session-duration', duration: 3600 });

    // A null total turns the limit off.
    const unlimited = await jsonOf(
      server.request('/project/policies/session-limit', {
        method: 'PATCH',
        project: 'updates',
        key: await server.createKey('updates'),
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ total: null }),
      }),
    );
    assert.equal(unlimited.authSessionsLimit, 0);
    assert.equal(auth(await project.get()).authSessionsLimit, 0);
  });

  test('refuses values out of range and unknown policies', async () => {
    const { project } = await setUp('ranges');
    await rejectsWith(project.updateSessionDurationPolicy({ duration: 4 }), 400, 'general_argument_invalid');
    await rejectsWith(project.updateSessionDurationPolicy({ duration: 31536001 }), 400, 'general_argument_invalid');
    await rejectsWith(project.updateSessionLimitPolicy({ total: 0 }), 400, 'general_argument_invalid');
    await rejectsWith(project.updateUserLimitPolicy({ total: 5001 }), 400, 'general_argument_invalid');
    await rejectsWith(project.getPolicy({ policyId: 'no-such-policy' as ProjectPolicyId }), 400, 'general_argument_invalid');
    const guest = new Project(sdkClient(server, 'ranges'));
    await rejectsWith(guest.listPolicies(), 401, 'general_unauthorized_scope');
  });

  test('password-dictionary refuses common passwords wherever a password is set', async () => {
    const setup = await setUp('dictionary');
    const { project, users, guest, serverAccount } = setup;
    // Before the policy, a common password is accepted.
    await guest.create({ userId: 'early', email: 'early@example.com', password: 'password' });
    await project.updatePasswordDictionaryPolicy({ enabled: true });

    await rejectsWith(guest.create({ userId: ID.unique(), email: 'a@example.com', password: 'password' }), 400, 'general_argument_invalid');
    await rejectsWith(guest.create({ userId: ID.unique(), email: 'a@example.com', password: 'Qwertyuiop' }), 400, 'general_argument_invalid');
    await rejectsWith(users.create({ userId: ID.unique(), email: 'b@example.com', password: '12345678' }), 400, 'general_argument_invalid');
    await guest.create({ userId: 'careful', email: 'careful@example.com', password: 'violet lantern 42' });
    await rejectsWith(users.updatePassword({ userId: 'careful', password: 'football' }), 400, 'general_argument_invalid');

    const session = await serverAccount.createEmailPasswordSession({ email: 'careful@example.com', password: 'violet lantern 42' });
    const account = userAccount('dictionary', session.secret);
    await rejectsWith(account.updatePassword({ password: 'iloveyou', oldPassword: 'violet lantern 42' }), 400, 'general_argument_invalid');

    await rejectsWith(
      guest.updateRecovery({ userId: 'careful', secret: await recoverySecret(setup, 'careful@example.com'), password: 'sunshine' }),
      400,
      'general_argument_invalid',
    );
    await guest.updateRecovery({ userId: 'careful', secret: await recoverySecret(setup, 'careful@example.com'), password: 'amber kettle 77' });
    // Passwords set before the policy keep working.
    await serverAccount.createEmailPasswordSession({ email: 'early@example.com', password: 'password' });
  });

  test('password-personal-data refuses a password containing the name, email, phone or ID', async () => {
    const { project, users, guest, serverAccount } = await setUp('personal');
    await project.updatePasswordPersonalDataPolicy({ enabled: true });
    await rejectsWith(guest.create({ userId: ID.unique(), email: 'grace@example.com', password: 'i-am-grace-hopper', name: 'Grace' }), 400, 'password_personal_data');
    await rejectsWith(guest.create({ userId: 'linus42', email: 'x@example.com', password: 'hello linus42 there' }), 400, 'password_personal_data');
    await rejectsWith(users.create({ userId: ID.unique(), phone: '+14155550123', password: 'call 14155550123 now' }), 400, 'password_personal_data');

    await guest.create({ userId: 'ada', email: 'ada@example.com', password: 'analytical engine', name: 'Ada Lovelace' });
    await rejectsWith(users.updatePassword({ userId: 'ada', password: 'ada lovelace rocks' }), 400, 'password_personal_data');
    const session = await serverAccount.createEmailPasswordSession({ email: 'ada@example.com', password: 'analytical engine' });
    await rejectsWith(
      userAccount('personal', session.secret).updatePassword({ password: 'ada@example.com!', oldPassword: 'analytical engine' }),
      400,
      'password_personal_data',
    );
  });

  test('password-history refuses the last N passwords', async () => {
    const { project, users, guest } = await setUp('history');
    await project.updatePasswordHistoryPolicy({ total: 2 });
    await guest.create({ userId: 'hist', email: 'hist@example.com', password: 'first secret one' });
    await users.updatePassword({ userId: 'hist', password: 'second secret two' });
    await rejectsWith(users.updatePassword({ userId: 'hist', password: 'first secret one' }), 400, 'password_recently_used');
    await rejectsWith(users.updatePassword({ userId: 'hist', password: 'second secret two' }), 400, 'password_recently_used');
    await users.updatePassword({ userId: 'hist', password: 'third secret three' });
    await users.updatePassword({ userId: 'hist', password: 'fourth secret four' });
    // Only two are remembered: the first has dropped out.
    await users.updatePassword({ userId: 'hist', password: 'first secret one' });
  });

  test('session-duration sets when new sessions expire', async () => {
    const { project, guest, serverAccount } = await setUp('duration');
    await project.updateSessionDurationPolicy({ duration: 60 });
    await guest.create({ userId: 'dur', email: 'dur@example.com', password: 'long enough pw' });
    const before = Date.now();
    const session = await serverAccount.createEmailPasswordSession({ email: 'dur@example.com', password: 'long enough pw' });
    const lifetime = Date.parse(session.expire) - before;
    assert.ok(lifetime > 55_000 && lifetime < 65_000, `session lasts ${lifetime} ms`);
  });

  test('session-limit removes the oldest session when a new one passes the limit', async () => {
    const { project, users, guest, serverAccount } = await setUp('limit');
    await project.updateSessionLimitPolicy({ total: 2 });
    await guest.create({ userId: 'lim', email: 'lim@example.com', password: 'limited sessions' });
    const signIn = () => serverAccount.createEmailPasswordSession({ email: 'lim@example.com', password: 'limited sessions' });
    const first = await signIn();
    const second = await signIn();
    const third = await signIn();
    const left = (await users.listSessions({ userId: 'lim' })).sessions.map((session) => session.$id).sort();
    assert.deepEqual(left, [second.$id, third.$id].sort());
    await rejectsWith(userAccount('limit', first.secret).get(), 401, 'general_unauthorized_scope');
  });

  test('session-invalidation ends other sessions when the password changes', async () => {
    const setup = await setUp('invalidation');
    const { project, users, guest, serverAccount } = setup;
    await guest.create({ userId: 'inv', email: 'inv@example.com', password: 'original pass 1' });
    const signIn = (password: string) => serverAccount.createEmailPasswordSession({ email: 'inv@example.com', password });
    const sessionIds = async () => (await users.listSessions({ userId: 'inv' })).sessions.map((session) => session.$id);

    // Off: a new password leaves the other sessions alone (a new project starts with it on).
    await project.updateSessionInvalidationPolicy({ enabled: false });
    const kept = await signIn('original pass 1');
    const changer = await signIn('original pass 1');
    await userAccount('invalidation', changer.secret).updatePassword({ password: 'second pass 22', oldPassword: 'original pass 1' });
    assert.ok((await sessionIds()).includes(kept.$id));

    await project.updateSessionInvalidationPolicy({ enabled: true });
    await userAccount('invalidation', changer.secret).updatePassword({ password: 'third pass 333', oldPassword: 'second pass 22' });
    assert.ok(!(await sessionIds()).includes(kept.$id), 'the other session ended');

    // Recovery ends every session.
    const other = await signIn('third pass 333');
    const secret = await recoverySecret(setup, 'inv@example.com');
    await guest.updateRecovery({ userId: 'inv', secret, password: 'fourth pass 4444' });
    assert.ok(!(await sessionIds()).includes(other.$id));
  });

  test('session-alert mails the user about each new session but the first', async () => {
    const setup = await setUp('alerts');
    const { project, guest, serverAccount } = setup;
    await project.updateSessionAlertPolicy({ enabled: true });
    await guest.create({ userId: 'alerted', email: 'alerted@example.com', password: 'watch my sessions', name: 'Alerted' });
    const signIn = () => serverAccount.createEmailPasswordSession({ email: 'alerted@example.com', password: 'watch my sessions' });

    await signIn();
    // Mail is delivered in order: had the first session raised an alert, it would come first.
    await setup.guest.createRecovery({ email: 'alerted@example.com', url: 'http://localhost/reset' });
    assert.match((await nextMail()).subject ?? '', /Password Reset for Project alerts/);

    await signIn();
    const alert = await nextMail();
    assert.equal(alert.subject, 'Security alert: new session on your Project alerts account');
    assert.match(alert.text ?? '', /^New login detected on Project alerts at \d\d:\d\d:\d\d UTC\./);
    assert.match(alert.text ?? '', /Country: Unknown/);
    assert.equal(alert.to && 'value' in alert.to ? alert.to.value[0]?.address : '', 'alerted@example.com');
    assert.match(alert.text ?? '', /Hi Alerted,/);
    assert.match(alert.text ?? '', /127\.0\.0\.1/);

    // Anonymous sessions have nobody to mail; a later mail arrives next.
    await new Account(sdkClient(server, 'alerts')).createAnonymousSession();
    await project.updateSessionAlertPolicy({ enabled: false });
    await signIn();
    await setup.guest.createRecovery({ email: 'alerted@example.com', url: 'http://localhost/reset' });
    assert.match((await nextMail()).subject ?? '', /Password Reset/);
  });

  test('user-limit stops sign-ups once the project is full, but not the Users API', async () => {
    const { project, users, guest } = await setUp('userlimit');
    await guest.create({ userId: 'one', email: 'one@example.com', password: 'first user here' });
    await project.updateUserLimitPolicy({ total: 2 });
    await guest.create({ userId: 'two', email: 'two@example.com', password: 'second user here' });
    await rejectsWith(guest.create({ userId: 'three', email: 'three@example.com', password: 'third user here' }), 400, 'user_count_exceeded');
    await rejectsWith(new Account(sdkClient(server, 'userlimit')).createAnonymousSession(), 400, 'user_count_exceeded');
    await users.create({ userId: 'managed', email: 'managed@example.com' });
    assert.equal((await users.list()).total, 3);
    await project.updateUserLimitPolicy({ total: null as unknown as number });
    await guest.create({ userId: 'three', email: 'three@example.com', password: 'third user here' });
  });
});
