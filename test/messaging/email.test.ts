import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ID, Messaging, MessageStatus, Storage, Users } from 'node-appwrite';
import { InputFile } from 'node-appwrite/file';
import { eventually } from '../messages/services.js';
import { TestServer } from '../support/plinth.js';
import { rejectsWith, sdkClient } from '../support/sdk.js';
import { SmtpCatcher } from './peers.js';

const PROJECT = 'mailer';
const inFuture = (ms: number) => new Date(Date.now() + ms).toISOString();

describe('messaging: email through an SMTP provider', () => {
  let server: TestServer;
  let smtp: SmtpCatcher;
  let messaging: Messaging;
  let users: Users;
  let key: string;
  const emailTarget: Record<string, string> = {};

  const finished = (messageId: string) =>
    eventually(async () => {
      const message = await messaging.getMessage({ messageId });
      return message.status === MessageStatus.Sent || message.status === MessageStatus.Failed ? message : undefined;
    });

  before(async () => {
    smtp = await SmtpCatcher.start();
    server = await TestServer.start({ env: { PLINTH_MESSAGING_RETRY_DELAY_MS: '10' } });
    await server.createProject(PROJECT);
    key = await server.createKey(PROJECT);
    messaging = new Messaging(sdkClient(server, PROJECT, key));
    users = new Users(sdkClient(server, PROJECT, key));
    await messaging.createSMTPProvider({
      providerId: 'mail',
      name: 'Mail',
      host: '127.0.0.1',
      port: smtp.port,
      username: 'mailer',
      password: 'mail-secret',
      fromName: 'Shop',
      fromEmail: 'shop@example.com',
      replyToEmail: 'help@example.com',
      mailer: 'Plinth Test',
      enabled: true,
    });
    for (const name of ['ada', 'bob', 'cy', 'dee']) {
      const user = await users.create({ userId: name, email: `${name}@example.com`, phone: `+1415555010${Object.keys(emailTarget).length}`, name });
      emailTarget[name] = user.targets.find((target) => target.providerType === 'email')!.$id;
    }
  });
  after(async () => {
    await server.stop();
    await smtp.stop();
  });

  test('refuses a message with no recipients, a non-email target, a past schedule', async () => {
    await rejectsWith(messaging.createEmail({ messageId: ID.unique(), subject: 'Hi', content: 'x' }), 400, 'message_missing_target');
    const phone = (await users.listTargets({ userId: 'ada' })).targets.find((target) => target.providerType === 'sms')!;
    await rejectsWith(messaging.createEmail({ messageId: ID.unique(), subject: 'Hi', content: 'x', targets: [phone.$id] }), 400, 'message_target_not_email');
    await rejectsWith(messaging.createEmail({ messageId: ID.unique(), subject: 'Hi', content: 'x', users: ['ada'], cc: [phone.$id] }), 400, 'message_target_not_email');
    await rejectsWith(
      messaging.createEmail({ messageId: ID.unique(), subject: 'Hi', content: 'x', users: ['ada'], scheduledAt: new Date(Date.now() - 60_000).toISOString() }),
      400,
      'general_argument_invalid',
    );
    await rejectsWith(messaging.createSMS({ messageId: ID.unique(), content: 'x', targets: [emailTarget.ada!] }), 400, 'message_target_not_sms');
    await rejectsWith(messaging.getMessage({ messageId: 'nope' }), 404, 'message_not_found');
  });

  test('a draft waits; sending it puts every recipient in Bcc, with HTML, text, cc, bcc and attachments from an encrypted bucket', async () => {
    const storage = new Storage(sdkClient(server, PROJECT, key));
    await storage.createBucket({ bucketId: 'files', name: 'Files', encryption: true });
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(3000, 7)]);
    await storage.createFile({ bucketId: 'files', fileId: 'invoice', file: InputFile.fromBuffer(pdf, 'invoice.pdf') });

    const draft = await messaging.createEmail({
      messageId: 'welcome',
      subject: 'Welcome',
      content: '<style>p{color:red}</style><p>Hello <b>there</b></p>',
      html: true,
      users: ['ada', 'bob'],
      cc: [emailTarget.cy!],
      bcc: [emailTarget.dee!],
      attachments: ['files:invoice'],
      draft: true,
    });
    assert.equal(draft.status, MessageStatus.Draft);
    const edited = await messaging.updateEmail({ messageId: 'welcome', subject: 'Welcome aboard' });
    assert.equal(edited.status, MessageStatus.Draft);
    assert.equal(smtp.caught.length, 0);

    const sending = await messaging.updateEmail({ messageId: 'welcome', draft: false });
    assert.equal(sending.status, MessageStatus.Processing);
    const done = await finished('welcome');
    assert.equal(done.status, MessageStatus.Sent, JSON.stringify(done.deliveryErrors));
    assert.equal(done.deliveredTotal, 2);
    assert.deepEqual(done.deliveryErrors, []);
    assert.ok(done.deliveredAt);

    const [caught] = await smtp.waitFor(1);
    assert.deepEqual([...caught!.rcptTo].sort(), ['ada@example.com', 'bob@example.com', 'cy@example.com', 'dee@example.com']);
    const mail = caught!.mail;
    assert.equal(mail.to, undefined);
    assert.equal(mail.subject, 'Welcome aboard');
    assert.equal(mail.from?.value[0]?.address, 'shop@example.com');
    assert.equal(mail.replyTo?.value[0]?.address, 'help@example.com');
    assert.equal(mail.headers.get('x-mailer'), 'Plinth Test');
    assert.match(String(mail.html), /<b>there<\/b>/);
    assert.equal(mail.text?.trim(), 'Hello there');
    assert.equal(mail.attachments.length, 1);
    assert.equal(mail.attachments[0]!.filename, 'invoice.pdf');
    assert.ok(mail.attachments[0]!.content.equals(pdf));

    await rejectsWith(messaging.updateEmail({ messageId: 'welcome', subject: 'Too late' }), 400, 'message_already_sent');
    const targets = await messaging.listTargets({ messageId: 'welcome' });
    assert.equal(targets.total, 0);
  });

  test('a topic reaches its subscribers once each, however they are named', async () => {
    await messaging.createTopic({ topicId: 'news', name: 'News' });
    await messaging.createSubscriber({ topicId: 'news', subscriberId: ID.unique(), targetId: emailTarget.ada! });
    await messaging.createSubscriber({ topicId: 'news', subscriberId: ID.unique(), targetId: emailTarget.cy! });
    const before = smtp.caught.length;
    await messaging.createEmail({ messageId: 'digest', subject: 'Digest', content: 'plain text', topics: ['news'], users: ['ada'], targets: [emailTarget.cy!] });
    const done = await finished('digest');
    assert.equal(done.deliveredTotal, 2);
    const [caught] = (await smtp.waitFor(before + 1)).slice(before);
    assert.deepEqual([...caught!.rcptTo].sort(), ['ada@example.com', 'cy@example.com']);
    assert.equal(caught!.mail.text?.trim(), 'plain text');
    assert.equal(caught!.mail.html, false);
    const targets = await messaging.listTargets({ messageId: 'digest' });
    assert.deepEqual(targets.targets.map((target) => target.identifier), ['cy@example.com']);
  });

  test('a throttled send is retried; a refused recipient fails the message with its error', async () => {
    smtp.busyAnswers = 2;
    const before = smtp.caught.length;
    await messaging.createEmail({ messageId: 'retried', subject: 'Again', content: 'x', users: ['bob'] });
    const retried = await finished('retried');
    assert.equal(retried.status, MessageStatus.Sent, JSON.stringify(retried.deliveryErrors));
    assert.equal(smtp.busyAnswers, 0);
    assert.equal((await smtp.waitFor(before + 1)).length, before + 1);

    smtp.refuse.add('dee@example.com');
    await messaging.createEmail({ messageId: 'partial', subject: 'Some', content: 'x', users: ['ada', 'dee'] });
    const partial = await finished('partial');
    assert.equal(partial.status, MessageStatus.Failed);
    assert.equal(partial.deliveredTotal, 1);
    assert.equal(partial.deliveryErrors?.length, 1);
    assert.match(partial.deliveryErrors![0]!, /^Failed sending to target dee@example\.com with error: .*550/);
    smtp.refuse.clear();
  });

  test('a message scheduled ahead is sent once at its time, also across a restart; a moved schedule keeps only the new time', async () => {
    const scheduled = await messaging.createEmail({ messageId: 'later', subject: 'Later', content: 'x', users: ['cy'], scheduledAt: inFuture(2000) });
    assert.equal(scheduled.status, MessageStatus.Scheduled);
    assert.ok(scheduled.scheduledAt);
    await rejectsWith(messaging.updateEmail({ messageId: 'later', draft: false, scheduledAt: new Date(Date.now() - 1000).toISOString() }), 400, 'general_argument_invalid');

    const moved = await messaging.createEmail({ messageId: 'moved', subject: 'Moved', content: 'x', users: ['dee'], scheduledAt: inFuture(1500) });
    await messaging.updateEmail({ messageId: moved.$id, scheduledAt: inFuture(2500) });

    await server.restart();
    messaging = new Messaging(sdkClient(server, PROJECT, key));
    const before = smtp.caught.length;
    const done = await finished('later');
    assert.equal(done.status, MessageStatus.Sent);
    const movedDone = await finished('moved');
    assert.equal(movedDone.status, MessageStatus.Sent);
    const mails = (await smtp.waitFor(before + 2)).slice(before);
    assert.deepEqual(mails.map((m) => m.mail.subject).sort(), ['Later', 'Moved']);
    assert.ok(Date.parse(movedDone.deliveredAt!) >= Date.parse(movedDone.scheduledAt!));
    assert.equal(smtp.caught.length, before + 2);
    await rejectsWith(messaging.updateEmail({ messageId: 'later', subject: 'x' }), 400, 'message_already_sent');
  });

  test('a scheduled message can go back to draft and be deleted unsent', async () => {
    await messaging.createEmail({ messageId: 'paused', subject: 'Paused', content: 'x', users: ['ada'], scheduledAt: inFuture(60_000) });
    const paused = await messaging.updateEmail({ messageId: 'paused', draft: true });
    assert.equal(paused.status, MessageStatus.Draft);
    await messaging.delete({ messageId: 'paused' });
    assert.equal(smtp.caught.filter((m) => m.mail.subject === 'Paused').length, 0);
    await rejectsWith(messaging.getMessage({ messageId: 'paused' }), 404, 'message_not_found');
    const list = await messaging.listMessages({ search: 'digest' });
    assert.deepEqual(list.messages.map((m) => m.$id), ['digest']);
  });

  test('with no enabled provider the message fails with Appwrite\'s error', async () => {
    await messaging.updateSMTPProvider({ providerId: 'mail', enabled: false });
    await messaging.createEmail({ messageId: 'nowhere', subject: 'x', content: 'x', users: ['ada'] });
    const failed = await finished('nowhere');
    assert.equal(failed.status, MessageStatus.Failed);
    assert.deepEqual(failed.deliveryErrors, ['No enabled provider found.']);
    await messaging.updateSMTPProvider({ providerId: 'mail', enabled: true });
  });
});
