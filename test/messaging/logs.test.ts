import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client as ConsoleClient, Messaging as ConsoleMessaging } from '@appwrite.io/console';
import { Client as WebClient, Messaging as WebMessaging } from 'appwrite';
import { ID, Messaging, MessagingProviderType, Query, Users } from 'node-appwrite';
import { TestServer } from '../support/plinth.js';
import { rejectsWith, sdkClient } from '../support/sdk.js';

const PROJECT = 'ledger';

const events = (list: { logs: { event: string }[] }) => list.logs.map((log) => log.event);

describe('messaging: provider, topic, subscriber and message logs', () => {
  let server: TestServer;
  let messaging: Messaging;
  let users: Users;
  /** node-appwrite has no log routes; the console SDK reads them. */
  let logs: ConsoleMessaging;

  before(async () => {
    server = await TestServer.start();
    await server.createProject(PROJECT);
    const key = await server.createKey(PROJECT);
    messaging = new Messaging(sdkClient(server, PROJECT, key));
    users = new Users(sdkClient(server, PROJECT, key));
    logs = new ConsoleMessaging(new ConsoleClient().setEndpoint(server.endpoint).setProject(PROJECT).setKey(key));
  });
  after(() => server.stop());

  test('a key\'s changes to a provider are logged newest first, named as Appwrite names a key, paged by limit and offset only', async () => {
    await messaging.createSendgridProvider({ providerId: 'grid', name: 'Grid', apiKey: 'sg', fromEmail: 'shop@example.com' });
    await messaging.updateSendgridProvider({ providerId: 'grid', name: 'Grid 2' });
    const page = await logs.listProviderLogs({ providerId: 'grid' });
    assert.equal(page.total, 2);
    assert.deepEqual(events(page), ['provider.update', 'provider.create']);
    const [latest] = page.logs;
    assert.equal(latest!.userId, '');
    assert.equal(latest!.userName, 'test');
    assert.equal(latest!.userEmail, `app.${PROJECT}@service.127.0.0.1`);
    assert.equal((latest as { userType?: string }).userType, 'keyProject');
    assert.equal(latest!.mode, 'default');
    assert.match(latest!.ip, /127\.0\.0\.1/);
    assert.ok(Date.parse(latest!.time) <= Date.now());
    assert.equal(latest!.countryCode, '--');

    const second = await logs.listProviderLogs({ providerId: 'grid', queries: [Query.limit(1), Query.offset(1)] });
    assert.deepEqual(events(second), ['provider.create']);
    assert.equal(second.total, 2);
    assert.equal((await logs.listProviderLogs({ providerId: 'grid', total: false })).total, 0);
    await rejectsWith(logs.listProviderLogs({ providerId: 'grid', queries: [Query.equal('event', 'provider.create')] }), 400, 'general_query_invalid');
    await rejectsWith(logs.listProviderLogs({ providerId: 'nothere' }), 404, 'provider_not_found');

    await messaging.deleteProvider({ providerId: 'grid' });
    await rejectsWith(logs.listProviderLogs({ providerId: 'grid' }), 404, 'provider_not_found');
  });

  test('topics and messages log create, update and delete; a subscriber logs the user who subscribed', async () => {
    await messaging.createTopic({ topicId: 'news', name: 'News', subscribe: ['users'] });
    await messaging.updateTopic({ topicId: 'news', name: 'Daily news' });
    assert.deepEqual(events(await logs.listTopicLogs({ topicId: 'news' })), ['topic.update', 'topic.create']);
    await rejectsWith(logs.listTopicLogs({ topicId: 'nothere' }), 404, 'topic_not_found');

    const user = await users.create({ userId: ID.unique(), email: 'reader@example.com', password: 'correct horse', name: 'Reader' });
    const target = (await users.listTargets({ userId: user.$id })).targets.find((each) => each.providerType === MessagingProviderType.Email)!;
    const { jwt } = await users.createJWT({ userId: user.$id });
    const browser = new WebMessaging(new WebClient().setEndpoint(server.endpoint).setProject(PROJECT).setJWT(jwt));
    await browser.createSubscriber({ topicId: 'news', subscriberId: 'reader', targetId: target.$id });
    const [subscribed] = (await logs.listSubscriberLogs({ subscriberId: 'reader' })).logs;
    assert.equal(subscribed!.event, 'subscriber.create');
    assert.equal(subscribed!.userId, user.$id);
    assert.equal(subscribed!.userEmail, 'reader@example.com');
    assert.equal(subscribed!.userName, 'Reader');
    assert.equal((subscribed as { userType?: string }).userType, 'user');
    await rejectsWith(logs.listSubscriberLogs({ subscriberId: 'nothere' }), 404, 'subscriber_not_found');
    await browser.deleteSubscriber({ topicId: 'news', subscriberId: 'reader' });
    await rejectsWith(logs.listSubscriberLogs({ subscriberId: 'reader' }), 404, 'subscriber_not_found');

    await messaging.createEmail({ messageId: 'note', subject: 'Hi', content: 'Hello', topics: ['news'], draft: true });
    await messaging.updateEmail({ messageId: 'note', subject: 'Hello there' });
    const messageLogs = await logs.listMessageLogs({ messageId: 'note' });
    assert.deepEqual(events(messageLogs), ['message.update', 'message.create']);
    // A refused change leaves no entry.
    await rejectsWith(messaging.updateEmail({ messageId: 'note', targets: ['nothere'] }), 404, 'user_target_not_found');
    assert.equal((await logs.listMessageLogs({ messageId: 'note' })).total, 2);
    await messaging.delete({ messageId: 'note' });
    await rejectsWith(logs.listMessageLogs({ messageId: 'note' }), 404, 'message_not_found');

    await messaging.deleteTopic({ topicId: 'news' });
    await rejectsWith(logs.listTopicLogs({ topicId: 'news' }), 404, 'topic_not_found');
  });
});
