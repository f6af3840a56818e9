import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { Databases, ID, Query, Users, Webhooks, type Models } from 'node-appwrite';
import { postWebhook } from '../../src/infra/webhooks/post-webhook.js';
import { TestServer } from '../support/plinth.js';
import { rejectsWith, sdkClient } from '../support/sdk.js';
import { Receiver } from './receiver.js';

const PROJECT = 'webhooks';

function signatureOf(url: string, body: string, key: string): string {
  return createHmac('sha1', key).update(url + body).digest('base64');
}

describe('webhooks', () => {
  let server: TestServer;
  let receiver: Receiver;
  let webhooks: Webhooks;
  let users: Users;
  let key: string;

  before(async () => {
    // The receiver is on loopback: the operator allows private addresses here, as the tests must.
    server = await TestServer.start({ env: { PLINTH_ALLOW_PRIVATE_URLS: 'true', PLINTH_WEBHOOK_MAX_FAILED_ATTEMPTS: '3' } });
    await server.createProject(PROJECT);
    key = await server.createKey(PROJECT);
    const client = sdkClient(server, PROJECT, key);
    webhooks = new Webhooks(client);
    users = new Users(client);
    // `/flaky` fails its first request, `/down` every one.
    receiver = await Receiver.start((path, seen) => (path === '/down' || (path === '/flaky' && seen === 0) ? 500 : 200));
  });
  after(async () => {
    receiver?.close();
    await server?.stop();
  });

  test('create, get, list, update, rotate the secret and delete through the SDK', async () => {
    const created = await webhooks.create({ webhookId: 'crud', url: `${receiver.url}/crud`, name: 'CRUD', events: ['users.*.create'], secret: 'a-secret-of-ours' });
    assert.equal(created.$id, 'crud');
    assert.equal(created.secret, 'a-secret-of-ours', 'the key is shown on creation');
    assert.deepEqual([created.enabled, created.tls, created.attempts, created.logs], [true, true, 0, '']);
    const fetched = await webhooks.get({ webhookId: 'crud' });
    assert.equal(fetched.secret, '', 'and not afterwards');
    assert.equal(fetched.name, 'CRUD');

    const updated = await webhooks.update({ webhookId: 'crud', name: 'Renamed', url: `${receiver.url}/crud`, events: ['users.*.update'], tls: false, authUsername: 'me', authPassword: 'pw' });
    assert.deepEqual([updated.name, updated.events, updated.tls, updated.authUsername, updated.authPassword], ['Renamed', ['users.*.update'], false, 'me', 'pw']);
    const rotated = await webhooks.updateSecret({ webhookId: 'crud' });
    assert.ok(rotated.secret.length >= 8 && rotated.secret !== 'a-secret-of-ours');

    const list = await webhooks.list({ queries: [Query.equal('name', 'Renamed')] });
    assert.deepEqual([list.total, list.webhooks[0]?.$id], [1, 'crud']);

    await rejectsWith(webhooks.create({ webhookId: 'crud', url: `${receiver.url}/x`, name: 'again', events: [] }), 409, 'webhook_already_exists');
    await rejectsWith(webhooks.create({ webhookId: ID.unique(), url: 'ftp://example.com', name: 'bad', events: [] }), 400, 'general_argument_invalid');
    await rejectsWith(webhooks.create({ webhookId: ID.unique(), url: `${receiver.url}/x`, name: 'bad', events: [], secret: 'short' }), 400, 'general_argument_invalid');
    await webhooks.delete({ webhookId: 'crud' });
    await rejectsWith(webhooks.get({ webhookId: 'crud' }), 404, 'webhook_not_found');
  });

  test('an event is POSTed with Appwrite’s headers, a signature the receiver can check, and basic auth', async () => {
    const url = `${receiver.url}/signed`;
    const hook = await webhooks.create({ webhookId: ID.unique(), url, name: 'Signed hook', events: ['users.*.create'], authUsername: 'hook-user', authPassword: 'hook-pass' });
    const user = await users.create({ userId: ID.unique(), email: 'hooked@example.com', password: 'correct horse' });

    const [delivery] = await receiver.requests('/signed', 1);
    assert.equal(delivery!.headers['x-appwrite-webhook-id'], hook.$id);
    assert.equal(delivery!.headers['x-appwrite-webhook-name'], 'Signed hook');
    assert.equal(delivery!.headers['x-appwrite-webhook-project-id'], PROJECT);
    assert.equal(delivery!.headers['x-appwrite-webhook-user-id'], '', 'an API key is nobody');
    assert.equal(delivery!.headers['content-type'], 'application/json');
    const events = String(delivery!.headers['x-appwrite-webhook-events']).split(',');
    assert.ok(events.includes(`users.${user.$id}.create`) && events.includes('users.*.create'));
    assert.equal(delivery!.headers['x-appwrite-webhook-signature'], signatureOf(url, delivery!.body, hook.secret));
    assert.equal(delivery!.headers.authorization, `Basic ${Buffer.from('hook-user:hook-pass').toString('base64')}`);
    const body = JSON.parse(delivery!.body) as Models.User<Models.Preferences>;
    assert.equal(body.$id, user.$id);
    assert.equal(body.email, 'hooked@example.com');
  });

  test('document events match wildcard patterns; a change to another collection sends nothing', async () => {
    const databases = new Databases(sdkClient(server, PROJECT, key));
    await databases.create({ databaseId: 'shop', name: 'Shop' });
    for (const collectionId of ['orders', 'notes']) await databases.createCollection({ databaseId: 'shop', collectionId, name: collectionId });
    await webhooks.create({ webhookId: ID.unique(), url: `${receiver.url}/orders`, name: 'Orders', events: ['databases.shop.collections.orders.documents.*'] });
    await databases.createDocument({ databaseId: 'shop', collectionId: 'notes', documentId: ID.unique(), data: {} });
    const order = await databases.createDocument({ databaseId: 'shop', collectionId: 'orders', documentId: ID.unique(), data: {} });
    await databases.deleteDocument({ databaseId: 'shop', collectionId: 'orders', documentId: order.$id });

    const deliveries = await receiver.requests('/orders', 2);
    assert.deepEqual(
      deliveries.map((entry) => String(entry.headers['x-appwrite-webhook-events']).split(',').find((name) => !name.includes('*') && name.startsWith('databases.shop.collections.'))),
      [`databases.shop.collections.orders.documents.${order.$id}.create`, `databases.shop.collections.orders.documents.${order.$id}.delete`],
    );
    assert.ok(deliveries.every((entry) => (JSON.parse(entry.body) as { $id: string }).$id === order.$id), 'the notes document went nowhere');
  });

  test("a change to a webhook's events applies from the next event on", async () => {
    const hook = await webhooks.create({ webhookId: ID.unique(), url: `${receiver.url}/next`, name: 'Next', events: ['users.*.create'] });
    const first = await users.create({ userId: ID.unique(), email: 'next-1@example.com', password: 'correct horse' });
    await receiver.requests('/next', 1);
    await webhooks.update({ webhookId: hook.$id, name: 'Next', url: `${receiver.url}/next`, events: ['users.*.delete'] });
    const second = await users.create({ userId: ID.unique(), email: 'next-2@example.com', password: 'correct horse' });
    await users.delete({ userId: second.$id });
    const deliveries = await receiver.requests('/next', 2);
    assert.deepEqual(
      deliveries.map((entry) => String(entry.headers['x-appwrite-webhook-events']).split(',').find((name) => name.startsWith('users.') && !name.includes('*') && name.split('.').length === 3)),
      [`users.${first.$id}.create`, `users.${second.$id}.delete`],
      'the second create went nowhere',
    );
  });

  test('a failed delivery is retried; success resets the count of failures', async () => {
    const hook = await webhooks.create({ webhookId: ID.unique(), url: `${receiver.url}/flaky`, name: 'Flaky', events: ['users.*.create'] });
    const user = await users.create({ userId: ID.unique(), email: 'flaky@example.com', password: 'correct horse' });
    const [failed, retried] = await receiver.requests('/flaky', 2);
    assert.equal(failed!.body, retried!.body, 'the same delivery again');
    assert.equal((JSON.parse(retried!.body) as { $id: string }).$id, user.$id);
    const after = await waitFor(() => webhooks.get({ webhookId: hook.$id }), (current) => current.attempts === 0);
    assert.equal(after.enabled, true);
    assert.match(after.logs, /Status code: 500/, 'the logs keep the last failure');
  });

  test('failing again and again disables the webhook, and its logs say why', async () => {
    const hook = await webhooks.create({ webhookId: ID.unique(), url: `${receiver.url}/down`, name: 'Down', events: ['users.*.create'] });
    await users.create({ userId: ID.unique(), email: 'down@example.com', password: 'correct horse' });
    const disabled = await waitFor(() => webhooks.get({ webhookId: hook.$id }), (current) => !current.enabled);
    assert.equal(disabled.attempts, 3);
    assert.equal(disabled.logs, `URL: ${receiver.url}/down\nMethod: POST\nStatus code: 500\nBody: \nfailure 3\n`);
    assert.equal(receiver.received.filter((entry) => entry.path === '/down').length, 3, 'nothing more once disabled');
    // Enabling it again starts the count afresh.
    const enabled = await webhooks.update({ webhookId: hook.$id, name: 'Down', url: `${receiver.url}/down`, events: ['users.*.create'], enabled: true });
    assert.deepEqual([enabled.enabled, enabled.attempts], [true, 0]);
  });
});

/** Polls until the value satisfies the condition. */
async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let attempt = 0; attempt < 600; attempt++) {
    const value = await read();
    if (done(value)) return value;
    await delay(25);
  }
  throw new Error('condition never met');
}

describe('webhook requests to private addresses', () => {
  for (const url of ['http://169.254.169.254/latest/meta-data', 'http://10.0.0.1/hook', 'http://127.0.0.1:9/hook', 'http://[::1]:9/hook', 'http://localhost:9/hook']) {
    test(`${url} is refused unless allowed`, async () => {
      const response = await postWebhook({ url, body: '{}', headers: {}, tls: true, allowPrivateUrls: false, timeoutMs: 2000 });
      assert.ok('error' in response, JSON.stringify(response));
      assert.match(response.error, /private address/);
    });
  }
});
