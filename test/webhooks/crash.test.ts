import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ID, Users, Webhooks } from 'node-appwrite';
import { TestServer } from '../support/plinth.js';
import { sdkClient } from '../support/sdk.js';
import { Receiver } from './receiver.js';

const PROJECT = 'webhook-crash';

/** The id of the user a `users.*.create` delivery is about. */
const userOf = (body: string): string => (JSON.parse(body) as { $id: string }).$id;

// The process itself is under test: it dies between the commit of a change and the delivery of its webhook.
describe('a webhook survives a crash between commit and delivery', () => {
  let server: TestServer;
  let receiver: Receiver;
  let key: string;
  const users = () => new Users(sdkClient(server, PROJECT, key));

  before(async () => {
    receiver = await Receiver.start(() => 200);
    // The receiver is on loopback: the operator allows private addresses here.
    server = await TestServer.start({ process: true, env: { PLINTH_ALLOW_PRIVATE_URLS: 'true' } });
    await server.createProject(PROJECT);
    key = await server.createKey(PROJECT);
    await new Webhooks(sdkClient(server, PROJECT, key)).create({ webhookId: 'on-users', url: `${receiver.url}/users`, name: 'Users', events: ['users.*.create'] });
  });
  after(async () => {
    receiver?.close();
    await server?.stop();
  });

  test('kill -9 after the commit, restart: the webhook is delivered once', async () => {
    // An API node without workers commits changes but hands no event on: the outbox keeps them.
    server.env.PLINTH_WORKERS = 'off';
    await server.restart();
    const before = await users().create({ userId: ID.unique(), email: 'before-crash@example.com', password: 'correct horse' });
    assert.equal(receiver.received.length, 0, 'nothing is delivered before the crash');

    delete server.env.PLINTH_WORKERS;
    await server.restart('SIGKILL');
    const later = await users().create({ userId: ID.unique(), email: 'after-crash@example.com', password: 'correct horse' });
    const deliveries = await receiver.requests('/users', 2);
    assert.deepEqual(deliveries.map((delivery) => userOf(delivery.body)).sort(), [before.$id, later.$id].sort());
    assert.ok(deliveries.every((delivery) => delivery.headers['x-appwrite-webhook-id'] === 'on-users'));
  });
});
