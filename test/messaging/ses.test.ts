import assert from 'node:assert/strict';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import sesLocalModule from 'aws-ses-v2-local';
import { ID, Messaging, MessageStatus, Storage, Users } from 'node-appwrite';
import { InputFile } from 'node-appwrite/file';
import { eventually } from '../messages/services.js';
import { TestServer } from '../support/plinth.js';
import { sdkClient } from '../support/sdk.js';

const PROJECT = 'sesmail';
// A CommonJS module: its default export arrives one level down.
const sesLocal = (sesLocalModule as unknown as { default: (config: { host: string; port: number }) => Promise<Server> }).default;

interface StoredEmail {
  from: string;
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { html?: string; text?: string };
  attachments: { filename: string; content: string }[];
}

/** Passes requests on to the emulator, noting each one's method and path. */
async function recordingProxy(target: string): Promise<{ url: string; paths: string[]; server: Server }> {
  const paths: string[] = [];
  const server = createServer((req, res) => {
    paths.push(`${req.method} ${req.url}`);
    const upstream = httpRequest(`${target}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(upstream);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  return { url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`, paths, server };
}

/** Amazon SES through a local emulator of its v2 API, reached with real SigV4 signatures. */
describe('messaging: email through SES', () => {
  let server: TestServer;
  let ses: Server;
  let sesUrl: string;
  let proxy: Awaited<ReturnType<typeof recordingProxy>>;
  let messaging: Messaging;
  let key: string;

  before(async () => {
    ses = await sesLocal({ host: '127.0.0.1', port: 0 });
    const address = ses.address();
    sesUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    proxy = await recordingProxy(sesUrl);
    server = await TestServer.start({ env: { PLINTH_MESSAGING_BASE_URLS: `ses=${proxy.url}` } });
    await server.createProject(PROJECT);
    key = await server.createKey(PROJECT);
    messaging = new Messaging(sdkClient(server, PROJECT, key));
    await messaging.createSesProvider({
      providerId: 'ses',
      name: 'SES',
      accessKey: 'AKIAEXAMPLE',
      secretKey: 'ses-secret',
      region: 'eu-west-1',
      fromName: 'Shop',
      fromEmail: 'shop@example.com',
      enabled: true,
    });
  });
  after(async () => {
    await server.stop();
    await new Promise<void>((done) => ses.close(() => done()));
    await new Promise<void>((done) => proxy.server.close(() => done()));
  });

  test('each recipient gets their own signed SendEmail, with the attachment', async () => {
    const users = new Users(sdkClient(server, PROJECT, key));
    await users.create({ userId: 'ada', email: 'ada@example.com' });
    await users.create({ userId: 'bob', email: 'bob@example.com' });
    const storage = new Storage(sdkClient(server, PROJECT, key));
    await storage.createBucket({ bucketId: 'docs', name: 'Docs' });
    await storage.createFile({ bucketId: 'docs', fileId: 'terms', file: InputFile.fromBuffer(Buffer.from('the terms'), 'terms.txt') });

    await messaging.createEmail({ messageId: ID.unique(), subject: 'Terms', content: '<p>Attached</p>', html: true, users: ['ada', 'bob'], attachments: ['docs:terms'] });
    const stored = await eventually(async () => {
      const store = (await (await fetch(`${sesUrl}/store`)).json()) as { emails: StoredEmail[] };
      return store.emails.length >= 2 ? store.emails : undefined;
    });
    assert.deepEqual(stored.map((email) => email.destination.to).sort(), [['ada@example.com'], ['bob@example.com']]);
    assert.equal(stored[0]!.subject, 'Terms');
    assert.equal(stored[0]!.from, 'Shop <shop@example.com>');
    assert.equal(stored[0]!.body.html, '<p>Attached</p>');
    assert.equal(stored[0]!.attachments[0]?.filename, 'terms.txt');
    const messages = await eventually(async () => {
      const list = await messaging.listMessages();
      return list.messages[0]?.status === MessageStatus.Sent ? list.messages : undefined;
    });
    assert.equal(messages[0]!.deliveredTotal, 2);
    assert.deepEqual(proxy.paths.splice(0), ['POST /v2/email/outbound-emails', 'POST /v2/email/outbound-emails']);
  });

  test('without attachments a batch is one SendBulkEmail, each entry to one recipient; braces in the content go one by one, untouched', async () => {
    await fetch(`${sesUrl}/clear-store`, { method: 'POST' });
    const users = new Users(sdkClient(server, PROJECT, key));
    const people = ['cy', 'di', 'ed'];
    for (const id of people) await users.create({ userId: id, email: `${id}@example.com` });
    await messaging.createEmail({ messageId: 'bulk', subject: 'News', content: 'Plain news', users: people });
    const sent = await eventually(async () => {
      const message = await messaging.getMessage({ messageId: 'bulk' });
      return message.status === MessageStatus.Draft || message.status === MessageStatus.Processing || message.status === MessageStatus.Scheduled ? undefined : message;
    });
    assert.equal(sent.status, MessageStatus.Sent, JSON.stringify(sent.deliveryErrors));
    assert.equal(sent.deliveredTotal, 3);
    assert.deepEqual(proxy.paths.splice(0), ['POST /v2/email/outbound-bulk-emails']);
    const stored = ((await (await fetch(`${sesUrl}/store`)).json()) as { emails: StoredEmail[] }).emails;
    assert.deepEqual(stored.map((email) => email.destination.to).sort(), people.map((id) => [`${id}@example.com`]));
    assert.ok(stored.every((email) => email.subject === 'News' && email.body.text === 'Plain news'));

    await messaging.createEmail({ messageId: 'braces', subject: 'Code', content: 'Use {{name}} here', users: ['cy'] });
    await eventually(async () => ((await messaging.getMessage({ messageId: 'braces' })).status === MessageStatus.Sent ? true : undefined));
    assert.deepEqual(proxy.paths.splice(0), ['POST /v2/email/outbound-emails']);
    const code = ((await (await fetch(`${sesUrl}/store`)).json()) as { emails: StoredEmail[] }).emails.find((email) => email.subject === 'Code');
    assert.equal(code?.body.text, 'Use {{name}} here');
  });
});
