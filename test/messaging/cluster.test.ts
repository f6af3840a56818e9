import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { after, before, describe, test } from 'node:test';
import { Messaging, MessageStatus, Users } from 'node-appwrite';
import type { Services } from '../../src/app/services.js';
import { eventually, servicesBeside } from '../messages/services.js';
import { TEST_DATABASE_URL } from '../support/databases.js';
import { BIN, TestServer } from '../support/plinth.js';
import { sdkClient } from '../support/sdk.js';
import { HttpStandIn } from './peers.js';

const PROJECT = 'twonodes';
const REDIS_URL = process.env.PLINTH_TEST_REDIS || 'redis://127.0.0.1:6379';
const MESSAGES = 8;
const PHONES = ['+14155550101', '+14155550102'];
const LEASE_MS = 600;

/** A `plinth worker` beside the server, on the same database and Redis: a second node taking jobs. */
async function startWorker(server: TestServer): Promise<ChildProcess> {
  const child = spawn(process.execPath, [BIN, 'worker'], { env: server.processEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}\n${lines.join('\n')}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      if (line.includes('Plinth worker is taking jobs')) resolve();
    });
  });
  return child;
}

// Many nodes share PostgreSQL: on SQLite each process owns its files, so this runs on PostgreSQL only.
describe('messaging on two nodes (PostgreSQL + Redis)', { skip: TEST_DATABASE_URL ? false : 'PostgreSQL only (PLINTH_TEST_DB)' }, () => {
  let server: TestServer;
  let worker: ChildProcess | undefined;
  let twilio: HttpStandIn;
  let beside: Services;
  let messaging: Messaging;

  /**
   * Whether the messaging job of one message has outlasted its first lease three times over, or
   * was taken over by another run, as seen in the shared queue.
   */
  let firstLease: number | undefined;
  let lastLease = 0;
  async function outlastedOrTaken(messageId: string): Promise<true | undefined> {
    const rows = await beside.deps.db.platform.selectFrom('jobs').select(['payload', 'locked_until', 'attempts']).where('queue', '=', 'messaging').execute();
    const row = rows.find((job) => (JSON.parse(job.payload) as { messageId?: string }).messageId === messageId);
    if (!row?.locked_until) return undefined;
    if (row.attempts > 1) return true;
    firstLease ??= Number(row.locked_until);
    lastLease = Number(row.locked_until);
    return lastLease - firstLease >= 3 * LEASE_MS ? true : undefined;
  }

  before(async () => {
    twilio = await HttpStandIn.start();
    twilio.answer = () => ({ status: 201, body: { sid: 'SM1' } });
    // A lease far shorter than the slow send below: only its renewals keep the job on one node.
    const env = {
      PLINTH_REDIS: REDIS_URL,
      PLINTH_REDIS_CHANNEL: `plinth:test:${randomUUID()}`,
      PLINTH_MESSAGING_BASE_URLS: `twilio=${twilio.url}`,
      PLINTH_JOB_LEASE_MS: String(LEASE_MS),
    };
    server = await TestServer.start({ process: true, env });
    await server.createProject(PROJECT);
    const key = await server.createKey(PROJECT);
    worker = await startWorker(server);
    beside = servicesBeside(server);
    messaging = new Messaging(sdkClient(server, PROJECT, key));
    await messaging.createTwilioProvider({ providerId: 'twilio', name: 'Twilio', from: '+15550001', accountSid: 'AC1', authToken: 'tok', enabled: true });
    const users = new Users(sdkClient(server, PROJECT, key));
    for (const [i, phone] of PHONES.entries()) await users.create({ userId: `u${i}`, phone });
  });
  after(async () => {
    if (worker && worker.exitCode === null) {
      const exited = new Promise((resolve) => worker!.once('exit', resolve));
      worker.kill('SIGTERM');
      await exited;
    }
    await beside?.close();
    await server?.stop();
    await twilio?.stop();
  });

  test('messages scheduled for one moment, with a server and a worker both taking jobs, reach each recipient exactly once', async () => {
    // The first message's provider stalls for three of its job's leases (or until another run
    // took the job, which the renewals must prevent): a send the other node must not take over.
    twilio.answer = async (request) => {
      if (new URLSearchParams(request.body).get('Body') === 'm0') await eventually(() => outlastedOrTaken('m0'), 30_000);
      return { status: 201, body: { sid: 'SM1' } };
    };
    const scheduledAt = new Date(Date.now() + 2000).toISOString();
    for (let i = 0; i < MESSAGES; i++) {
      await messaging.createSms({ messageId: `m${i}`, content: `m${i}`, users: ['u0', 'u1'], scheduledAt });
    }
    for (let i = 0; i < MESSAGES; i++) {
      const done = await eventually(async () => {
        const message = await messaging.getMessage({ messageId: `m${i}` });
        return message.status === MessageStatus.Sent || message.status === MessageStatus.Failed ? message : undefined;
      }, 60_000);
      assert.equal(done.status, MessageStatus.Sent, JSON.stringify(done.deliveryErrors));
      assert.equal(done.deliveredTotal, PHONES.length);
      assert.ok(Date.parse(done.deliveredAt!) >= Date.parse(scheduledAt));
    }
    // Every job is done and gone: nothing more can be sent.
    const left = await beside.deps.db.platform.selectFrom('jobs').select('id').where('queue', '=', 'messaging').execute();
    assert.deepEqual(left, []);

    const sent = twilio.requests.map((request) => {
      const form = new URLSearchParams(request.body);
      return `${form.get('Body')} ${form.get('To')}`;
    });
    const expected = Array.from({ length: MESSAGES }, (_, i) => PHONES.map((phone) => `m${i} ${phone}`)).flat();
    assert.deepEqual(sent.sort(), expected.sort());
    assert.ok(lastLease - firstLease! >= 3 * LEASE_MS, 'the slow send outlasted its first lease, which was renewed');
  });
});
