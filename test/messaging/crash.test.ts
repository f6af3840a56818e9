import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Messaging, MessageStatus, Users } from 'node-appwrite';
import type { Services } from '../../src/app/services.js';
import { eventually, servicesBeside } from '../messages/services.js';
import { TestServer } from '../support/plinth.js';
import { sdkClient } from '../support/sdk.js';
import { HttpStandIn, SmtpCatcher } from './peers.js';

const PROJECT = 'crashy';
/** Three SMTP batches (1,000 recipients each at most), all in flight at once. */
const CROWD = 2500;

// The process itself is under test: it dies with kill -9 while a message waits in its queue.
describe('messaging: a killed server delivers its waiting messages once after a restart', () => {
  let server: TestServer;
  let twilio: HttpStandIn;
  let smtp: SmtpCatcher;
  let beside: Services;
  let key: string;
  const messaging = () => new Messaging(sdkClient(server, PROJECT, key));
  const sentTo = () => twilio.requests.map((request) => new URLSearchParams(request.body).get('To'));
  const finished = (messageId: string) =>
    eventually(async () => {
      const message = await messaging().getMessage({ messageId });
      return message.status === MessageStatus.Sent || message.status === MessageStatus.Failed ? message : undefined;
    }, 30_000);

  before(async () => {
    twilio = await HttpStandIn.start();
    twilio.answer = () => ({ status: 201, body: { sid: 'SM1' } });
    smtp = await SmtpCatcher.start();
    // A short lease: a killed server's job is taken again within 2 s of the restart.
    server = await TestServer.start({ process: true, env: { PLINTH_MESSAGING_BASE_URLS: `twilio=${twilio.url}`, PLINTH_JOB_LEASE_MS: '2000' } });
    await server.createProject(PROJECT);
    key = await server.createKey(PROJECT);
    await messaging().createTwilioProvider({ providerId: 'twilio', name: 'Twilio', from: '+15550001', accountSid: 'AC1', authToken: 'tok', enabled: true });
    const users = new Users(sdkClient(server, PROJECT, key));
    await users.create({ userId: 'ann', phone: '+14155550101' });
    await users.create({ userId: 'ben', phone: '+14155550102' });
    await messaging().createSMTPProvider({
      providerId: 'mail',
      name: 'Mail',
      host: '127.0.0.1',
      port: smtp.port,
      username: 'mailer',
      password: 'mail-secret',
      fromEmail: 'shop@example.com',
      enabled: true,
    });
    // One user with many addresses: written straight to the store, as thousands of API calls would be slow.
    await users.create({ userId: 'crowd' });
    beside = servicesBeside(server);
    const now = new Date().toISOString();
    const rows = Array.from({ length: CROWD }, (_, i) => {
      const n = String(i).padStart(5, '0');
      return { id: `t${n}`, user_id: 'crowd', name: '', provider_id: null, provider_type: 'email', identifier: `r${n}@example.com`, expired: 0, created_at: now, updated_at: now };
    });
    for (let start = 0; start < rows.length; start += 500) {
      await beside.deps.db.project(PROJECT).insertInto('targets').values(rows.slice(start, start + 500)).execute();
    }
  });
  after(async () => {
    await beside?.close();
    await server?.stop();
    await twilio?.stop();
    await smtp?.stop();
  });

  test('a message scheduled 2 s ahead, its server killed before then, is sent once by the restarted server', async () => {
    const scheduledAt = new Date(Date.now() + 2000).toISOString();
    await messaging().createSms({ messageId: 'later', content: 'Soon', users: ['ann', 'ben'], scheduledAt });
    await server.restart('SIGKILL');
    const done = await finished('later');
    assert.equal(done.status, MessageStatus.Sent, JSON.stringify(done.deliveryErrors));
    assert.equal(done.deliveredTotal, 2);
    assert.deepEqual(sentTo().sort(), ['+14155550101', '+14155550102']);
    assert.ok(Date.parse(done.deliveredAt!) >= Date.parse(scheduledAt));
    twilio.take();
  });

  test('a message queued on a node without workers, which is then killed, is sent once when a node with workers starts', async () => {
    server.env.PLINTH_WORKERS = 'off';
    await server.restart();
    await messaging().createSms({ messageId: 'queued', content: 'Now', users: ['ann'] });
    assert.equal((await messaging().getMessage({ messageId: 'queued' })).status, MessageStatus.Processing);
    delete server.env.PLINTH_WORKERS;
    await server.restart('SIGKILL');
    const done = await finished('queued');
    assert.equal(done.status, MessageStatus.Sent, JSON.stringify(done.deliveryErrors));
    assert.deepEqual(sentTo(), ['+14155550101']);
    // Killed again after the delivery: nothing is sent a second time.
    await server.restart('SIGKILL');
    await messaging().createSms({ messageId: 'marker', content: 'After', users: ['ben'] });
    await finished('marker');
    assert.deepEqual(sentTo(), ['+14155550101', '+14155550102']);
  });

  test('a server killed in the middle of a large batch: after the restart every recipient has the mail, and only batches in flight at the kill may arrive twice', async (t) => {
    // Two batches are taken by the mail server; the third stalls unanswered, and then the sender dies.
    smtp.holdAfter = 2;
    await messaging().createEmail({ messageId: 'crowd', subject: 'Sale', content: 'Everything must go', users: ['crowd'] });
    await smtp.until(() => smtp.caught.length === 2 && smtp.held.length === 1);
    const takenBeforeKill = new Set(smtp.caught.flatMap((mail) => mail.rcptTo));
    const stalled = smtp.held[0]!;
    await server.kill('SIGKILL');
    smtp.holdAfter = undefined;
    await server.restart();

    const done = await finished('crowd');
    assert.equal(done.status, MessageStatus.Sent, JSON.stringify(done.deliveryErrors));
    assert.equal(done.deliveredTotal, CROWD);
    const received = new Map<string, number>();
    for (const rcpt of smtp.caught.flatMap((mail) => mail.rcptTo)) received.set(rcpt, (received.get(rcpt) ?? 0) + 1);
    assert.equal(received.size, CROWD, 'every recipient got the mail');
    const twice = [...received].filter(([, count]) => count > 1).map(([rcpt]) => rcpt);
    assert.ok(twice.every((rcpt) => takenBeforeKill.has(rcpt)), 'only a batch the server took before the kill may come again');
    assert.ok([...received].every(([, count]) => count <= 2));
    assert.ok(stalled.every((rcpt) => received.get(rcpt) === 1), 'the stalled batch, never taken, arrives once');
    t.diagnostic(`${twice.length} of ${CROWD} recipients got the mail twice (their batch was taken, its answer not yet recorded)`);
  });
});
