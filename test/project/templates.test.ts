import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ParsedMail } from 'mailparser';
import { Account, ID, Project, ProjectEmailTemplateId, ProjectEmailTemplateLocale, Query } from 'node-appwrite';
import { TestMailbox } from '../support/mailbox.js';
import { jsonOf, TestServer } from '../support/plinth.js';
import { rejectsWith, sdkClient } from '../support/sdk.js';

const PROJECT = 'templated';

describe('project email templates', () => {
  let server: TestServer;
  let mailbox: TestMailbox;
  let key: string;
  let project: Project;
  let guest: Account;

  async function nextMail(): Promise<ParsedMail> {
    const seen = mailbox.received.length;
    return (await mailbox.waitFor(seen + 1))[seen]!;
  }

  before(async () => {
    mailbox = await TestMailbox.start();
    server = await TestServer.start({
      env: { PLINTH_SMTP_URL: `smtp://mailer:mail-secret@127.0.0.1:${mailbox.port}`, PLINTH_RATE_LIMITS: 'off' },
    });
    await server.createProject(PROJECT, 'Templated App');
    key = await server.createKey(PROJECT);
    project = new Project(sdkClient(server, PROJECT, key));
    guest = new Account(sdkClient(server, PROJECT));
  });
  after(async () => {
    await server.stop();
    await mailbox.stop();
  });

  test('a template nobody wrote reads as the built-in text', async () => {
    const template = await project.getEmailTemplate({ templateId: ProjectEmailTemplateId.Recovery });
    assert.equal(template.templateId, 'recovery');
    assert.equal(template.locale, 'en');
    assert.equal(template.subject, 'Password Reset for {{project}}');
    assert.match(template.message, /\{\{url\}\}/);
    assert.equal(template.senderEmail, '');
    assert.equal(template.replyToName, '');
    // A locale without built-in text falls back to English.
    const german = await project.getEmailTemplate({ templateId: ProjectEmailTemplateId.Recovery, locale: ProjectEmailTemplateLocale.De });
    assert.equal(german.locale, 'de');
    assert.equal(german.subject, template.subject);
    assert.equal((await project.listEmailTemplates()).total, 0);
  });

  test('stores a template per type and locale, and lists what was written', async () => {
    const written = await project.updateEmailTemplate({
      templateId: ProjectEmailTemplateId.MagicSession,
      locale: ProjectEmailTemplateLocale.En,
      subject: 'Your {{project}} door key',
      message: 'Hello {{user}},\n\nStep in here: {{url}}\n\nThe Templated team',
      senderName: 'Door Keeper',
      senderEmail: 'door@example.com',
    });
    assert.deepEqual(
      { ...written },
      {
        templateId: 'magicSession',
        locale: 'en',
        subject: 'Your {{project}} door key',
        message: 'Hello {{user}},\n\nStep in here: {{url}}\n\nThe Templated team',
        senderName: 'Door Keeper',
        senderEmail: 'door@example.com',
        replyToEmail: '',
        replyToName: '',
      },
    );
    assert.deepEqual({ ...(await project.getEmailTemplate({ templateId: ProjectEmailTemplateId.MagicSession })) }, { ...written });

    // Fields left out keep their value; null puts back the default.
    const renamed = await project.updateEmailTemplate({ templateId: ProjectEmailTemplateId.MagicSession, senderName: 'Gatekeeper' });
    assert.equal(renamed.subject, 'Your {{project}} door key');
    assert.equal(renamed.senderName, 'Gatekeeper');

    await project.updateEmailTemplate({ templateId: ProjectEmailTemplateId.Verification, locale: ProjectEmailTemplateLocale.Fr, subject: 'Confirmez', message: 'Bonjour {{user}}' });
    const list = await project.listEmailTemplates();
    assert.equal(list.total, 2);
    assert.deepEqual(
      list.templates.map((template) => `${template.templateId}:${template.locale}`),
      ['verification:fr', 'magicSession:en'],
    );
    assert.equal((await project.listEmailTemplates({ queries: [Query.limit(1), Query.offset(1)] })).templates[0]?.templateId, 'magicSession');

    const reset = await jsonOf(
      server.request('/project/templates/email', {
        method: 'PATCH',
        project: PROJECT,
        key,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ templateId: 'verification', locale: 'fr', subject: null }),
      }),
    );
    assert.equal(reset.subject, 'Account Verification for {{project}}');
    assert.equal(reset.message, 'Bonjour {{user}}');
  });

  test('refuses unknown types and locales, and callers without the scope', async () => {
    await rejectsWith(project.getEmailTemplate({ templateId: 'welcome' as ProjectEmailTemplateId }), 400, 'general_argument_invalid');
    await rejectsWith(
      project.updateEmailTemplate({ templateId: ProjectEmailTemplateId.Recovery, locale: 'xx-yy' as ProjectEmailTemplateLocale, subject: 'x' }),
      400,
      'general_argument_invalid',
    );
    await rejectsWith(
      project.updateEmailTemplate({ templateId: ProjectEmailTemplateId.Recovery, senderEmail: 'not an address' }),
      400,
      'general_argument_invalid',
    );
    await rejectsWith(new Project(sdkClient(server, PROJECT)).listEmailTemplates(), 401, 'general_unauthorized_scope');
  });

  test('a magic URL mail arrives as the custom template says', async () => {
    await guest.createMagicURLToken({ userId: ID.unique(), email: 'door@example.com', url: 'http://localhost/welcome' });
    const mail = await nextMail();
    assert.equal(mail.subject, 'Your Templated App door key');
    assert.match(mail.text ?? '', /^Hello .*,\n\nStep in here: http:\/\/localhost\/welcome\?\S+secret=/);
    assert.match(mail.text ?? '', /The Templated team/);
    // The template's own sender applies only through the project's own SMTP server.
    assert.notEqual(mail.from?.value[0]?.address, 'door@example.com');
  });

  test('recovery mail uses the template of the caller\'s locale, else the built-in text', async () => {
    await guest.create({ userId: 'lost', email: 'lost@example.com', password: 'forgot it again', name: 'Lost' });
    await project.updateEmailTemplate({
      templateId: ProjectEmailTemplateId.Recovery,
      locale: ProjectEmailTemplateLocale.De,
      subject: 'Passwort für {{project}} zurücksetzen',
      message: '<p>Hallo {{user}},</p><p><a href="{{redirect}}">Neues Passwort wählen</a></p>',
    });

    const german = new Account(sdkClient(server, PROJECT).setLocale('de-CH'));
    await german.createRecovery({ email: 'lost@example.com', url: 'http://localhost/reset' });
    const mail = await nextMail();
    assert.equal(mail.subject, 'Passwort für Templated App zurücksetzen');
    assert.match(typeof mail.html === 'string' ? mail.html : '', /<a href="http:\/\/localhost\/reset\?[^"]*secret=[^"]+">Neues Passwort wählen<\/a>/);
    assert.match(mail.text ?? '', /^Hallo Lost,\n\nNeues Passwort wählen/);

    await guest.createRecovery({ email: 'lost@example.com', url: 'http://localhost/reset' });
    const english = await nextMail();
    assert.equal(english.subject, 'Password Reset for Templated App');
    assert.match(english.text ?? '', /^Reset your Templated App password using the link\.\n\nHi Lost,/);
  });

  test('a template names its own sender and reply-to when the project sends through its own SMTP', async () => {
    await server.createProject('own-smtp', 'Own SMTP');
    const own = new Project(sdkClient(server, 'own-smtp', await server.createKey('own-smtp')));
    await own.updateSMTP({
      host: '127.0.0.1', port: mailbox.port, username: 'mailer', password: 'mail-secret',
      senderEmail: 'noreply@example.com', senderName: 'Own SMTP', enabled: true,
    });
    await own.updateEmailTemplate({
      templateId: ProjectEmailTemplateId.Recovery,
      subject: 'Reset for {{user}}',
      message: 'Go to {{url}}',
      senderName: 'Support Desk',
      senderEmail: 'support@example.com',
      replyToEmail: 'help@example.com',
      replyToName: 'Help',
    });
    const ownGuest = new Account(sdkClient(server, 'own-smtp'));
    await ownGuest.create({ userId: 'owner', email: 'owner@example.com', password: 'own smtp owner', name: 'Owner' });
    await ownGuest.createRecovery({ email: 'owner@example.com', url: 'http://localhost/reset' });
    const mail = await nextMail();
    assert.equal(mail.subject, 'Reset for Owner');
    assert.equal(mail.from?.value[0]?.address, 'support@example.com');
    assert.equal(mail.from?.value[0]?.name, 'Support Desk');
    assert.equal(mail.replyTo?.value[0]?.address, 'help@example.com');
  });
});
