import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Account, ID, Project, ProjectPolicyId, Users } from 'node-appwrite';
import { TestMailbox } from '../support/mailbox.js';
import { TestServer } from '../support/plinth.js';
import { rejectsWith, sdkClient } from '../support/sdk.js';

describe('plinth smtp and policy commands beside a running server', () => {
  let server: TestServer;
  let mailbox: TestMailbox;
  let project: Project;

  /** Runs a command expected to fail, returning its stderr. */
  async function fails(args: string[]): Promise<string> {
    const result = await server.cli(args);
    assert.notEqual(result.code, 0, `plinth ${args.join(' ')} should fail`);
    assert.equal(result.stdout, '');
    return result.stderr;
  }

  before(async () => {
    [server, mailbox] = await Promise.all([TestServer.start({ env: { PLINTH_RATE_LIMITS: 'off' } }), TestMailbox.start()]);
    await server.createProject('settings');
    project = new Project(sdkClient(server, 'settings', await server.createKey('settings')));
  });
  after(async () => {
    await server.stop();
    await mailbox.stop();
  });

  it('sets the session limit, which the API then reports', async () => {
    const text = await server.cli(['policy', 'set', '--project', 'settings', '--policy', 'session-limit', '--total', '3']);
    assert.equal(text.code, 0, text.stderr);
    assert.equal(text.stdout, 'session-limit\ttotal=3\n');
    const listed = (await project.listPolicies()).policies.find((policy) => policy.$id === 'session-limit');
    assert.deepEqual({ ...listed }, { $id: 'session-limit', total: 3 });
    // "off" lifts the limit, as a null total does through the API.
    assert.deepEqual(await server.cliJson(['policy', 'set', '--project', 'settings', '--policy', 'session-limit', '--total', 'off']), { $id: 'session-limit', total: 0 });
  });

  it('sets the user limit, which refuses the next sign-up', async () => {
    const guest = new Account(sdkClient(server, 'settings'));
    await server.cliJson(['policy', 'set', '--project', 'settings', '--policy', 'user-limit', '--total', '1']);
    await guest.create({ userId: 'first', email: 'first@acme.com', password: 'first user here' });
    await rejectsWith(guest.create({ userId: 'second', email: 'second@acme.com', password: 'second user here' }), 400, 'user_count_exceeded');
    await server.cliJson(['policy', 'set', '--project', 'settings', '--policy', 'user-limit', '--total', '0']);
    await guest.create({ userId: 'second', email: 'second@acme.com', password: 'second user here' });
  });

  it('sets password-strength and an email policy, and lists them all', async () => {
    const strength = await server.cliJson(['policy', 'set', '--project', 'settings', '--policy', 'password-strength', '--min', '12', '--uppercase', '--number']);
    assert.deepEqual(strength, { $id: 'password-strength', min: 12, uppercase: true, lowercase: false, number: true, symbols: false });
    assert.deepEqual({ ...(await project.getPolicy({ policyId: ProjectPolicyId.Passwordstrength })) }, strength);
    const users = new Users(sdkClient(server, 'settings', await server.createKey('settings')));
    await rejectsWith(users.create({ userId: ID.unique(), email: 'weak@acme.com', password: 'lowercase only' }), 400, 'general_argument_invalid');

    await server.cliJson(['policy', 'set', '--project', 'settings', '--policy', 'deny-free-email', '--enabled', 'true']);
    await rejectsWith(users.create({ userId: ID.unique(), email: 'someone@gmail.com' }), 400, 'user_email_free');

    // membership-privacy: the details named stay visible, the others are hidden.
    const privacy = await server.cliJson(['policy', 'set', '--project', 'settings', '--policy', 'membership-privacy', '--user-name', '--user-email']);
    assert.deepEqual(privacy, { $id: 'membership-privacy', userId: false, userEmail: true, userPhone: false, userName: true, userMFA: false });

    const list = await server.cliJson(['policy', 'list', '--project', 'settings']);
    assert.equal(list.total, 14);
    assert.deepEqual(list.policies.find((policy: { $id: string }) => policy.$id === 'deny-free-email'), { $id: 'deny-free-email', enabled: true });
    const text = await server.cli(['policy', 'list', '--project', 'settings']);
    assert.match(text.stdout, /^password-strength\tmin=12 uppercase=true lowercase=false number=true symbols=false$/m);
  });

  it('sets the project SMTP server, which then delivers the test mail', async () => {
    const set = await server.cliJson([
      'smtp', 'set', '--project', 'settings', '--host', '127.0.0.1', '--port', String(mailbox.port),
      '--username', 'mailer', '--password', 'mail-secret', '--sender-email', 'noreply@acme.com', '--sender-name', 'Acme',
      '--reply-to-email', 'help@acme.com', '--secure', '',
    ]);
    assert.equal(set.enabled, true);
    assert.equal(set.port, mailbox.port);
    assert.ok(!JSON.stringify(set).includes('mail-secret'), 'the password is never printed');
    assert.equal((await project.get()).smtpSenderName, 'Acme');

    const before = mailbox.received.length;
    await project.createSMTPTest({ emails: ['ops@acme.com'] });
    const [mail] = (await mailbox.waitFor(before + 1)).slice(before);
    assert.equal(mail?.from?.value[0]?.address, 'noreply@acme.com');
    assert.equal(mail?.replyTo?.value[0]?.address, 'help@acme.com');

    const disabled = await server.cli(['smtp', 'set', '--project', 'settings', '--disable']);
    assert.equal(disabled.code, 0, disabled.stderr);
    assert.match(disabled.stdout, /SMTP disabled for settings/);
    assert.equal((await project.get()).smtpEnabled, false);
  });

  it('refuses an SMTP server that rejects the login, and saves nothing', async () => {
    const stderr = await fails([
      'smtp', 'set', '--project', 'settings', '--host', '127.0.0.1', '--port', String(mailbox.port),
      '--username', 'mailer', '--password', 'wrong', '--sender-email', 'noreply@acme.com',
    ]);
    assert.match(stderr, /project_smtp_config_invalid/);
    assert.equal((await project.get()).smtpEnabled, false);
  });

  it('exits non-zero with a clear message on bad input', async () => {
    await server.createProject('bare');
    const cases: [string[], RegExp][] = [
      [['policy', 'set', '--project', 'settings', '--policy', 'no-such'], /--policy must be one of password-dictionary, /],
      [['policy', 'set', '--project', 'settings', '--policy', 'deny-free-email'], /--enabled is required/],
      [['policy', 'set', '--project', 'settings', '--policy', 'deny-free-email', '--enabled', 'yes'], /--enabled takes true or false, got "yes"/],
      [['policy', 'set', '--project', 'settings', '--policy', 'deny-free-email', '--total', '3'], /--total does not apply to deny-free-email; it takes --enabled/],
      [['policy', 'set', '--project', 'settings', '--policy', 'session-limit', '--total', 'many'], /--total takes a whole number, got "many"/],
      [['policy', 'set', '--project', 'settings', '--policy', 'session-limit', '--total', '5001'], /between 1 and 5000 \(general_argument_invalid\)/],
      [['policy', 'set', '--project', 'settings', '--policy', 'password-strength', '--min', '7'], /`min` param: .*between 8 and 256/],
      [['policy', 'set', '--project', 'settings', '--policy', 'session-duration', '--duration', '4'], /between 5 and 31536000/],
      [['policy', 'set', '--project', 'nowhere', '--policy', 'session-alert', '--enabled', 'true'], /project_not_found/],
      [['policy', 'list', '--project', 'nowhere'], /project_not_found/],
      [['policy', 'list'], /--project is required/],
      [['smtp', 'set', '--project', 'settings', '--port', '70000'], /--port must be between 1 and 65535/],
      [['smtp', 'set', '--project', 'settings', '--sender-email', 'not-an-email'], /--sender-email must be an email address/],
      [['smtp', 'set', '--project', 'settings', '--secure', 'starttls'], /--secure takes tls, ssl or ''/],
      // A project with no SMTP settings stored has nothing to enable.
      [['smtp', 'set', '--project', 'bare'], /Param "host" is not optional/],
      [['smtp', 'set', '--project', 'nowhere', '--disable'], /project_not_found/],
    ];
    for (const [args, message] of cases) assert.match(await fails(args), message, args.join(' '));
    // Nothing above changed the stored policies.
    assert.deepEqual({ ...(await project.getPolicy({ policyId: ProjectPolicyId.Sessionduration })) }, { $id: 'session-duration', duration: 31536000 });
  });
});
