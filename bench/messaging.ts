// `npm run bench:messaging`: one email message to 100,000 targets through an SMTP provider into a real
// SMTP server (smtp-server), and one push message to 10,000 Web Push subscriptions into a push service
// (web-push-testing, which checks and decrypts each one). Reports recipients reached per second, from
// the API call that creates the message to the last recipient the receiver took, and the server's
// peak RSS growth while it sends; the same batches sent in the same run by a plain script with the same
// libraries (bench/messaging-baseline.ts) are the baseline. BENCH_EMAILS (100000) and BENCH_PUSHES
// (10000) set the counts; PLINTH_BENCH_DB=postgres://… runs on PostgreSQL.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import webpush from 'web-push';
import { openDatabase } from '../src/data/open-database.js';
import { cleanupOnSignals, createCleanup } from './cleanup.js';
import { expect } from './documents.js';
import { startPushSink, startSmtpSink, type ArrivalCounter, type PushSubscriptionJson } from './messaging-sinks.js';
import { PROJECT_ID, startBenchProject } from './plinth.js';
import { readStatusKb } from './proc.js';
import { runNode } from './processes.js';
import { resultsFile, runBench, writeResults } from './results.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS = resultsFile('messaging.md');
const EMAILS = Number(process.env.BENCH_EMAILS ?? 100_000);
const PUSHES = Number(process.env.BENCH_PUSHES ?? 10_000);
const INSERT_ROWS = 1000;

const log = (message: string) => process.stderr.write(`[bench:messaging] ${message}\n`);

interface Run {
  ms: number;
  rssGrowthMb: number;
}

/** Writes the targets straight into the project's store: 100,000 API calls would time the seeding, not the sending. */
async function seedTargets(dataDir: string, databaseUrl: string | undefined, emails: number, subscriptions: PushSubscriptionJson[]): Promise<void> {
  const db = openDatabase({ url: databaseUrl, dataDir });
  try {
    const store = db.project(PROJECT_ID);
    const now = new Date().toISOString();
    const row = (id: string, providerType: string, identifier: string, providerId: string | null) => ({
      id,
      user_id: 'crowd',
      name: '',
      provider_id: providerId,
      provider_type: providerType,
      identifier,
      expired: 0,
      created_at: now,
      updated_at: now,
    });
    const rows = [
      ...Array.from({ length: emails }, (_, i) => row(`e${String(i).padStart(6, '0')}`, 'email', `r${String(i).padStart(6, '0')}@example.com`, null)),
      ...subscriptions.map((subscription, i) => row(`p${String(i).padStart(6, '0')}`, 'push', JSON.stringify(subscription), 'web')),
    ];
    for (let start = 0; start < rows.length; start += INSERT_ROWS) await store.insertInto('targets').values(rows.slice(start, start + INSERT_ROWS)).execute();
  } finally {
    await db.close();
  }
}

/** Sends one message through Plinth and waits for its last recipient, sampling the server's RSS meanwhile. */
async function sendThroughPlinth(pid: number, create: () => Promise<void>, arrivals: ArrivalCounter, expected: number, done: () => Promise<void>): Promise<Run> {
  arrivals.reset();
  const rssBefore = (await readStatusKb(pid, 'VmRSS')) ?? 0;
  let rssPeak = rssBefore;
  const sampler = setInterval(() => void readStatusKb(pid, 'VmRSS').then((kb) => (rssPeak = Math.max(rssPeak, kb ?? 0))), 50);
  const started = performance.now();
  await create();
  try {
    await done();
  } finally {
    clearInterval(sampler);
  }
  await arrivals.reached(expected);
  const ms = arrivals.lastAt - started;
  return { ms, rssGrowthMb: (rssPeak - rssBefore) / 1024 };
}

async function sendByBaseline(args: string[], arrivals: ArrivalCounter, expected: number): Promise<Run> {
  arrivals.reset();
  const stdout = await runNode(['--import', 'tsx', 'bench/messaging-baseline.ts', ...args], { cwd: ROOT, env: process.env, timeoutMs: 30 * 60_000 });
  if (arrivals.count !== expected) throw new Error(`the baseline reached ${arrivals.count} of ${expected}`);
  return JSON.parse(stdout.trim().split('\n').pop()!) as Run;
}

