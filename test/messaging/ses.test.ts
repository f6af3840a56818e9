import assert from 'node:assert/strict';
import type { Server } from 'node:http';
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

/** Amazon SES through a local emulator of its v2 API, reached with real SigV4 signatures. */
describe('messaging: email through SES', () => {
  let server: TestServer;
  let ses: Server;
  let sesUrl: string;
  let messaging: Messaging;
  let key: string;

  before(async () => {
    ses = await sesLocal({ host: '127.0.0.1', port: 0 });
    const address = ses.address();
    sesUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    server = await TestServer.start({ env: { PLINTH_MESSAGING_BASE_URLS: `ses=${sesUrl}` } });
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
  });
});
