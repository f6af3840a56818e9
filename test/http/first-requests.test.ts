import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Account, Avatars, Client, ID, Storage } from 'node-appwrite';
import { InputFile } from 'node-appwrite/file';
import { RealtimeSocket } from '../realtime/socket.js';
import { jsonOf, TestServer } from '../support/plinth.js';

const PROJECT = 'firstrequests';
/** A 1×1 PNG. */
const PIXEL = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

/**
 * `plinth serve` loads some parts only when a request first needs them (GraphQL's engine, the
 * argon2 addon, image rendering, QR codes). In a fresh process of the real program, each such
 * request, the very first of its kind, answers as every later one does.
 */
describe('a fresh plinth serve answers the first request of each part it loads on first use', () => {
  let server: TestServer;
  let key: string;

  before(async () => {
    server = await TestServer.start({ process: true });
    await server.createProject(PROJECT);
    key = await server.createKey(PROJECT);
  });
  after(() => server?.stop());

  const graphql = (query: string) =>
    server.request('/graphql', { method: 'POST', project: PROJECT, key, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });

  test('GraphQL: the first query, a malformed one, fails as the next one does, and a good one answers', async () => {
    const first = await graphql('query { localeListCountries {');
    const firstBody = await jsonOf(first);
    const again = await graphql('query { localeListCountries {');
    assert.equal(first.status, again.status);
    assert.deepEqual(firstBody, await jsonOf(again));
    const answer = await jsonOf(graphql('query { localeListCountries { total } }'));
    assert.ok(answer.data.localeListCountries.total > 100, JSON.stringify(answer));
  });

  test('passwords: sign-up hashes and sign-in checks with argon2', async () => {
    const client = new Client().setEndpoint(server.endpoint).setProject(PROJECT);
    const account = new Account(client);
    const email = 'first@example.com';
    await account.create({ userId: ID.unique(), email, password: 'a long password' });
    await assert.rejects(account.createEmailPasswordSession({ email, password: 'a wrong password' }), { code: 401, type: 'user_invalid_credentials' });
    const session = await account.createEmailPasswordSession({ email, password: 'a long password' });
    assert.equal(session.provider, 'email');
  });

  test('images: a file preview, initials and a QR code render', async () => {
    const client = new Client().setEndpoint(server.endpoint).setProject(PROJECT).setKey(key);
    const storage = new Storage(client);
    await storage.createBucket({ bucketId: 'pictures', name: 'Pictures' });
    await storage.createFile({ bucketId: 'pictures', fileId: 'pixel', file: InputFile.fromBuffer(PIXEL, 'pixel.png') });
    const preview = await server.request('/storage/buckets/pictures/files/pixel/preview?width=8&output=png', { project: PROJECT, key });
    assert.equal(preview.status, 200);
    assert.equal(preview.headers.get('content-type'), 'image/png');
    const avatars = new Avatars(client);
    const initials = Buffer.from(await avatars.getInitials({ name: 'First Request', width: 32, height: 32 }));
    const qr = Buffer.from(await avatars.getQR({ text: 'first', size: 64 }));
    for (const png of [initials, qr]) assert.equal(png.subarray(1, 4).toString(), 'PNG');
  });

  test('realtime: a socket connects and is told so', async () => {
    const { socket, connected } = await RealtimeSocket.connect(server.endpoint, `project=${PROJECT}&channels[]=files`);
    socket.socket.close();
    assert.equal(connected.type, 'connected');
  });
});
