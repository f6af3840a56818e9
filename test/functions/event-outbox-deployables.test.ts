import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { serverCaller } from '../../src/core/caller.js';
import { findDeployment, insertDeployment, updateDeploymentRow } from '../../src/data/project/functions.js';
import { cancelDeployment, newDeploymentRow } from '../../src/services/functions/deployments.js';
import { createFunction, deleteFunction, requireFunction } from '../../src/services/functions/functions.js';
import { createSubscriber } from '../../src/services/messaging/subscribers.js';
import { createTopic, deleteTopic } from '../../src/services/messaging/topics.js';
import { upsertPresence } from '../../src/services/presences/index.js';
import { createSite, updateSite } from '../../src/services/sites/sites.js';
import { createUser } from '../../src/services/users/user-records.js';
import { startInProcess, type InProcess } from '../support/in-process.js';
import { clearOutbox, fullestName, outboxNames as entryNames } from '../support/outbox-entries.js';

const PROJECT = 'outboxdeployables';

/**
 * Functions, sites, messaging and presences write the outbox entries of their events in the
 * change's transaction: a committed change leaves exactly its entries, one refused inside the
 * transaction leaves none and publishes nothing.
 */
describe('outbox entries of functions, sites, messaging and presences', () => {
  let app: InProcess;

  before(async () => {
    app = await startInProcess(PROJECT);
  });
  after(() => app.stop());
  beforeEach(() => clearOutbox(app, PROJECT));

  const outboxNames = () => entryNames(app, PROJECT);
  const publishedNames = () => app.events.map((event) => fullestName(event));

  async function expectEntries(names: string[]): Promise<void> {
    assert.deepEqual(publishedNames(), names);
    assert.deepEqual(await outboxNames(), names);
  }

  test('a function created twice leaves one create entry; its delete leaves its own', async () => {
    const { deps } = app.services;
    await createFunction(deps, PROJECT, 'resize', { name: 'Resize', runtime: 'node-20.0' });
    await expectEntries(['functions.resize.create']);
    // The insert hits the taken id inside the transaction (on PostgreSQL it aborts it).
    await assert.rejects(createFunction(deps, PROJECT, 'resize', { name: 'Again', runtime: 'node-20.0' }), { type: 'function_already_exists' });
    await expectEntries(['functions.resize.create']);

    await deleteFunction(deps, PROJECT, 'resize');
    await expectEntries(['functions.resize.create', 'functions.resize.delete']);
  });

  test('a canceled deployment leaves its update entry; a cancel that finds the build done rolls back', async () => {
    const { deps } = app.services;
    await createFunction(deps, PROJECT, 'thumbs', { name: 'Thumbs', runtime: 'node-20.0' });
    const fn = await requireFunction(deps, PROJECT, 'thumbs');
    const store = deps.db.project(PROJECT);
    await insertDeployment(store, newDeploymentRow('first', fn, { size: 1, activate: false }));
    await insertDeployment(store, newDeploymentRow('second', fn, { size: 1, activate: false }));
    await updateDeploymentRow(store, 'thumbs', 'second', { status: 'ready' });
    await store.deleteFrom('event_outbox').execute();
    app.events.length = 0;

    await cancelDeployment(deps, PROJECT, 'thumbs', 'first');
    await expectEntries(['functions.thumbs.deployments.first.update']);
    // The guarded update changes nothing inside the transaction, which then throws.
    await assert.rejects(cancelDeployment(deps, PROJECT, 'thumbs', 'second'), { type: 'build_already_completed' });
    await expectEntries(['functions.thumbs.deployments.first.update']);
    assert.equal((await findDeployment(store, 'thumbs', 'second'))?.status, 'ready');
  });

  test('a site created twice leaves one create entry; an update of a site gone meanwhile leaves none', async () => {
    const { deps } = app.services;
    await createSite(deps, PROJECT, 'blog', { name: 'Blog', framework: 'vite', buildRuntime: 'node-20.0' });
    await expectEntries(['sites.blog.create']);
    await assert.rejects(createSite(deps, PROJECT, 'blog', { name: 'Again', framework: 'vite', buildRuntime: 'node-20.0' }), { type: 'site_already_exists' });
    await assert.rejects(updateSite(deps, PROJECT, 'gone', { name: 'Gone', framework: 'vite' }), { type: 'site_not_found' });
    await expectEntries(['sites.blog.create']);

    await updateSite(deps, PROJECT, 'blog', { name: 'Notes', framework: 'vite' });
    await expectEntries(['sites.blog.create', 'sites.blog.update']);
  });

  test('topics and subscribers leave exactly their entries; a second subscription of the target leaves none', async () => {
    const { deps } = app.services;
    const user = await createUser(deps, PROJECT, { userId: 'reader', email: 'reader@example.com', name: 'Reader' }, 'specific');
    const targetId = (await deps.db.project(PROJECT).selectFrom('targets').select('id').where('user_id', '=', user.id).executeTakeFirstOrThrow()).id;
    await deps.db.project(PROJECT).deleteFrom('event_outbox').execute();
    app.events.length = 0;

    await createTopic(deps, PROJECT, { topicId: 'news', name: 'News' });
    await assert.rejects(createTopic(deps, PROJECT, { topicId: 'news', name: 'Again' }), { type: 'topic_already_exists' });
    await createSubscriber(deps, PROJECT, serverCaller(), { topicId: 'news', subscriberId: 'first', targetId });
    // The same target again: the check inside the transaction refuses it.
    await assert.rejects(createSubscriber(deps, PROJECT, serverCaller(), { topicId: 'news', subscriberId: 'second', targetId }), { type: 'subscriber_already_exists' });
    const names = ['topics.news.create', 'topics.news.subscribers.first.create'];
    await expectEntries(names);
    // A subscriber's event is readable by its user, in the outbox entry as on the bus.
    assert.deepEqual(app.events[1]!.readableBy, ['user:reader']);

    await deleteTopic(deps, PROJECT, 'news');
    await expectEntries([...names, 'topics.news.delete']);
  });

  test('a presence leaves its upsert entry; one whose id another user holds rolls back', async () => {
    const { deps } = app.services;
    await createUser(deps, PROJECT, { userId: 'ann', name: 'Ann' }, 'specific');
    await createUser(deps, PROJECT, { userId: 'ben', name: 'Ben' }, 'specific');
    await deps.db.project(PROJECT).deleteFrom('event_outbox').execute();
    app.events.length = 0;

    await upsertPresence(deps, PROJECT, serverCaller(), 'desk', { userId: 'ann', status: 'online' });
    await expectEntries(['presences.desk.upsert']);
    // Ben has no presence yet: his insert hits the id Ann's holds, inside the transaction.
    await assert.rejects(upsertPresence(deps, PROJECT, serverCaller(), 'desk', { userId: 'ben', status: 'away' }), { type: 'presence_already_exists' });
    await expectEntries(['presences.desk.upsert']);
  });
});