async function main(): Promise<void> {
  const databaseUrl = process.env.PLINTH_BENCH_DB || undefined;
  const cleanup = createCleanup();
  cleanupOnSignals(cleanup);
  const smtp = await startSmtpSink();
  cleanup.defer(() => smtp.close());
  const push = await startPushSink();
  cleanup.defer(() => push.close());
  try {
    // The push service is on loopback, which user-given URLs may not reach unless the operator allows it.
    process.env.PLINTH_ALLOW_PRIVATE_URLS = 'true';
    const { dataDir, plinth, headers } = await startBenchProject(ROOT, cleanup, databaseUrl);
    const api = `${plinth.url}/v1`;
    const vapid = webpush.generateVAPIDKeys();

    await expect('POST', `${api}/messaging/providers/smtp`, headers, 201, { providerId: 'mail', name: 'Mail', host: '127.0.0.1', port: smtp.port, fromEmail: 'shop@example.com', enabled: true });
    await expect('POST', `${api}/messaging/providers/webpush`, headers, 201, {
      providerId: 'web',
      name: 'Browsers',
      subject: 'mailto:ops@example.com',
      vapidPublicKey: vapid.publicKey,
      vapidPrivateKey: vapid.privateKey,
      enabled: true,
    });
    await expect('POST', `${api}/users`, headers, 201, { userId: 'crowd', name: 'Crowd' });
    log(`subscribing ${PUSHES} browsers, writing ${EMAILS} email and ${PUSHES} push targets`);
    const subscriptions: PushSubscriptionJson[] = [];
    for (let i = 0; i < PUSHES; i++) subscriptions.push(await push.subscribe(vapid.publicKey));
    await seedTargets(dataDir, databaseUrl, EMAILS, subscriptions);
    const subscriptionsFile = join(dataDir, 'subscriptions.json');
    await writeFile(subscriptionsFile, JSON.stringify(subscriptions));

    const finished = (messageId: string) => async () => {
      for (;;) {
        const answer = await expect('GET', `${api}/messaging/messages/${messageId}`, headers, 200);
        const message = JSON.parse(answer.body) as { status: string; deliveredTotal: number; deliveryErrors: string[] };
        if (message.status === 'sent') return;
        if (message.status === 'failed') throw new Error(`${messageId} failed: ${JSON.stringify(message.deliveryErrors.slice(0, 3))}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };

    log(`email to ${EMAILS} through Plinth`);
    const mailPlinth = await sendThroughPlinth(
      plinth.child.pid,
      () => expect('POST', `${api}/messaging/messages/email`, headers, 201, { messageId: 'mail', subject: 'Sale', content: 'Everything must go', users: ['crowd'] }).then(() => {}),
      smtp.recipients,
      EMAILS,
      finished('mail'),
    );
    log(`email to ${EMAILS} by the plain script`);
    const mailBaseline = await sendByBaseline(['smtp', String(smtp.port), String(EMAILS)], smtp.recipients, EMAILS);
    log(`push to ${PUSHES} through Plinth`);
    const pushPlinth = await sendThroughPlinth(
      plinth.child.pid,
      () => expect('POST', `${api}/messaging/messages/push`, headers, 201, { messageId: 'push', title: 'Sale', body: 'Everything must go', users: ['crowd'] }).then(() => {}),
      push.notifications,
      PUSHES,
      finished('push'),
    );
    log(`push to ${PUSHES} by the plain script`);
    const pushBaseline = await sendByBaseline(['webpush', subscriptionsFile, vapid.publicKey, vapid.privateKey], push.notifications, PUSHES);

    const perSecond = (count: number, run: Run) => Math.round(count / (run.ms / 1000));
    const row = (name: string, count: number, plinthRun: Run, baseline: Run) =>
      `| ${name} | ${perSecond(count, plinthRun)} | ${perSecond(count, baseline)} | ${(baseline.ms / plinthRun.ms).toFixed(2)}× | ${Math.round(plinthRun.rssGrowthMb)} | ${Math.round(baseline.rssGrowthMb)} |`;
    const markdown = [
      '# Messaging delivery',
      '',
      `${databaseUrl ? 'PostgreSQL' : 'SQLite'}, receivers on loopback in the bench process: one email message to ${EMAILS} targets through an SMTP provider (smtp-server),`,
      `one push message to ${PUSHES} Web Push subscriptions (web-push-testing, decrypting each). Plinth is timed from the create call to the last`,
      'recipient taken, its RSS sampled every 50 ms; the baseline is a plain script sending the same batches with nodemailer and web-push.',
      '',
      '| message | Plinth recipients/s | plain script recipients/s | Plinth / plain | Plinth peak RSS growth MB | plain script peak RSS growth MB |',
      '|---|---|---|---|---|---|',
      row(`email, ${EMAILS} targets`, EMAILS, mailPlinth, mailBaseline),
      row(`push, ${PUSHES} targets`, PUSHES, pushPlinth, pushBaseline),
      '',
    ].join('\n');
    await writeResults(RESULTS, markdown);
  } finally {
    await cleanup.run();
  }
}

await runBench('bench:messaging', main);
