import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { createServer as createH2Server, type Http2Server } from 'node:http2';
import { after, before, describe, test } from 'node:test';
import { decodeJwt, decodeProtectedHeader, importSPKI, jwtVerify } from 'jose';
import { AppwriteException, ID, Messaging, MessageStatus, MessagingProviderType, Storage, Users } from 'node-appwrite';
import { InputFile } from 'node-appwrite/file';
import type { Services } from '../../src/app/services.js';
import { deliverMessage } from '../../src/services/messaging/index.js';
import { signPushImageToken } from '../../src/services/storage/push-image-token.js';
import { eventually, servicesBeside } from '../messages/services.js';
import { TestServer } from '../support/plinth.js';
import { sdkClient } from '../support/sdk.js';
import { HttpStandIn } from './peers.js';

const PROJECT = 'pusher';
const FIFTEEN_DAYS = 15 * 24 * 3600;

/** An APNs stand-in over h2c: checks the ES256 token (kid, iss) and the topic, answers as Apple does. */
async function startApns(publicPem: string) {
  const key = await importSPKI(publicPem, 'ES256');
  const received: { device: string; headers: Record<string, unknown>; payload: any }[] = [];
  const gone = new Set<string>();
  const server: Http2Server = createH2Server((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', async () => {
      const token = String(req.headers.authorization ?? '').replace(/^bearer /i, '');
      try {
        const { payload } = await jwtVerify(token, key, { issuer: 'TEAM1' });
        assert.equal(decodeProtectedHeader(token).kid, 'KEY1');
        assert.ok(payload.iat);
      } catch {
        res.writeHead(403).end(JSON.stringify({ reason: 'InvalidProviderToken' }));
        return;
      }
      if (req.headers['apns-topic'] !== 'app.shop') return void res.writeHead(400).end(JSON.stringify({ reason: 'TopicDisallowed' }));
      const device = decodeURIComponent(String(req.headers[':path']).replace('/3/device/', ''));
      if (gone.has(device)) return void res.writeHead(410).end(JSON.stringify({ reason: 'Unregistered', timestamp: Date.now() }));
      if (device.startsWith('bad')) return void res.writeHead(400).end(JSON.stringify({ reason: 'BadDeviceToken' }));
      received.push({ device, headers: { ...req.headers }, payload: JSON.parse(body) });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  return { url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`, received, gone, stop: () => new Promise<void>((done) => server.close(() => done())) };
}

describe('messaging: push through FCM and APNs', () => {
  let server: TestServer;
  let fcm: HttpStandIn;
  let apns: Awaited<ReturnType<typeof startApns>>;
  let messaging: Messaging;
  let users: Users;
  let storage: Storage;
  let beside: Services;
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const fcmTokens = new Set(['fcm-a', 'fcm-b']);
  let fcmKey: Awaited<ReturnType<typeof importSPKI>>;

  const finished = (messageId: string) =>
    eventually(async () => {
      const message = await messaging.getMessage({ messageId });
      return message.status === MessageStatus.Sent || message.status === MessageStatus.Failed ? message : undefined;
    });

  async function device(providerId: string, identifier: string, userId = ID.unique()): Promise<{ userId: string; targetId: string }> {
    await users.create({ userId }).catch(() => undefined);
    const target = await users.createTarget({ userId, targetId: ID.unique(), providerType: MessagingProviderType.Push, identifier, providerId });
    return { userId, targetId: target.$id };
  }

  before(async () => {
    fcm = await HttpStandIn.start();
    fcmKey = await importSPKI(rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString(), 'RS256');
    // The token endpoint hands out a token naming the assertion; the test verifies that assertion's signature.
    fcm.answer = (request) => {
      if (request.path === '/token') {
        const form = Object.fromEntries(new URLSearchParams(request.body));
        assert.equal(form.grant_type, 'urn:ietf:params:oauth:grant-type:jwt-bearer');
        return { status: 200, body: { access_token: `verified:${form.assertion}`, expires_in: 3600 } };
      }
      const bearer = String(request.headers.authorization).replace('Bearer verified:', '');
      const token = JSON.parse(request.body).message.token as string;
      if (!fcmTokens.has(token)) return { status: 404, body: { error: { code: 404, status: 'NOT_FOUND', message: 'Requested entity was not found.', details: [{ errorCode: 'UNREGISTERED' }] } } };
      return { status: 200, body: { name: `projects/shop/messages/${bearer.length}` } };
    };
    apns = await startApns(ec.publicKey.export({ type: 'spki', format: 'pem' }).toString());
    server = await TestServer.start({
      env: {
        PLINTH_MESSAGING_RETRY_DELAY_MS: '10',
        PLINTH_MESSAGING_BASE_URLS: `fcm=${fcm.url},fcmToken=${fcm.url}/token,apns=${apns.url}`,
      },
    });
    await server.createProject(PROJECT);
    const key = await server.createKey(PROJECT);
    messaging = new Messaging(sdkClient(server, PROJECT, key));
    users = new Users(sdkClient(server, PROJECT, key));
    storage = new Storage(sdkClient(server, PROJECT, key));
    beside = servicesBeside(server);
    const serviceAccount = {
      type: 'service_account',
      project_id: 'shop',
      client_email: 'push@shop.iam.gserviceaccount.com',
      private_key: rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    };
    await messaging.createFCMProvider({ providerId: 'fcm', name: 'FCM', serviceAccountJSON: serviceAccount, enabled: true });
    await messaging.createAPNSProvider({
      providerId: 'apns',
      name: 'APNs',
      authKey: ec.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      authKeyId: 'KEY1',
      teamId: 'TEAM1',
      bundleId: 'app.shop',
      enabled: true,
    });
  });
  after(async () => {
    await beside.close();
    await server.stop();
    await fcm.stop();
    await apns.stop();
  });

  test('FCM: a signed service-account assertion buys a token; each device gets the notification; an unregistered one expires', async () => {
    const a = await device('fcm', 'fcm-a');
    const b = await device('fcm', 'fcm-b');
    const dead = await device('fcm', 'fcm-dead');
    await messaging.createPush({
      messageId: 'sale',
      title: 'Sale',
      body: 'Half off',
      data: { orderId: 'o1' },
      users: [a.userId, b.userId, dead.userId],
      sound: 'ping',
      badge: 3,
      priority: 'high' as never,
    });
    const done = await finished('sale');
    assert.equal(done.status, MessageStatus.Failed);
    assert.equal(done.deliveredTotal, 2);
    assert.deepEqual(done.deliveryErrors, ['Failed sending to target fcm-dead with error: Expired device token']);

    const requests = fcm.take();
    const token = requests.find((request) => request.path === '/token')!;
    const assertion = new URLSearchParams(token.body).get('assertion')!;
    const { payload } = await jwtVerify(assertion, fcmKey, {
      issuer: 'push@shop.iam.gserviceaccount.com',
      audience: `${fcm.url}/token`,
    });
    assert.equal(payload.scope, 'https://www.googleapis.com/auth/firebase.messaging');
    const sends = requests.filter((request) => request.path === '/v1/projects/shop/messages:send');
    assert.equal(sends.length, 3);
    const message = JSON.parse(sends.find((request) => request.body.includes('fcm-a'))!.body).message;
    assert.deepEqual(message.notification, { title: 'Sale', body: 'Half off' });
    assert.deepEqual(message.data, { orderId: 'o1' });
    assert.equal(message.android.priority, 'high');
    assert.equal(message.apns.payload.aps.badge, 3);

    const expired = (await users.listTargets({ userId: dead.userId })).targets[0]!;
    assert.equal(expired.expired, true);
    // An expired target is no longer sent to.
    await messaging.createPush({ messageId: 'again', title: 'Again', body: 'x', users: [dead.userId, a.userId] });
    const again = await finished('again');
    assert.equal(again.status, MessageStatus.Sent);
    assert.equal(again.deliveredTotal, 1);
    assert.equal(fcm.take().filter((request) => request.body.includes('fcm-dead')).length, 0);
  });

  test('APNs: an ES256 token with kid and iss, the topic and priority as headers; 410 Unregistered expires the target', async () => {
    const phone = await device('apns', 'apns-phone');
    const gone = await device('apns', 'apns-gone');
    apns.gone.add('apns-gone');
    await messaging.createPush({ messageId: 'ios', title: 'Hi', body: 'There', users: [phone.userId, gone.userId], sound: 'chime', critical: true, data: { a: '1' } });
    const done = await finished('ios');
    assert.equal(done.deliveredTotal, 1);
    assert.deepEqual(done.deliveryErrors, ['Failed sending to target apns-gone with error: Expired device token']);
    const [got] = apns.received;
    assert.equal(got!.device, 'apns-phone');
    assert.equal(got!.headers['apns-push-type'], 'alert');
    assert.equal(got!.headers['apns-priority'], '10');
    assert.deepEqual(got!.payload.aps.alert, { title: 'Hi', body: 'There' });
    assert.deepEqual(got!.payload.aps.sound, { critical: 1, name: 'chime', volume: 1 });
    assert.equal(got!.payload.a, '1');
    assert.equal((await users.listTargets({ userId: gone.userId })).targets[0]!.expired, true);
  });

  test('a delivery run again after its worker died skips the recipients it recorded and sends again to those it had in flight', async () => {
    const first = await device('fcm', 'fcm-a-2');
    fcmTokens.add('fcm-a-2').add('fcm-b-2').add('fcm-c-2');
    const second = await device('fcm', 'fcm-b-2');
    const third = await device('fcm', 'fcm-c-2');
    await messaging.createPush({ messageId: 'crash', title: 'x', body: 'y', targets: [first.targetId, second.targetId, third.targetId], draft: true });
    // As a worker that died would leave it: processing, one recipient sent, one mid-send.
    const store = beside.deps.db.project(PROJECT);
    const now = new Date().toISOString();
    await store
      .insertInto('messaging_deliveries')
      .values([
        { message_id: 'crash', target_id: first.targetId, state: 'sent', error: null, updated_at: now },
        { message_id: 'crash', target_id: second.targetId, state: 'sending', error: null, updated_at: now },
      ])
      .execute();
    await store.updateTable('messaging_messages').set({ status: 'processing' }).where('id', '=', 'crash').execute();
    fcm.take();

    await deliverMessage(beside.deps, PROJECT, { type: 'external', messageId: 'crash', scheduledAt: null });
    const sent = fcm.take().filter((request) => request.path.endsWith('messages:send'));
    // Whether the provider took the one in flight is unknown: it gets it again rather than never.
    assert.deepEqual(sent.map((request) => JSON.parse(request.body).message.token).sort(), ['fcm-b-2', 'fcm-c-2']);
    const done = await messaging.getMessage({ messageId: 'crash' });
    assert.equal(done.status, MessageStatus.Sent, JSON.stringify(done.deliveryErrors));
    assert.equal(done.deliveredTotal, 3);
    assert.deepEqual(done.deliveryErrors, []);
    // Running it yet again changes nothing: the message is finished.
    await deliverMessage(beside.deps, PROJECT, { type: 'external', messageId: 'crash', scheduledAt: null });
    assert.equal(fcm.take().length, 0);
  });

  test('an image given as bucketId:fileId reaches FCM and APNs as a signed URL of that file, which the push route serves to no one else', async () => {
    // A 1x1 PNG, in a bucket nobody but keys may read.
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
    await storage.createBucket({ bucketId: 'pics', name: 'pics' });
    await storage.createFile({ bucketId: 'pics', fileId: 'logo', file: InputFile.fromBuffer(png, 'logo.png') });
    await storage.createFile({ bucketId: 'pics', fileId: 'other', file: InputFile.fromBuffer(png, 'other.png') });
    await storage.createFile({ bucketId: 'pics', fileId: 'notes', file: InputFile.fromBuffer(Buffer.from('plain words'), 'notes.txt') });
    fcmTokens.add('fcm-pic');
    const phone = await device('fcm', 'fcm-pic');
    await device('apns', 'apns-pic', phone.userId);
    fcm.take();
    apns.received.length = 0;

    const before = Math.floor(Date.now() / 1000);
    await messaging.createPush({ messageId: 'pic', title: 'Look', body: 'New logo', users: [phone.userId], image: 'pics:logo' });
    const done = await finished('pic');
    const after = Math.ceil(Date.now() / 1000);
    assert.equal(done.status, MessageStatus.Sent, JSON.stringify(done.deliveryErrors));
    const image = (done.data as { image: { bucketId: string; fileId: string; url: string } }).image;
    assert.deepEqual({ ...image, url: undefined }, { bucketId: 'pics', fileId: 'logo', url: undefined });
    const url = new URL(image.url);
    assert.equal(`${url.origin}${url.pathname}`, `${server.url}/v1/storage/buckets/pics/files/logo/push`);
    assert.equal(url.searchParams.get('project'), PROJECT);
    const jwt = url.searchParams.get('jwt')!;
    const claims = decodeJwt(jwt);
    assert.deepEqual([claims.projectId, claims.bucketId, claims.fileId], [PROJECT, 'pics', 'logo']);
    // Valid until 15 days after the send time.
    assert.ok(claims.exp! >= before + FIFTEEN_DAYS && claims.exp! <= after + FIFTEEN_DAYS, String(claims.exp));

    const sent = JSON.parse(fcm.take().find((request) => request.path.endsWith('messages:send'))!.body).message;
    assert.equal(sent.android.notification.image, image.url);
    assert.equal(sent.apns.fcm_options.image, image.url);
    const apple = apns.received.find((request) => request.device === 'apns-pic')!.payload;
    assert.equal(apple.aps['mutable-content'], 1);
    assert.equal(apple.image, image.url);

    // The push service fetches it without credentials; the view URL stays closed.
    const fetched = await fetch(image.url);
    assert.equal(fetched.status, 200);
    assert.equal(fetched.headers.get('content-type'), 'image/png');
    assert.equal(fetched.headers.get('cache-control'), 'private, max-age=3888000');
    assert.ok(Buffer.from(await fetched.arrayBuffer()).equals(png));
    // A bucket no one may read, with file security off: a guest is refused, as Appwrite answers.
    assert.equal((await fetch(`${server.url}/v1/storage/buckets/pics/files/logo/view?project=${PROJECT}`)).status, 401);

    const pushUrl = (fileId: string, token: string, project = PROJECT) =>
      `${server.url}/v1/storage/buckets/pics/files/${fileId}/push?project=${project}&jwt=${encodeURIComponent(token)}`;
    const refusal = async (address: string) => {
      const answer = await fetch(address);
      const body = (await answer.json()) as { code: number; type: string };
      return { status: answer.status, code: body.code, type: body.type };
    };
    const unauthorized = { status: 401, code: 401, type: 'user_unauthorized' };
    // Tampered: one claim changed, the signature kept.
    const [head, , signature] = jwt.split('.');
    const forged = Buffer.from(JSON.stringify({ ...claims, fileId: 'other' })).toString('base64url');
    assert.deepEqual(await refusal(pushUrl('other', `${head}.${forged}.${signature}`)), unauthorized);
    // Another file's token, no token, another project's token.
    assert.deepEqual(await refusal(pushUrl('other', jwt)), unauthorized);
    assert.deepEqual(await refusal(pushUrl('logo', '')), unauthorized);
    await server.createProject('elsewhere');
    assert.deepEqual(await refusal(pushUrl('logo', jwt, 'elsewhere')), unauthorized);
    // Expired.
    const expired = await signPushImageToken(beside.deps.secretKey, PROJECT, { bucketId: 'pics', fileId: 'logo' }, new Date(Date.now() - 1000));
    assert.deepEqual(await refusal(pushUrl('logo', expired)), unauthorized);
    // A good token for a file deleted since.
    const gone = await signPushImageToken(beside.deps.secretKey, PROJECT, { bucketId: 'pics', fileId: 'other' }, new Date(Date.now() + 60_000));
    await storage.deleteFile({ bucketId: 'pics', fileId: 'other' });
    assert.deepEqual(await refusal(pushUrl('other', gone)), { status: 404, code: 404, type: 'storage_file_not_found' });
    // A disabled bucket hides its files here too.
    await storage.updateBucket({ bucketId: 'pics', name: 'pics', enabled: false });
    assert.deepEqual(await refusal(image.url), { status: 404, code: 404, type: 'storage_bucket_not_found' });
    await storage.updateBucket({ bucketId: 'pics', name: 'pics', enabled: true });

    // A scheduled message's image is valid until 15 days after its schedule.
    const scheduledAt = new Date(Date.now() + 30 * 24 * 3600 * 1000);
    scheduledAt.setMilliseconds(0);
    const later = await messaging.createPush({ messageId: 'pic-later', title: 't', body: 'b', users: [phone.userId], image: 'pics:logo', draft: true, scheduledAt: scheduledAt.toISOString() });
    const laterClaims = decodeJwt(new URL((later.data as { image: { url: string } }).image.url).searchParams.get('jwt')!);
    assert.equal(laterClaims.exp, scheduledAt.getTime() / 1000 + FIFTEEN_DAYS);

    const refused = async (image: string) => {
      const error = await messaging.createPush({ messageId: ID.unique(), title: 't', body: 'b', users: [phone.userId], image }).then(
        () => assert.fail(`${image} was accepted`),
        (caught: AppwriteException) => caught,
      );
      return { code: error.code, type: error.type };
    };
    assert.deepEqual(await refused('nothere:logo'), { code: 404, type: 'storage_bucket_not_found' });
    assert.deepEqual(await refused('pics:nothere'), { code: 404, type: 'storage_bucket_not_found' });
    assert.deepEqual(await refused('pics:notes'), { code: 400, type: 'storage_file_type_unsupported' });
    assert.deepEqual(await refused('https://example.com/a.png'), { code: 400, type: 'general_argument_invalid' });

    // A draft's image can be replaced and cleared.
    await messaging.createPush({ messageId: 'pic-draft', title: 't', body: 'b', users: [phone.userId], image: 'pics:logo', draft: true });
    const cleared = await messaging.updatePush({ messageId: 'pic-draft', image: '' });
    assert.equal((cleared.data as { image?: unknown }).image, undefined);
  });
});
