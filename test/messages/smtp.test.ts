import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { simpleParser, type ParsedMail } from 'mailparser';
import { Project } from 'node-appwrite';
import { SMTPServer } from 'smtp-server';
import type { Services } from '../../src/app/services.js';
import { sendTemplatedMail, type TemplatedMail } from '../../src/services/messages/index.js';
import { TestMailbox } from '../support/mailbox.js';
import { TestServer } from '../support/plinth.js';
import { sdkClient } from '../support/sdk.js';
import { eventually, servicesBeside } from './services.js';

/** An SMTP server that answers 451 to the next `failures` messages, then accepts them. */
async function startFlakySmtp(username: string, password: string) {
  const state = { failures: 0, rejected: 0, received: [] as ParsedMail[] };
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth: (auth, _session, callback) =>
      auth.username === username && auth.password === password ? callback(null, { user: username }) : callback(new Error('Invalid login')),
    onData(stream, _session, callback) {
      simpleParser(stream).then((mail) => {
        if (state.failures > 0) {
          state.failures--;
          state.rejected++;
          callback(Object.assign(new Error('Try again later'), { responseCode: 451 }));
          return;
        }
        state.received.push(mail);
        callback();
      }, callback);
    },
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { state, port, stop: () => new Promise<void>((done) => server.close(() => done())) };
}

describe('mail through PLINTH_SMTP_URL and project SMTP', () => {
  let server: TestServer;
  let services: Services;
  let relay: Awaited<ReturnType<typeof startFlakySmtp>>;
  let projectMailbox: TestMailbox;

  const otpMail = (otp: string): TemplatedMail => ({
    projectId: 'shop',
    template: 'otpSession',
    to: { email: 'ada@example.com', name: 'Ada Lovelace' },
    variables: { otp, user: 'Ada', project: 'Shop' },
  });

  before(async () => {
    [relay, projectMailbox] = await Promise.all([
      startFlakySmtp('relay user', 'p@ss:word'),
      TestMailbox.start({ username: 'shop', password: 'shop-secret' }),
    ]);
    server = await TestServer.start({
      env: {
        PLINTH_SMTP_URL: `smtp://relay%20user:p%40ss%3Aword@127.0.0.1:${relay.port}`,
        PLINTH_SMTP_FROM: '"Shop Alerts" <alerts@example.com>',
      },
    });
    await server.createProject('shop');
    services = servicesBeside(server);
  });
  after(async () => {
    await services.close();
    await server.stop();
    await relay.stop();
    await projectMailbox.stop();
  });

  it('delivers through PLINTH_SMTP_URL with its credentials and sender', async () => {
    await sendTemplatedMail(services.deps, otpMail('118822'));
    const [mail] = await eventually(() => (relay.state.received.length > 0 ? relay.state.received : undefined));
    assert.equal(mail?.from?.value[0]?.address, 'alerts@example.com');
    assert.equal(mail?.from?.value[0]?.name, 'Shop Alerts');
    assert.equal(mail?.to && !Array.isArray(mail.to) ? mail.to.value[0]?.name : '', 'Ada Lovelace');
    assert.equal(mail?.subject, 'OTP for Shop Login');
    assert.match(mail?.text ?? '', /118822/);
    assert.match(String(mail?.html), /<p>118822<\/p>/);
  });

  it('retries when the SMTP server refuses, keeping the code encrypted in the job meanwhile', async () => {
    relay.state.failures = 1;
    const before = relay.state.received.length;
    await sendTemplatedMail(services.deps, otpMail('550199'));
    const rows = await services.deps.db.platform.selectFrom('jobs').selectAll().where('queue', '=', 'mails').execute();
    assert.ok(rows.length > 0);
    assert.ok(rows.every((row) => !row.payload.includes('550199') && !row.payload.includes('ada@example.com')));

    await eventually(() => (relay.state.rejected > 0 ? true : undefined));
    await eventually(() => (relay.state.received.length > before ? true : undefined));
    assert.match(relay.state.received.at(-1)?.text ?? '', /550199/);
    assert.ok(server.logs.some((line) => line.includes('"job failed"') && line.includes('"queue":"mails"')));
    // The server is still up and the job is gone.
    assert.equal((await server.request('/health/version')).status, 200);
    await eventually(async () => ((await services.deps.queue.pendingCount('mails')) === 0 ? true : undefined));
    assert.equal(await services.deps.queue.failedCount('mails'), 0);
  });

  it("prefers the project's own SMTP server once it is enabled", async () => {
    const project = new Project(sdkClient(server, 'shop', await server.createKey('shop', 'project.read,project.write')));
    await project.updateSMTP({
      host: '127.0.0.1', port: projectMailbox.port, username: 'shop', password: 'shop-secret',
      senderEmail: 'hello@shop.example', senderName: 'Shop', replyToEmail: 'help@shop.example', replyToName: 'Help', enabled: true,
    });
    const relayed = relay.state.received.length;
    await sendTemplatedMail(services.deps, {
      projectId: 'shop',
      template: 'invitation',
      to: { email: 'bob@example.com', name: 'Bob' },
      variables: { url: 'https://shop.example/join?secret=inv-77', user: 'Bob', inviter: 'Ada', team: 'Owners', project: 'Shop' },
    });
    const [mail] = await projectMailbox.waitFor(1);
    assert.equal(mail?.from?.value[0]?.address, 'hello@shop.example');
    assert.equal(mail?.replyTo?.value[0]?.address, 'help@shop.example');
    assert.equal(mail?.subject, 'Invitation to Owners Team at Shop');
    assert.match(mail?.text ?? '', /https:\/\/shop\.example\/join\?secret=inv-77/);
    assert.equal(relay.state.received.length, relayed);
  });
});
