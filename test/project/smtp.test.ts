import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Project, ProjectSMTPSecure } from 'node-appwrite';
import { openDatabase } from '../../src/data/open-database.js';
import { TestMailbox } from '../support/mailbox.js';
import { TestServer } from '../support/plinth.js';
import { rejectsWith, sdkClient } from '../support/sdk.js';

describe('project SMTP through node-appwrite', () => {
  let server: TestServer;
  let mailbox: TestMailbox;
  let project: Project;

  before(async () => {
    [server, mailbox] = await Promise.all([TestServer.start(), TestMailbox.start()]);
    await server.createProject('mailer');
    project = new Project(sdkClient(server, 'mailer', await server.createKey('mailer', 'project.read,project.write')));
  });
  after(async () => {
    await server.stop();
    await mailbox.stop();
  });

  it('starts with custom SMTP off, and refuses a test mail then', async () => {
    const model = await project.get();
    assert.equal(model.smtpEnabled, false);
    await rejectsWith(project.createSMTPTest({ emails: ['ops@example.com'] }), 400, 'project_smtp_config_invalid');
  });

  it('refuses to enable a server that rejects the credentials, and saves nothing', async () => {
    const call = project.updateSMTP({
      host: '127.0.0.1', port: mailbox.port, username: 'mailer', password: 'wrong',
      senderEmail: 'noreply@example.com', secure: undefined, enabled: true,
    });
    await rejectsWith(call, 400, 'project_smtp_config_invalid');
    assert.equal((await project.get()).smtpEnabled, false);
  });

  it('refuses to enable without a host', async () => {
    await rejectsWith(project.updateSMTP({ senderEmail: 'noreply@example.com', enabled: true }), 400, 'project_smtp_config_invalid');
  });

  it('saves working settings, never returns the password, and keeps it encrypted', async () => {
    const model = await project.updateSMTP({
      host: '127.0.0.1', port: mailbox.port, username: 'mailer', password: 'mail-secret',
      senderEmail: 'noreply@example.com', senderName: 'Mailer app', replyToEmail: 'help@example.com', replyToName: 'Help', enabled: true,
    });
    assert.equal(model.smtpEnabled, true);
    assert.equal(model.smtpHost, '127.0.0.1');
    assert.equal(model.smtpPort, mailbox.port);
    assert.equal(model.smtpUsername, 'mailer');
    assert.equal(model.smtpPassword, '');
    assert.equal(model.smtpSenderName, 'Mailer app');

    const db = openDatabase({ url: server.env.PLINTH_DB, dataDir: server.dataDir });
    try {
      const rows = await db.platform.selectFrom('project_settings').selectAll().where('project_id', '=', 'mailer').execute();
      assert.ok(rows.some((row) => row.name === 'smtp'));
      assert.ok(!JSON.stringify(rows).includes('mail-secret'));
    } finally {
      await db.close();
    }
  });

  it('sends a real test mail to every address, from the configured sender', async () => {
    const before = mailbox.received.length;
    await project.createSMTPTest({ emails: ['ops@example.com', 'dev@example.com'] });
    const mails = (await mailbox.waitFor(before + 2)).slice(before);
    assert.deepEqual(mails.map((mail) => mail.to && !Array.isArray(mail.to) ? mail.to.text : '').sort(), ['dev@example.com', 'ops@example.com']);
    for (const mail of mails) {
      assert.equal(mail.from?.value[0]?.address, 'noreply@example.com');
      assert.equal(mail.from?.value[0]?.name, 'Mailer app');
      assert.equal(mail.replyTo?.value[0]?.address, 'help@example.com');
      assert.match(mail.subject ?? '', /SMTP/);
    }
  });

  it('keeps the stored password when other fields change', async () => {
    const model = await project.updateSMTP({ senderName: 'Renamed' });
    assert.equal(model.smtpSenderName, 'Renamed');
    const before = mailbox.received.length;
    await project.createSMTPTest({ emails: ['ops@example.com'] });
    const [mail] = (await mailbox.waitFor(before + 1)).slice(before);
    assert.equal(mail?.from?.value[0]?.name, 'Renamed');
  });

  it('validates the test addresses and the settings', async () => {
    await rejectsWith(project.createSMTPTest({ emails: [] }), 400, 'general_argument_invalid');
    await rejectsWith(project.createSMTPTest({ emails: ['not-an-email'] }), 400, 'general_argument_invalid');
    await rejectsWith(project.createSMTPTest({ emails: Array.from({ length: 11 }, (_, i) => `u${i}@example.com`) }), 400, 'general_argument_invalid');
    await rejectsWith(project.updateSMTP({ port: 70000 }), 400, 'general_argument_invalid');
    await rejectsWith(project.updateSMTP({ senderEmail: 'nope' }), 400, 'general_argument_invalid');
    await rejectsWith(project.updateSMTP({ secure: 'starttls' as ProjectSMTPSecure }), 400, 'general_argument_invalid');
  });

  it('can be switched off again', async () => {
    const model = await project.updateSMTP({ enabled: false });
    assert.equal(model.smtpEnabled, false);
    await rejectsWith(project.createSMTPTest({ emails: ['ops@example.com'] }), 400, 'project_smtp_config_invalid');
  });

  it('needs the project.write scope', async () => {
    const reader = new Project(sdkClient(server, 'mailer', await server.createKey('mailer', 'project.read')));
    await rejectsWith(reader.updateSMTP({ enabled: false }), 401, 'general_unauthorized_scope');
    await rejectsWith(reader.createSMTPTest({ emails: ['ops@example.com'] }), 401, 'general_unauthorized_scope');
  });
});
