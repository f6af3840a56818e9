import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { createServer, type Server } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { Account as WebAccount, Client as WebClient } from 'appwrite';
import { Account, ID, Messaging, MessageStatus, Storage, Users } from 'node-appwrite';
import { InputFile } from 'node-appwrite/file';
import { eventually } from '../messages/services.js';
import { jsonOf, TestServer } from '../support/plinth.js';
import { rejectsWith, sdkClient } from '../support/sdk.js';

const PROJECT = 'webpush';
const require = createRequire(import.meta.url);

async function freePort(): Promise<number> {
  const probe: Server = createServer();
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
  const address = probe.address();
  await new Promise<void>((done) => probe.close(() => done()));
  return typeof address === 'object' && address ? address.port : 0;
}

/** web-push-testing in this process, on loopback only: it checks the VAPID JWT and decrypts each payload. */
async function startPushService() {
  const Testing = require('web-push-testing/src/server.js');
  const { PushApiModel } = require('web-push-testing/src/PushApiModel.js');
  const port = await freePort();
  const service = new Testing(new PushApiModel(), port);
  service.setRequestHandlers();
  const listening = await new Promise<import('node:http').Server>((done) => {
    const server = service._app.listen(port, '127.0.0.1', () => done(server));
  });
  const url = `http://127.0.0.1:${port}`;
  const post = (path: string, body: Record<string, string>) =>
    jsonOf(fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(body) }));
  return { url, post, stop: () => new Promise<void>((done) => listening.close(() => done())) };
}

