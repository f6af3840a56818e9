import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Account as WebAccount, Client as WebClient, Messaging as WebMessaging } from 'appwrite';
import { Account, ID, Messaging, Query, Users } from 'node-appwrite';
import type { Services } from '../../src/app/services.js';
import type { TestServer as Server } from '../support/plinth.js';
import { jsonOf, TestServer } from '../support/plinth.js';
import { rejectsWith, sdkClient } from '../support/sdk.js';
import { servicesBeside } from '../messages/services.js';

const PROJECT = 'courier';

/** A user signed up and in, driving the web SDK as an app in their browser would (here with the session's secret). */
async function signIn(server: Server, key: string, email: string): Promise<{ userId: string; client: WebClient }> {
  const created = await new Account(sdkClient(server, PROJECT)).create({ userId: ID.unique(), email, password: 'correct horse', name: email.split('@')[0] });
  const session = await new Account(sdkClient(server, PROJECT, key)).createEmailPasswordSession({ email, password: 'correct horse' });
  return { userId: created.$id, client: new WebClient().setEndpoint(server.endpoint).setProject(PROJECT).setSession(session.secret) };
}

/** A field of a provider's credentials or options (typed as plain objects by the SDK). */
const field = (values: object | undefined, name: string) => (values as Record<string, unknown> | undefined)?.[name];

/** As rejectsWith, for the web SDK's own exception class. */
async function webRejectsWith(call: Promise<unknown>, code: number, type: string): Promise<void> {
  await assert.rejects(call, (error: { code?: number; type?: string; message?: string }) => {
    assert.equal(error.code, code, error.message);
    assert.equal(error.type, type, error.message);
    return true;
  });
}

