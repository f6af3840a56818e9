import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Messaging, MessageStatus, Users } from 'node-appwrite';
import { eventually } from '../messages/services.js';
import { TestServer } from '../support/plinth.js';
import { sdkClient } from '../support/sdk.js';
import { HttpStandIn } from './peers.js';

const PROJECT = 'crashy';

// The process itself is under test: it dies with kill -9 while a message waits in its queue.
describe('messaging: a killed server delivers its waiting messages once after a restart', () => {
  let server: TestServer;
  let twilio: HttpStandIn;
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
    server = await TestServer.start({ process: true, env: { PLINTH_MESSAGING_BASE_URLS: `twilio=${twilio.url}` } });
    await server.createProject(PROJECT);
    key = await server.createKey(PROJECT);
    await messaging().createTwilioProvider({ providerId: 'twilio', name: 'Twilio', from: '+15550001', accountSid: 'AC1', authToken: 'tok', enabled: true });
    const users = new Users(sdkClient(server, PROJECT, key));
    await users.create({ userId: 'ann', phone: '+14155550101' });
    await users.create({ userId: 'ben', phone: '+14155550102' });
  });
  after(async () => {
    await server?.stop();
    await twilio?.stop();
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
});
