// The baseline of bench:messaging, run as a process of its own: the same batch sent by a plain script
// with the libraries Plinth uses (nodemailer, web-push), as an application would without a server.
// Mail: `smtp <port> <count>`, 1,000 recipients in Bcc per mail, 10 mails in flight over a pool.
// Push: `webpush <subscriptions.json> <publicKey> <privateKey>`, 100 notifications in flight.
// Prints one JSON line: the milliseconds from the first send to the last answer, and peak RSS growth.
import { readFile } from 'node:fs/promises';
import nodemailer from 'nodemailer';
import webpush from 'web-push';

const MAIL_BATCH = 1000;
const MAILS_IN_FLIGHT = 10;
const PUSHES_IN_FLIGHT = 100;

async function inParallel(count: number, limit: number, work: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, count) }, async () => {
      while (next < count) await work(next++);
    }),
  );
}

async function sendMail(port: number, count: number): Promise<void> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, pool: true });
  const address = (i: number) => `r${String(i).padStart(6, '0')}@example.com`;
  await inParallel(Math.ceil(count / MAIL_BATCH), MAILS_IN_FLIGHT, async (batch) => {
    const start = batch * MAIL_BATCH;
    const bcc = Array.from({ length: Math.min(MAIL_BATCH, count - start) }, (_, i) => address(start + i));
    await transport.sendMail({ from: 'shop@example.com', bcc, subject: 'Sale', text: 'Everything must go' });
  });
  transport.close();
}

async function sendPush(file: string, publicKey: string, privateKey: string): Promise<void> {
  const subscriptions = JSON.parse(await readFile(file, 'utf8')) as webpush.PushSubscription[];
  const payload = JSON.stringify({ title: 'Sale', body: 'Everything must go' });
  await inParallel(subscriptions.length, PUSHES_IN_FLIGHT, async (index) => {
    // web-push's own sender speaks https only; the push service here is plain http on loopback.
    const details = webpush.generateRequestDetails(subscriptions[index]!, payload, {
      vapidDetails: { subject: 'mailto:ops@example.com', publicKey, privateKey },
      TTL: 2419200,
      contentEncoding: 'aes128gcm',
    });
    // A broken connection is tried again, as Plinth does.
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await fetch(details.endpoint, { method: details.method, headers: details.headers as Record<string, string>, body: details.body ?? null });
        await response.text();
        if (response.status !== 201) throw new Error(`push service answered ${response.status}`);
        return;
      } catch (error) {
        if (attempt === 3 || (error as Error).message !== 'fetch failed') throw error;
      }
    }
  });
}

const [mode, ...args] = process.argv.slice(2);
const rssBefore = process.memoryUsage().rss;
let rssPeak = rssBefore;
const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 50);
const started = performance.now();
if (mode === 'smtp') await sendMail(Number(args[0]), Number(args[1]));
else if (mode === 'webpush') await sendPush(args[0]!, args[1]!, args[2]!);
else throw new Error(`unknown mode ${mode}`);
const ms = performance.now() - started;
clearInterval(sampler);
rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
process.stdout.write(`${JSON.stringify({ ms, rssGrowthMb: (rssPeak - rssBefore) / 2 ** 20 })}\n`);
