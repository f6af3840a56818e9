// `npm run bench:webhooks`: 1,000 document creations, each delivered by a webhook to a receiver on
// loopback. Reports deliveries per second (first creation sent to last delivery received) and the
// delay from each document's commit (its `$createdAt`) to its delivery. BENCH_EVENTS (1000) sets
// the count, BENCH_CONCURRENCY (20) the creations in flight; PLINTH_BENCH_DB=postgres://… runs on PostgreSQL.
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { cleanupOnSignals, createCleanup } from './cleanup.js';
import { expect, waitForSchema } from './documents.js';
import { Latencies } from './latencies.js';
import { startBenchProject } from './plinth.js';
import { resultsFile, runBench, writeResults } from './results.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS = resultsFile('webhooks.md');
const EVENTS = Number(process.env.BENCH_EVENTS ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 20);

const log = (message: string) => process.stderr.write(`[bench:webhooks] ${message}\n`);

/** Counts deliveries and their delay from the commit the payload names; resolves when `expected` arrived. */
async function startReceiver(expected: number) {
  const delays = new Latencies();
  const seen = new Set<string>();
  let duplicates = 0;
  let lastAt = 0;
  let done: () => void = () => {};
  const all = new Promise<void>((resolve) => (done = resolve));
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const receivedAt = Date.now();
      response.writeHead(200).end('ok');
      const payload = JSON.parse(Buffer.concat(chunks).toString()) as { $id: string; $createdAt: string };
      if (seen.has(payload.$id)) return void duplicates++;
      seen.add(payload.$id);
      delays.add(receivedAt - Date.parse(payload.$createdAt));
      lastAt = receivedAt;
      if (seen.size === expected) done();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return { url, all, delays, duplicates: () => duplicates, lastAt: () => lastAt, close: () => server.close() };
}

async function main(): Promise<void> {
  const databaseUrl = process.env.PLINTH_BENCH_DB || undefined;
  const cleanup = createCleanup();
  cleanupOnSignals(cleanup);
  const receiver = await startReceiver(EVENTS);
  cleanup.defer(() => void receiver.close());
  try {
    // The receiver is on loopback, which user-given URLs may not reach unless the operator allows it.
    process.env.PLINTH_ALLOW_PRIVATE_URLS = 'true';
    const { plinth, headers } = await startBenchProject(ROOT, cleanup, databaseUrl);

    const collectionUrl = `${plinth.url}/v1/databases/bench/collections/posts`;
    await expect('POST', `${plinth.url}/v1/databases`, headers, 201, { databaseId: 'bench', name: 'Bench' });
    await expect('POST', `${plinth.url}/v1/databases/bench/collections`, headers, 201, { collectionId: 'posts', name: 'Posts' });
    await expect('POST', `${collectionUrl}/attributes/string`, headers, 202, { key: 'title', size: 128, required: true });
    await waitForSchema(collectionUrl, headers);
    await expect('POST', `${plinth.url}/v1/webhooks`, headers, 201, {
      webhookId: 'bench',
      url: receiver.url,
      name: 'Bench',
      events: ['databases.*.collections.*.documents.*.create'],
    });

    log(`creating ${EVENTS} documents, ${CONCURRENCY} at a time`);
    const started = Date.now();
    let next = 0;
    const creator = async () => {
      while (next < EVENTS) {
        const i = next++;
        await expect('POST', `${collectionUrl}/documents`, headers, 201, { documentId: `post${i}`, data: { title: `Post ${i}` } });
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, creator));
    const createdIn = (Date.now() - started) / 1000;
    log('waiting for the deliveries');
    await receiver.all;
    const deliveredIn = (receiver.lastAt() - started) / 1000;
    const [p50, p99, max] = receiver.delays.percentiles(50, 99, 100);

    const lines = [
      '# Webhook deliveries',
      '',
      `${databaseUrl ? 'PostgreSQL' : 'SQLite'}, ${EVENTS} document creations (${CONCURRENCY} in flight, API key), one webhook on their create event, a receiver on loopback answering 200.`,
      '',
      '| measure | value |',
      '|---|---|',
      `| creations per second | ${Math.round(EVENTS / createdIn)} |`,
      `| deliveries per second (first creation to last delivery) | ${Math.round(EVENTS / deliveredIn)} |`,
      `| commit to delivery p50 ms | ${Math.round(p50!)} |`,
      `| commit to delivery p99 ms | ${Math.round(p99!)} |`,
      `| commit to delivery max ms | ${Math.round(max!)} |`,
      `| duplicate deliveries | ${receiver.duplicates()} |`,
      '',
    ];
    const markdown = lines.join('\n');
    await writeResults(RESULTS, markdown);
  } finally {
    await cleanup.run();
  }
}

await runBench('bench:webhooks', main);
