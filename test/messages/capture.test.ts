import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Services } from '../../src/app/services.js';
import { sendSms, sendTemplatedMail, type CapturedMail, type CapturedSms } from '../../src/services/messages/index.js';
import { TestServer } from '../support/plinth.js';
import { eventually, servicesBeside } from './services.js';

describe('mail and SMS captured to files when no server is configured', () => {
  let server: TestServer;
  let services: Services;

  before(async () => {
    server = await TestServer.start();
    await server.createProject('inbox');
    services = servicesBeside(server);
  });
  after(async () => {
    await services.close();
    await server.stop();
  });

  async function capturedMail(count: number): Promise<CapturedMail[]> {
    return eventually(async () => {
      const mails = await server.cliJson<CapturedMail[]>(['mail', 'list', '--project', 'inbox']);
      return mails.length >= count ? mails : undefined;
    });
  }

  it('writes each mail to a file that plinth mail list shows', async () => {
    await sendTemplatedMail(services.deps, {
      projectId: 'inbox',
      template: 'verification',
      to: { email: 'ada@example.com', name: 'Ada' },
      variables: { url: 'https://app.example.com/verify?secret=tok-first-123', user: 'Ada', project: 'Inbox' },
    });
    await sendTemplatedMail(services.deps, {
      projectId: 'inbox',
      template: 'otpSession',
      locale: 'fr',
      to: { email: 'bob@example.com', name: 'Bob' },
      variables: { otp: '493021', user: '<b>Bob</b>', project: 'Inbox' },
    });
    // Delivered by concurrent workers, so in either order.
    const mails = await capturedMail(2);
    const first = mails.find((mail) => mail.to === 'ada@example.com');
    const second = mails.find((mail) => mail.to === 'bob@example.com');
    assert.equal(first?.to, 'ada@example.com');
    assert.equal(first?.from, 'Plinth <noreply@localhost>');
    assert.equal(first?.template, 'verification');
    assert.equal(first?.subject, 'Account Verification for Inbox');
    assert.match(first?.text ?? '', /https:\/\/app\.example\.com\/verify\?secret=tok-first-123/);
    assert.match(first?.html ?? '', /<a href="https:\/\/app\.example\.com\/verify\?secret=tok-first-123">/);
    assert.match(first?.createdAt ?? '', /^\d{4}-\d{2}-\d{2}T/);
    assert.ok(first?.id);
    // An unknown locale falls back to English; values are escaped in HTML only.
    assert.equal(second?.subject, 'OTP for Inbox Login');
    assert.match(second?.text ?? '', /<b>Bob<\/b>/);
    assert.match(second?.html ?? '', /&lt;b&gt;Bob&lt;\/b&gt;/);
    assert.match(second?.html ?? '', /493021/);

    const text = await server.cli(['mail', 'list', '--project', 'inbox']);
    assert.equal(text.code, 0);
    const lines = text.stdout.trim().split('\n');
    assert.equal(lines.length, 2);
    assert.ok(lines.some((line) => /otpSession\tbob@example\.com\tOTP for Inbox Login$/.test(line)), text.stdout);
  });

  it('logs one line per captured mail with the file, never the link or the code', async () => {
    const lines = await eventually(() => {
      const found = server.logs.filter((line) => line.includes('"mail captured"'));
      return found.length >= 2 ? found : undefined;
    });
    // The worker may deliver the two jobs in either order.
    const entries = lines.map((line) => JSON.parse(line) as { to: string; subject: string; path: string });
    const entry = entries.find((candidate) => candidate.to === 'ada@example.com');
    assert.ok(entry, JSON.stringify(entries));
    assert.equal(entry.subject, 'Account Verification for Inbox');
    assert.ok(entry.path.startsWith(join(server.dataDir, 'mail', 'inbox')));
    const stored = JSON.parse(await readFile(entry.path, 'utf8')) as CapturedMail;
    assert.equal(stored.template, 'verification');
    const logs = server.logs.join('\n');
    assert.ok(!logs.includes('tok-first-123'));
    assert.ok(!logs.includes('493021'));
  });

  it('captures text messages for plinth sms list, and logs them without the text', async () => {
    await sendSms(services.deps, { projectId: 'inbox', to: '+15550001111', text: 'Your code is 771204' });
    const [sms] = await eventually(async () => {
      const list = await server.cliJson<CapturedSms[]>(['sms', 'list', '--project', 'inbox']);
      return list.length > 0 ? list : undefined;
    });
    assert.equal(sms?.to, '+15550001111');
    assert.equal(sms?.text, 'Your code is 771204');
    assert.match(sms?.createdAt ?? '', /^\d{4}-/);
    const text = await server.cli(['sms', 'list', '--project', 'inbox']);
    assert.match(text.stdout, /\+15550001111\tYour code is 771204/);
    const line = await eventually(() => server.logs.find((l) => l.includes('"sms captured"')));
    assert.match(line, /"to":"\+15550001111"/);
    assert.ok(!server.logs.join('\n').includes('771204'));
  });

  it('lists nothing for a project without captures, and refuses a path as project', async () => {
    assert.deepEqual(await server.cliJson(['mail', 'list', '--project', 'quiet']), []);
    assert.match((await server.cli(['sms', 'list', '--project', 'quiet'])).stdout, /No captured text messages/);
    const bad = await server.cli(['mail', 'list', '--project', '../secret']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /not a project id/);
    const missing = await server.cli(['mail', 'list']);
    assert.match(missing.stderr, /--project is required/);
  });
});
