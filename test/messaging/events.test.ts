import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createMessage, updateMessage } from '../../src/services/messaging/messages.js';
import { createProvider, deleteProvider, updateProvider } from '../../src/services/messaging/providers.js';
import { createSubscriber, deleteSubscriber } from '../../src/services/messaging/subscribers.js';
import { createTopic, deleteTopic, updateTopic } from '../../src/services/messaging/topics.js';
import { createUser } from '../../src/services/users/user-records.js';
import { startInProcess, type InProcess } from '../support/in-process.js';
import { serverCaller } from '../../src/core/caller.js';

const PROJECT = 'signals';

/** The messaging logic called in-process, to see the events it publishes and who may read them. */
describe('messaging events', () => {
  let world: InProcess;
  const key = serverCaller();

  before(async () => {
    world = await startInProcess(PROJECT);
    await createUser(world.services.deps, PROJECT, { userId: 'ada', email: 'ada@example.com', name: 'Ada' }, 'generic');
    world.events.length = 0;
  });
  after(() => world.stop());

  test('providers, topics and messages publish to servers only; a subscriber also to its user', async () => {
    const deps = world.services.deps;
    await createProvider(deps, PROJECT, 'sendgrid', { providerId: 'sg', name: 'SG', apiKey: 'secret-key' });
    const created = world.published('providers.sg.create');
    assert.deepEqual(created.readableBy, []);
    assert.ok(created.names.includes('providers.*.create'));
    assert.ok(!JSON.stringify(created.payload).includes('secret-key'));
    await updateProvider(deps, PROJECT, 'sendgrid', 'sg', { name: 'SendGrid' });
    world.published('providers.sg.update');
    await deleteProvider(deps, PROJECT, 'sg');
    world.published('providers.sg.delete');

    await createTopic(deps, PROJECT, { topicId: 'news', name: 'News', subscribe: ['users'] });
    world.published('topics.news.create');
    await updateTopic(deps, PROJECT, 'news', { name: 'Newsletter' });
    world.published('topics.news.update');

    const targetId = (await deps.db.project(PROJECT).selectFrom('targets').select('id').where('user_id', '=', 'ada').executeTakeFirstOrThrow()).id;
    await createSubscriber(deps, PROJECT, key, { topicId: 'news', subscriberId: 'sub1', targetId });
    const subscribed = world.published('topics.news.subscribers.sub1.create');
    assert.deepEqual(subscribed.readableBy, ['user:ada']);
    assert.ok(subscribed.names.includes('topics.*.subscribers.*.create'));
    await deleteSubscriber(deps, PROJECT, key, 'news', 'sub1');
    assert.deepEqual(world.published('topics.news.subscribers.sub1.delete').readableBy, ['user:ada']);

    await createMessage(deps, PROJECT, 'email', { messageId: 'm1', users: ['ada'], draft: true, data: { subject: 'Hi', content: 'x' } });
    assert.deepEqual(world.published('messages.m1.create').readableBy, []);
    await updateMessage(deps, PROJECT, 'email', 'm1', { data: { subject: 'Hello' } });
    world.published('messages.m1.update');
    await deleteTopic(deps, PROJECT, 'news');
    world.published('topics.news.delete');
  });
});