describe('messaging: providers, topics and subscribers', () => {
  let server: TestServer;
  let key: string;
  let messaging: Messaging;
  let beside: Services;

  before(async () => {
    server = await TestServer.start();
    await server.createProject(PROJECT);
    key = await server.createKey(PROJECT);
    messaging = new Messaging(sdkClient(server, PROJECT, key));
    beside = servicesBeside(server);
  });
  after(async () => {
    await beside.close();
    await server.stop();
  });

  test('every provider is created enabled when complete, its secrets masked and encrypted at rest', async () => {
    const sender = { fromName: 'Shop', fromEmail: 'shop@example.com' };
    const created = [
      await messaging.createSMTPProvider({ providerId: 'smtp', name: 'SMTP', host: 'mail.example.com', port: 2525, username: 'u', password: 'smtp-pass', ...sender, enabled: true }),
      await messaging.createMailgunProvider({ providerId: 'mailgun', name: 'Mailgun', apiKey: 'mg-key', domain: 'mg.example.com', isEuRegion: false, ...sender, enabled: true }),
      await messaging.createSendgridProvider({ providerId: 'sendgrid', name: 'SendGrid', apiKey: 'sg-key', ...sender, enabled: true }),
      await messaging.createResendProvider({ providerId: 'resend', name: 'Resend', apiKey: 're-key', ...sender, enabled: true }),
      await messaging.createSesProvider({ providerId: 'ses', name: 'SES', accessKey: 'AKIA', secretKey: 'ses-secret', region: 'eu-west-1', ...sender, enabled: true }),
      await messaging.createTwilioProvider({ providerId: 'twilio', name: 'Twilio', from: '+15550000', accountSid: 'AC1', authToken: 'tw-token', enabled: true }),
      await messaging.createVonageProvider({ providerId: 'vonage', name: 'Vonage', from: '+15550001', apiKey: 'vk', apiSecret: 'vs', enabled: true }),
      await messaging.createMsg91Provider({ providerId: 'msg91', name: 'MSG91', templateId: 't', senderId: 's', authKey: 'mk', enabled: true }),
      await messaging.createTelesignProvider({ providerId: 'telesign', name: 'Telesign', from: '+15550002', customerId: 'c', apiKey: 'tk', enabled: true }),
      await messaging.createTextmagicProvider({ providerId: 'textmagic', name: 'TextMagic', from: '+15550003', username: 'tm', apiKey: 'tmk', enabled: true }),
      await messaging.createFCMProvider({ providerId: 'fcm', name: 'FCM', serviceAccountJSON: { project_id: 'p' }, enabled: true }),
      await messaging.createAPNSProvider({ providerId: 'apns', name: 'APNs', authKey: 'p8', authKeyId: 'K', teamId: 'T', bundleId: 'app.b', sandbox: true, enabled: true }),
    ];
    assert.deepEqual(
      created.map((p) => [p.$id, p.type, p.enabled]),
      [
        ['smtp', 'email', true],
        ['mailgun', 'email', true],
        ['sendgrid', 'email', true],
        ['resend', 'email', true],
        ['ses', 'email', true],
        ['twilio', 'sms', true],
        ['vonage', 'sms', true],
        ['msg91', 'sms', true],
        ['telesign', 'sms', true],
        ['textmagic', 'sms', true],
        ['fcm', 'push', true],
        ['apns', 'push', true],
      ],
    );
    const smtp = created[0]!;
    assert.deepEqual({ ...smtp.credentials }, { host: 'mail.example.com', port: 2525, username: 'u', password: '********' });
    assert.equal(field(smtp.options, 'fromEmail'), 'shop@example.com');
    assert.equal(field(created[5]!.credentials, 'accountSid'), 'AC1');
    assert.equal(field(created[5]!.credentials, 'authToken'), '********');
    assert.equal(field(created[5]!.options, 'from'), '+15550000');
    assert.equal(field(created[11]!.options, 'sandbox'), true);

    const stored = await beside.deps.db.project(PROJECT).selectFrom('messaging_providers').selectAll().execute();
    for (const row of stored) {
      for (const secret of ['smtp-pass', 'mg-key', 'sg-key', 'ses-secret', 'tw-token', 'tmk']) assert.ok(!row.credentials.includes(secret));
    }
  });

  test('a provider missing something it needs is created disabled, and cannot be enabled until complete', async () => {
    const partial = await messaging.createSendgridProvider({ providerId: 'sg2', name: 'Half', apiKey: 'k', enabled: true });
    assert.equal(partial.enabled, false);
    await rejectsWith(messaging.updateSendgridProvider({ providerId: 'sg2', enabled: true }), 400, 'provider_missing_credentials');
    const fixed = await messaging.updateSendgridProvider({ providerId: 'sg2', fromEmail: 'a@example.com', enabled: true });
    assert.equal(fixed.enabled, true);
    assert.equal(field(fixed.credentials, 'apiKey'), '********');
    const renamed = await messaging.updateSendgridProvider({ providerId: 'sg2', name: 'Whole' });
    assert.equal(renamed.name, 'Whole');
    assert.equal(renamed.enabled, true);
    await rejectsWith(messaging.updateTwilioProvider({ providerId: 'sg2', name: 'x' }), 400, 'provider_incorrect_type');
    await rejectsWith(messaging.createSendgridProvider({ providerId: 'sg2', name: 'again' }), 409, 'provider_already_exists');
    await rejectsWith(messaging.getProvider({ providerId: 'nope' }), 404, 'provider_not_found');
    await messaging.deleteProvider({ providerId: 'sg2' });
    await rejectsWith(messaging.deleteProvider({ providerId: 'sg2' }), 404, 'provider_not_found');
  });

  test('lists providers with queries, search and totals', async () => {
    const sms = await messaging.listProviders({ queries: [Query.equal('type', 'sms'), Query.orderAsc('name')] });
    assert.equal(sms.total, 5);
    assert.deepEqual(sms.providers.map((p) => p.name), ['MSG91', 'Telesign', 'TextMagic', 'Twilio', 'Vonage']);
    const found = await messaging.listProviders({ search: 'mailgun' });
    assert.deepEqual(found.providers.map((p) => p.$id), ['mailgun']);
    const page = await messaging.listProviders({ queries: [Query.limit(2), Query.equal('enabled', true)] });
    assert.equal(page.providers.length, 2);
    assert.equal(page.total, 12);
    await rejectsWith(messaging.listProviders({ queries: [Query.equal('credentials', 'x')] }), 400, 'general_query_invalid');
    const logs = await jsonOf(server.request('/messaging/providers/smtp/logs', { project: PROJECT, key }));
    assert.equal(logs.total, 1);
    assert.equal(logs.logs[0].event, 'provider.create');
  });

  test('topics count subscribers per channel; users subscribe only their own targets, where the topic lets them', async () => {
    const news = await messaging.createTopic({ topicId: 'news', name: 'News', subscribe: ['users'] });
    assert.deepEqual([news.emailTotal, news.smsTotal, news.pushTotal, news.subscribe], [0, 0, 0, ['users']]);
    await messaging.createTopic({ topicId: 'staff', name: 'Staff only' });
    await rejectsWith(messaging.createTopic({ topicId: 'news', name: 'Again' }), 409, 'topic_already_exists');

    const ada = await signIn(server, key, 'ada@example.com');
    const bob = await signIn(server, key, 'bob@example.com');
    const users = new Users(sdkClient(server, PROJECT, key));
    const adaEmail = (await users.listTargets({ userId: ada.userId })).targets.find((t) => t.providerType === 'email')!;
    const bobEmail = (await users.listTargets({ userId: bob.userId })).targets.find((t) => t.providerType === 'email')!;
    const adaPush = await new WebAccount(ada.client).createPushTarget({ targetId: 'ada-phone', identifier: 'device-token-ada' });

    const asAda = new WebMessaging(ada.client);
    const subscribed = await asAda.createSubscriber({ topicId: 'news', subscriberId: ID.unique(), targetId: adaEmail.$id });
    assert.equal(subscribed.userId, ada.userId);
    assert.equal(subscribed.userName, 'ada');
    assert.equal(subscribed.providerType, 'email');
    assert.equal(subscribed.target.identifier, 'ada@example.com');
    await asAda.createSubscriber({ topicId: 'news', subscriberId: 'ada-push', targetId: adaPush.$id });
    await webRejectsWith(asAda.createSubscriber({ topicId: 'news', subscriberId: ID.unique(), targetId: bobEmail.$id }), 404, 'user_target_not_found');
    await webRejectsWith(asAda.createSubscriber({ topicId: 'staff', subscriberId: ID.unique(), targetId: adaEmail.$id }), 401, 'user_unauthorized');
    await webRejectsWith(asAda.createSubscriber({ topicId: 'news', subscriberId: ID.unique(), targetId: adaEmail.$id }), 409, 'subscriber_already_exists');
    // A key subscribes anyone, to any topic.
    const bobSub = await messaging.createSubscriber({ topicId: 'staff', subscriberId: 'bob-staff', targetId: bobEmail.$id });
    await webRejectsWith(asAda.deleteSubscriber({ topicId: 'staff', subscriberId: bobSub.$id }), 404, 'subscriber_not_found');

    const counted = await messaging.getTopic({ topicId: 'news' });
    assert.deepEqual([counted.emailTotal, counted.smsTotal, counted.pushTotal], [1, 0, 1]);
    const listed = await messaging.listSubscribers({ topicId: 'news', queries: [Query.equal('providerType', 'push')] });
    assert.deepEqual(listed.subscribers.map((s) => s.$id), ['ada-push']);
    const topics = await messaging.listTopics({ search: 'staff' });
    assert.deepEqual(topics.topics.map((t) => [t.$id, t.emailTotal]), [['staff', 1]]);

    await asAda.deleteSubscriber({ topicId: 'news', subscriberId: 'ada-push' });
    assert.equal((await messaging.getTopic({ topicId: 'news' })).pushTotal, 0);
    // Deleting a target takes its subscriptions with it.
    await new WebAccount(ada.client).deletePushTarget({ targetId: 'ada-phone' });
    const renamed = await messaging.updateTopic({ topicId: 'news', name: 'Newsletter', subscribe: ['any'] });
    assert.deepEqual([renamed.name, renamed.subscribe], ['Newsletter', ['any']]);
    await messaging.deleteTopic({ topicId: 'staff' });
    await rejectsWith(messaging.getSubscriber({ topicId: 'staff', subscriberId: 'bob-staff' }), 404, 'topic_not_found');
  });

  test('a key without messaging scopes is refused; a guest cannot subscribe', async () => {
    const narrow = await server.createKey(PROJECT, 'users.read');
    await rejectsWith(new Messaging(sdkClient(server, PROJECT, narrow)).listProviders(), 401, 'general_unauthorized_scope');
    await rejectsWith(new Messaging(sdkClient(server, PROJECT)).createSubscriber({ topicId: 'news', subscriberId: ID.unique(), targetId: 'x' }), 401, 'general_unauthorized_scope');
    const bad = await jsonOf(server.request('/messaging/providers/twilio', { method: 'POST', project: PROJECT, key, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ providerId: 'x', name: 'x', enabled: 'yes' }) }));
    assert.equal(bad.type, 'general_argument_invalid');
  });
});