describe('messaging: Web Push (beyond Appwrite)', () => {
  let server: TestServer;
  let push: Awaited<ReturnType<typeof startPushService>>;
  let messaging: Messaging;
  let key: string;

  before(async () => {
    push = await startPushService();
    server = await TestServer.start({ env: { PLINTH_ALLOW_PRIVATE_URLS: 'true', PLINTH_MESSAGING_RETRY_DELAY_MS: '10' } });
    await server.createProject(PROJECT);
    key = await server.createKey(PROJECT);
    messaging = new Messaging(sdkClient(server, PROJECT, key));
  });
  after(async () => {
    await server.stop();
    await push.stop();
  });

  test('a webpush provider makes its VAPID keys; a browser subscription becomes a push target; the payload arrives encrypted; 410 expires it', async () => {
    const created = await jsonOf(
      server.request('/messaging/providers/webpush', {
        method: 'POST',
        project: PROJECT,
        key,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ providerId: 'web', name: 'Browsers', subject: 'mailto:ops@example.com', enabled: true }),
      }),
    );
    assert.equal(created.enabled, true, JSON.stringify(created));
    assert.equal(created.type, 'push');
    assert.equal(created.credentials.vapidPrivateKey, '********');
    const publicKey = created.options.vapidPublicKey as string;
    assert.match(publicKey, /^[A-Za-z0-9_-]{80,}$/);
    const badSubject = await jsonOf(
      server.request('/messaging/providers/webpush', {
        method: 'POST',
        project: PROJECT,
        key,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ providerId: 'web2', name: 'x', subject: 'ops@example.com' }),
      }),
    );
    assert.equal(badSubject.type, 'general_argument_invalid');

    const subscribed = await push.post('/subscribe', { userVisibleOnly: 'true', applicationServerKey: publicKey });
    const { clientHash, ...subscription } = subscribed.data as { clientHash: string; endpoint: string; keys: object };

    const email = 'eve@example.com';
    await new Account(sdkClient(server, PROJECT)).create({ userId: 'eve', email, password: 'correct horse' });
    const session = await new Account(sdkClient(server, PROJECT, key)).createEmailPasswordSession({ email, password: 'correct horse' });
    const browser = new WebAccount(new WebClient().setEndpoint(server.endpoint).setProject(PROJECT).setSession(session.secret));
    const target = await browser.createPushTarget({ targetId: ID.unique(), identifier: JSON.stringify(subscription), providerId: 'web' });
    assert.equal(target.providerId, 'web');

    // A 1x1 PNG in a bucket only keys may read.
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
    const storage = new Storage(sdkClient(server, PROJECT, key));
    await storage.createBucket({ bucketId: 'pics', name: 'pics' });
    await storage.createFile({ bucketId: 'pics', fileId: 'logo', file: InputFile.fromBuffer(png, 'logo.png') });
    await messaging.createPush({ messageId: 'hello', title: 'Hello', body: 'From the server', data: { path: '/inbox' }, users: ['eve'], image: 'pics:logo' });
    const done = await eventually(async () => {
      const message = await messaging.getMessage({ messageId: 'hello' });
      return message.status === MessageStatus.Processing ? undefined : message;
    });
    assert.equal(done.status, MessageStatus.Sent, JSON.stringify(done.deliveryErrors));
    const received = await push.post('/get-notifications', { clientHash });
    const image = (done.data as { image: { url: string } }).image.url;
    assert.match(image, /\/v1\/storage\/buckets\/pics\/files\/logo\/push\?project=/);
    assert.deepEqual(received.data.messages.map((m: string) => JSON.parse(m)), [{ title: 'Hello', body: 'From the server', data: { path: '/inbox' }, image }]);
    // The browser's service worker can show it: the signed URL serves the file.
    assert.ok(Buffer.from(await (await fetch(image)).arrayBuffer()).equals(png));

    assert.equal((await fetch(`${push.url}/expire-subscription/${clientHash}`, { method: 'POST' })).status, 200);
    await messaging.createPush({ messageId: 'gone', title: 'Again', body: 'x', users: ['eve'] });
    const failed = await eventually(async () => {
      const message = await messaging.getMessage({ messageId: 'gone' });
      return message.status === MessageStatus.Processing ? undefined : message;
    });
    assert.equal(failed.status, MessageStatus.Failed);
    assert.match(failed.deliveryErrors![0]!, /Expired device token$/);
    const users = new Users(sdkClient(server, PROJECT, key));
    assert.equal((await users.getTarget({ userId: 'eve', targetId: target.$id })).expired, true);
  });
  test('a Web Push subscription may be up to 2,048 characters long; other push targets keep Appwrite\'s 320', async () => {
    const email = 'long@example.com';
    await new Account(sdkClient(server, PROJECT)).create({ userId: 'long', email, password: 'correct horse' });
    const session = await new Account(sdkClient(server, PROJECT, key)).createEmailPasswordSession({ email, password: 'correct horse' });
    const browser = new WebAccount(new WebClient().setEndpoint(server.endpoint).setProject(PROJECT).setSession(session.secret));
    // Some push services hand out long endpoints; the subscription carries its keys too.
    const subscription = (length: number) => {
      const shell = JSON.stringify({ endpoint: `https://push.example/send/`, keys: { p256dh: 'B'.repeat(87), auth: 'a'.repeat(22) } });
      return JSON.stringify({ endpoint: `https://push.example/send/${'x'.repeat(length - shell.length)}`, keys: { p256dh: 'B'.repeat(87), auth: 'a'.repeat(22) } });
    };
    const long = subscription(2048);
    assert.equal(long.length, 2048);
    const target = await browser.createPushTarget({ targetId: ID.unique(), identifier: long, providerId: 'web' });
    const users = new Users(sdkClient(server, PROJECT, key));
    assert.equal((await users.getTarget({ userId: 'long', targetId: target.$id })).identifier, long);
    const renewed = subscription(1500);
    assert.equal((await browser.updatePushTarget({ targetId: target.$id, identifier: renewed })).identifier, renewed);

    await rejectsWith(browser.createPushTarget({ targetId: ID.unique(), identifier: subscription(2049), providerId: 'web' }), 400, 'general_argument_invalid');
    await rejectsWith(browser.createPushTarget({ targetId: ID.unique(), identifier: 'f'.repeat(321) }), 400, 'general_argument_invalid');
    await rejectsWith(users.createTarget({ userId: 'long', targetId: ID.unique(), providerType: 'push' as never, identifier: 'f'.repeat(400) }), 400, 'general_argument_invalid');
    assert.equal((await users.listTargets({ userId: 'long' })).targets.filter((listed) => listed.providerType === 'push').length, 1, 'nothing half-written');
  });
});
