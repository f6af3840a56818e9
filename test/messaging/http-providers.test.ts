import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ID, Messaging, MessageStatus, MessagingProviderType, Users, type Models } from 'node-appwrite';
import { eventually } from '../messages/services.js';
import { TestServer } from '../support/plinth.js';
import { sdkClient } from '../support/sdk.js';
import { HttpStandIn, type CaughtRequest } from './peers.js';

const PROJECT = 'wires';
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const form = (request: CaughtRequest) => Object.fromEntries(new URLSearchParams(request.body));

/** Each SMS and HTTP email provider against a stand-in that checks the wire format and answers as the provider does. */
describe('messaging: SMS and HTTP email providers on the wire', () => {
  let server: TestServer;
  let api: HttpStandIn;
  let messaging: Messaging;
  let users: Users;

  const finished = (messageId: string) =>
    eventually(async () => {
      const message = await messaging.getMessage({ messageId });
      return message.status === MessageStatus.Sent || message.status === MessageStatus.Failed ? message : undefined;
    });

  /** A user with one target of the channel, bound to a provider. */
  async function recipient(providerId: string, type: MessagingProviderType, identifier: string): Promise<string> {
    const userId = ID.unique();
    await users.create({ userId });
    await users.createTarget({ userId, targetId: ID.unique(), providerType: type, identifier, providerId });
    return userId;
  }

  async function send(kind: 'sms' | 'email', userIds: string[]): Promise<Models.Message> {
    const messageId = ID.unique();
    if (kind === 'sms') await messaging.createSMS({ messageId, content: 'Your code is 1234', users: userIds });
    else await messaging.createEmail({ messageId, subject: 'Hello', content: '<p>Hi</p>', html: true, users: userIds });
    return finished(messageId);
  }

  before(async () => {
    api = await HttpStandIn.start();
    const names = ['twilio', 'vonage', 'msg91', 'telesign', 'textmagic', 'sendgrid', 'mailgun', 'resend'];
    server = await TestServer.start({
      env: { PLINTH_MESSAGING_RETRY_DELAY_MS: '10', PLINTH_MESSAGING_BASE_URLS: names.map((name) => `${name}=${api.url}/${name}`).join(',') },
    });
    await server.createProject(PROJECT);
    const key = await server.createKey(PROJECT);
    messaging = new Messaging(sdkClient(server, PROJECT, key));
    users = new Users(sdkClient(server, PROJECT, key));
    await messaging.createTwilioProvider({ providerId: 'twilio', name: 'Twilio', from: '+15550001', accountSid: 'AC123', authToken: 'tw-token', enabled: true });
    await messaging.createVonageProvider({ providerId: 'vonage', name: 'Vonage', from: '+15550002', apiKey: 'vkey', apiSecret: 'vsecret', enabled: true });
    await messaging.createMsg91Provider({ providerId: 'msg91', name: 'MSG91', templateId: 'tpl', senderId: 'SHOP', authKey: 'm-key', enabled: true });
    await messaging.createTelesignProvider({ providerId: 'telesign', name: 'Telesign', from: '+15550003', customerId: 'cust', apiKey: 't-key', enabled: true });
    await messaging.createTextmagicProvider({ providerId: 'textmagic', name: 'TextMagic', from: '+15550004', username: 'tm-user', apiKey: 'tm-key', enabled: true });
    const sender = { fromName: 'Shop', fromEmail: 'shop@example.com', replyToName: 'Help', replyToEmail: 'help@example.com', enabled: true };
    await messaging.createSendgridProvider({ providerId: 'sendgrid', name: 'SendGrid', apiKey: 'sg-key', ...sender });
    await messaging.createMailgunProvider({ providerId: 'mailgun', name: 'Mailgun', apiKey: 'mg-key', domain: 'mg.example.com', isEuRegion: true, ...sender });
    await messaging.createResendProvider({ providerId: 'resend', name: 'Resend', apiKey: 're-key', ...sender });
  });
  after(async () => {
    await server.stop();
    await api.stop();
  });

  test('Twilio: a form post per number with basic auth; a 429 is retried', async () => {
    let calls = 0;
    api.answer = () => (++calls === 1 ? { status: 429, body: { code: 20429, message: 'Too Many Requests' } } : { status: 201, body: { sid: 'SM1' } });
    const done = await send('sms', [await recipient('twilio', MessagingProviderType.Sms, '+14155550001')]);
    assert.equal(done.status, MessageStatus.Sent, JSON.stringify(done.deliveryErrors));
    const [first, second] = api.take();
    assert.equal(second?.path, first?.path);
    assert.equal(first!.method, 'POST');
    assert.equal(first!.path, '/twilio/2010-04-01/Accounts/AC123/Messages.json');
    assert.equal(first!.headers.authorization, basic('AC123', 'tw-token'));
    assert.deepEqual(form(first!), { Body: 'Your code is 1234', From: '+15550001', To: '+14155550001' });
  });

  test('Vonage: errors come in a 200 body; one number failing fails the message, the other is delivered', async () => {
    api.answer = (request) =>
      form(request).to === '14155550003'
        ? { status: 200, body: { messages: [{ status: '4', 'error-text': 'Bad Credentials' }] } }
        : { status: 200, body: { messages: [{ status: '0' }] } };
    const done = await send('sms', [await recipient('vonage', MessagingProviderType.Sms, '+14155550002'), await recipient('vonage', MessagingProviderType.Sms, '+14155550003')]);
    assert.equal(done.status, MessageStatus.Failed);
    assert.equal(done.deliveredTotal, 1);
    assert.deepEqual(done.deliveryErrors, ['Failed sending to target +14155550003 with error: Bad Credentials']);
    const requests = api.take();
    assert.equal(requests.length, 2);
    assert.equal(requests[0]!.path, '/vonage/sms/json');
    assert.deepEqual(form(requests[0]!), { text: 'Your code is 1234', from: '+15550002', to: '14155550002', api_key: 'vkey', api_secret: 'vsecret' });
  });

  test('MSG91, Telesign and TextMagic: one request for many numbers', async () => {
    api.answer = () => ({ status: 200, body: {} });
    const msg91 = await send('sms', [await recipient('msg91', MessagingProviderType.Sms, '+14155550004'), await recipient('msg91', MessagingProviderType.Sms, '+14155550005')]);
    assert.equal(msg91.deliveredTotal, 2);
    const [flow] = api.take();
    assert.equal(flow!.path, '/msg91/api/v5/flow/');
    assert.equal(flow!.headers.authkey, 'm-key');
    assert.deepEqual(JSON.parse(flow!.body), {
      sender: 'SHOP',
      template_id: 'tpl',
      recipients: ['14155550004', '14155550005'].map((mobiles) => ({ mobiles, content: 'Your code is 1234', otp: 'Your code is 1234' })),
    });

    const telesign = await send('sms', [await recipient('telesign', MessagingProviderType.Sms, '+14155550006')]);
    assert.equal(telesign.status, MessageStatus.Sent);
    const [bulk] = api.take();
    assert.equal(bulk!.path, '/telesign/v1/verify/bulk_sms');
    assert.equal(bulk!.headers.authorization, basic('cust', 't-key'));
    assert.equal(form(bulk!).template, 'Your code is 1234');
    assert.match(form(bulk!).recipients!, /^14155550006:[0-9a-f]+$/);

    api.answer = () => ({ status: 400, body: { code: 400, message: 'Invalid phone number' } });
    const textmagic = await send('sms', [await recipient('textmagic', MessagingProviderType.Sms, '+14155550007')]);
    assert.deepEqual(textmagic.deliveryErrors, ['Failed sending to target +14155550007 with error: Invalid phone number']);
    const [tm] = api.take();
    assert.equal(tm!.path, '/textmagic/api/v2/messages');
    assert.equal(tm!.headers['x-tm-username'], 'tm-user');
    assert.equal(tm!.headers['x-tm-key'], 'tm-key');
    assert.deepEqual(form(tm!), { text: 'Your code is 1234', from: '15550004', phones: '14155550007' });
  });

  test('SendGrid: one personalization per recipient; its error message is recorded', async () => {
    api.answer = () => ({ status: 202 });
    const ok = await send('email', [await recipient('sendgrid', MessagingProviderType.Email, 'a@example.com'), await recipient('sendgrid', MessagingProviderType.Email, 'b@example.com')]);
    assert.equal(ok.deliveredTotal, 2);
    const [mail] = api.take();
    assert.equal(mail!.path, '/sendgrid/v3/mail/send');
    assert.equal(mail!.headers.authorization, 'Bearer sg-key');
    assert.deepEqual(JSON.parse(mail!.body), {
      personalizations: ['a@example.com', 'b@example.com'].map((email) => ({ to: [{ email }], subject: 'Hello' })),
      from: { name: 'Shop', email: 'shop@example.com' },
      reply_to: { name: 'Help', email: 'help@example.com' },
      content: [{ type: 'text/html', value: '<p>Hi</p>' }],
    });
    api.answer = () => ({ status: 401, body: { errors: [{ message: 'The provided authorization grant is invalid' }] } });
    const failed = await send('email', [await recipient('sendgrid', MessagingProviderType.Email, 'c@example.com')]);
    assert.deepEqual(failed.deliveryErrors, ['Failed sending to target c@example.com with error: The provided authorization grant is invalid']);
    api.take();
  });

  test('Mailgun: a form post to the domain with basic auth and recipient variables', async () => {
    api.answer = () => ({ status: 200, body: { id: '<1@mg>', message: 'Queued. Thank you.' } });
    const done = await send('email', [await recipient('mailgun', MessagingProviderType.Email, 'd@example.com'), await recipient('mailgun', MessagingProviderType.Email, 'e@example.com')]);
    assert.equal(done.deliveredTotal, 2);
    const [mail] = api.take();
    assert.equal(mail!.path, '/mailgun/v3/mg.example.com/messages');
    assert.equal(mail!.headers.authorization, basic('api', 'mg-key'));
    assert.deepEqual(form(mail!), {
      from: 'Shop <shop@example.com>',
      to: 'd@example.com,e@example.com',
      subject: 'Hello',
      html: '<p>Hi</p>',
      'h:Reply-To': 'Help <help@example.com>',
      'recipient-variables': JSON.stringify({ 'd@example.com': {}, 'e@example.com': {} }),
    });
  });

  test('Resend: a batch of emails; a failed entry fails its recipient only', async () => {
    api.answer = () => ({ status: 200, body: { data: [{ id: '1' }], errors: [{ index: 1, message: 'Invalid `to` field' }] } });
    const done = await send('email', [await recipient('resend', MessagingProviderType.Email, 'f@example.com'), await recipient('resend', MessagingProviderType.Email, 'g@example.com')]);
    assert.equal(done.status, MessageStatus.Failed);
    assert.equal(done.deliveredTotal, 1);
    const [batch] = api.take();
    assert.equal(batch!.path, '/resend/emails/batch');
    assert.equal(batch!.headers.authorization, 'Bearer re-key');
    const emails = JSON.parse(batch!.body) as { to: string[]; from: string; html: string; reply_to: string[] }[];
    assert.deepEqual(emails.map((email) => email.to), [['f@example.com'], ['g@example.com']]);
    assert.equal(emails[0]!.from, 'Shop <shop@example.com>');
    assert.deepEqual(emails[0]!.reply_to, ['help@example.com']);
    const failedTo = emails[1]!.to[0];
    assert.deepEqual(done.deliveryErrors, [`Failed sending to target ${failedTo} with error: Invalid \`to\` field`]);
  });
});
