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
    await rejectsWith(project.createSMTPTest({ emails: ['ops@example.com'] }), 400, 'general_argument_invalid', 'SMTP must be enabled on the project to send a test email.');
  });

  it('refuses to enable a server that rejects the credentials, and saves nothing', async () => {
    const call = project.updateSMTP({
      host: '127.0.0.1', port: mailbox.port, username: 'mailer', password: 'wrong',
      senderEmail: 'noreply@example.com', secure: undefined, enabled: true,
    });
    await assert.rejects(call, (error: { type?: string; code?: number; message?: string }) => {
      assert.deepEqual([error.code, error.type], [400, 'project_smtp_config_invalid']);
      assert.match(error.message ?? '', /^SMTP Error: Could not authenticate\./);
      return true;
    });
    assert.equal((await project.get()).smtpEnabled, false);
  });

  it('refuses to enable without a host, a port or a sender, naming the first missing', async () => {
    await rejectsWith(project.updateSMTP({ senderEmail: 'noreply@example.com', enabled: true }), 400, 'general_argument_invalid', 'Param "host" is not optional.');
    await rejectsWith(project.updateSMTP({ host: '127.0.0.1', enabled: true }), 400, 'general_argument_invalid', 'Param "port" is not optional.');
    await rejectsWith(project.updateSMTP({ host: '127.0.0.1', port: mailbox.port, enabled: true }), 400, 'general_argument_invalid', 'Param "senderEmail" is not optional.');
    // Switched off, settings are kept as given, untried.
    const off = await project.updateSMTP({ host: '127.0.0.1', port: mailbox.port, username: 'mailer', password: 'wrong', enabled: false });
    assert.deepEqual([off.smtpEnabled, off.smtpHost, off.smtpPort], [false, '127.0.0.1', mailbox.port]);
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
    const tooMany = 'Invalid `emails` param: Value must a valid array no longer than 10 items and Value must be a valid email address';
    await project.createSMTPTest({ emails: [] });
    await rejectsWith(project.createSMTPTest({ emails: ['not-an-email'] }), 400, 'general_argument_invalid', tooMany);
    await rejectsWith(project.createSMTPTest({ emails: Array.from({ length: 11 }, (_, i) => `u${i}@example.com`) }), 400, 'general_argument_invalid', tooMany);
    for (const host of ['smtp.example.com:25', 'smtp://smtp.example.com', '']) {
      await rejectsWith(project.updateSMTP({ host }), 400, 'general_argument_invalid', 'Invalid `host` param: Value must be a valid hostname without path, port and protocol.');
    }
    // Any integer is a port to Appwrite's validator; the server is what refuses a bad one.
    await rejectsWith(project.updateSMTP({ port: 70000 }), 400, 'project_smtp_config_invalid');
    await rejectsWith(project.updateSMTP({ senderEmail: 'nope' }), 400, 'general_argument_invalid');
    await rejectsWith(project.updateSMTP({ secure: 'starttls' as ProjectSMTPSecure }), 400, 'general_argument_invalid', 'Invalid `secure` param: Value must be one of (tls, ssl)');
    assert.equal((await project.get()).smtpPort, mailbox.port);
  });

  it('can be switched off again', async () => {
    const model = await project.updateSMTP({ enabled: false });
    assert.equal(model.smtpEnabled, false);
    await rejectsWith(project.createSMTPTest({ emails: ['ops@example.com'] }), 400, 'general_argument_invalid', 'SMTP must be enabled on the project to send a test email.');
  });

  it('is switched on by a change that leaves the switch alone, once the server takes the settings', async () => {
    assert.equal((await project.updateSMTP({ senderName: 'Back again' })).smtpEnabled, true);
  });

  it('needs the project.write scope', async () => {
    const reader = new Project(sdkClient(server, 'mailer', await server.createKey('mailer', 'project.read')));
    await rejectsWith(reader.updateSMTP({ enabled: false }), 401, 'general_unauthorized_scope');
    await rejectsWith(reader.createSMTPTest({ emails: ['ops@example.com'] }), 401, 'general_unauthorized_scope');
  });
});
