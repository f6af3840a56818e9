// Database scenarios: a `posts` collection seeded with SEED_COUNT documents, then create, get, list and update under load.
import { Agent, request } from 'node:http';
import { sleep } from './http.js';
import { runLoad, type LoadResult, type LoadSettings } from './load.js';

const DATABASE_ID = 'bench';
const COLLECTION_ID = 'posts';
export const SEED_COUNT = 100_000;
/** rank = i % RANKS, so the filtered list matches SEED_COUNT / RANKS documents (100). */
const RANKS = 1000;
const LISTED_RANK = 42;
/** Appwrite's bulk create takes up to 100 documents a call. */
const BULK_BATCH = 100;
/** In-flight requests while seeding: enough to keep the server busy, few enough not to queue for seconds. */
const SEED_CONCURRENCY = 16;
const SCHEMA_TIMEOUT_MS = 60_000;
const BODY_TEXT = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. '.repeat(2);

export interface Seeding {
  engine: string;
  documents: number;
  ms: number;
  /** `bulk` when the server took `documents` arrays, else `single` creates. */
  method: 'bulk' | 'single';
}

interface Answer {
  status: number;
  body: string;
}

// Keep-alive: seeding sends 100,000 requests, which one connection each would spend ephemeral ports on.
// Destroyed after each phase so idle sockets hold nothing open; a destroyed agent opens new ones when used again.
const agent = new Agent({ keepAlive: true, maxSockets: SEED_CONCURRENCY });

/** Closes the idle keep-alive sockets of the requests above, so they hold nothing open on the server. */
export function closeIdleConnections(): void {
  agent.destroy();
}

function send(method: string, url: string, headers: Record<string, string>, body?: unknown): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(url, { method, agent, headers: { ...headers, ...(payload ? { 'content-type': 'application/json' } : {}) }, timeout: 30_000 }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
      response.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${url} timed out`)));
    req.on('error', reject);
    req.end(payload);
  });
}

export async function expect(method: string, url: string, headers: Record<string, string>, status: number, body?: unknown): Promise<Answer> {
  const answer = await send(method, url, headers, body);
  if (answer.status !== status) throw new Error(`${method} ${url} answered ${answer.status}, expected ${status}: ${answer.body.slice(0, 500)}`);
  return answer;
}

const documentId = (i: number) => `post${String(i).padStart(6, '0')}`;

function postData(i: number) {
  return { title: `Post ${i}`, body: `${i}: ${BODY_TEXT}`, rank: i % RANKS, published: i % 2 === 0 };
}

/** Polls the collection until every attribute and index has left `processing`; any other non-available status fails. */
export async function waitForSchema(collectionUrl: string, headers: Record<string, string>): Promise<void> {
  const deadline = performance.now() + SCHEMA_TIMEOUT_MS;
  while (performance.now() < deadline) {
    const answer = await expect('GET', collectionUrl, headers, 200);
    const collection = JSON.parse(answer.body) as { attributes: { key: string; status: string }[]; indexes: { key: string; status: string }[] };
    const items = [...collection.attributes, ...collection.indexes];
    const failed = items.find((item) => item.status !== 'available' && item.status !== 'processing');
    if (failed) throw new Error(`${failed.key} is ${failed.status}`);
    if (items.every((item) => item.status === 'available')) return;
    await sleep(50);
  }
  throw new Error(`schema of ${collectionUrl} not available within ${SCHEMA_TIMEOUT_MS} ms`);
}

/** Database `bench`, collection `posts` with title, body, rank, published and a key index on rank, all available. */
async function createSchema(baseUrl: string, headers: Record<string, string>): Promise<void> {
  await expect('POST', `${baseUrl}/v1/databases`, headers, 201, { databaseId: DATABASE_ID, name: 'Bench' });
  await expect('POST', `${baseUrl}/v1/databases/${DATABASE_ID}/collections`, headers, 201, { collectionId: COLLECTION_ID, name: 'Posts' });
  const collectionUrl = `${baseUrl}/v1/databases/${DATABASE_ID}/collections/${COLLECTION_ID}`;
  const attributes = `${collectionUrl}/attributes`;
  await expect('POST', `${attributes}/string`, headers, 202, { key: 'title', size: 128, required: true });
  await expect('POST', `${attributes}/string`, headers, 202, { key: 'body', size: 2000, required: false });
  await expect('POST', `${attributes}/integer`, headers, 202, { key: 'rank', required: false });
  await expect('POST', `${attributes}/boolean`, headers, 202, { key: 'published', required: false });
  await waitForSchema(collectionUrl, headers);
  await expect('POST', `${collectionUrl}/indexes`, headers, 202, { key: 'rank_key', type: 'key', attributes: ['rank'] });
  await waitForSchema(collectionUrl, headers);
}

/** Runs `work(0..count-1)` with at most `concurrency` in flight. */
export async function pool(count: number, concurrency: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) await work(i);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

/**
 * Seeds SEED_COUNT documents: through the bulk route (`documents` array) when the server has
 * it, else single creates. The first batch is the probe, so nothing is written twice.
 */
async function seed(baseUrl: string, headers: Record<string, string>, log: (message: string) => void): Promise<Seeding['method']> {
  const url = `${baseUrl}/v1/databases/${DATABASE_ID}/collections/${COLLECTION_ID}/documents`;
  const batch = (start: number) =>
    Array.from({ length: Math.min(BULK_BATCH, SEED_COUNT - start) }, (_, k) => ({ $id: documentId(start + k), ...postData(start + k) }));
  const probe = await send('POST', url, headers, { documents: batch(0) });
  const progress = (done: number) => {
    if (done % 10_000 === 0) log(`  seeded ${done.toLocaleString('en-US')}`);
  };
  if (probe.status >= 200 && probe.status < 300) {
    let done = BULK_BATCH;
    await pool(Math.ceil(SEED_COUNT / BULK_BATCH) - 1, SEED_CONCURRENCY / 4, async (b) => {
      const start = (b + 1) * BULK_BATCH;
      await expect('POST', url, headers, probe.status, { documents: batch(start) });
      done += BULK_BATCH;
      progress(done);
    });
    return 'bulk';
  }
  if (probe.status !== 400) throw new Error(`bulk create probe answered ${probe.status}: ${probe.body.slice(0, 500)}`);
  let done = 0;
  await pool(SEED_COUNT, SEED_CONCURRENCY, async (i) => {
    await expect('POST', url, headers, 201, { documentId: documentId(i), data: postData(i) });
    progress(++done);
  });
  return 'single';
}

/** Schema and seed over HTTP with the API key; returns how long seeding took. */
export async function setupPosts(engine: string, baseUrl: string, headers: Record<string, string>, log: (message: string) => void): Promise<Seeding> {
  await createSchema(baseUrl, headers);
  log(`${engine}: seeding ${SEED_COUNT.toLocaleString('en-US')} documents`);
  const started = performance.now();
  const method = await seed(baseUrl, headers, log).finally(() => agent.destroy());
  const seeding: Seeding = { engine, documents: SEED_COUNT, ms: performance.now() - started, method };
  log(`${engine}: seeded ${SEED_COUNT.toLocaleString('en-US')} documents (${method}) in ${(seeding.ms / 1000).toFixed(1)} s, ${Math.round(SEED_COUNT / (seeding.ms / 1000))} docs/s`);
  return seeding;
}

/** create, get by id, list 25 on the indexed rank with and without the total, update: each through autocannon. */
export async function runDocumentScenarios(
  engine: string,
  baseUrl: string,
  headers: Record<string, string>,
  settings: LoadSettings,
  log: (message: string) => void,
): Promise<LoadResult[]> {
  const documents = `${baseUrl}/v1/databases/${DATABASE_ID}/collections/${COLLECTION_ID}/documents`;
  const json = { ...headers, 'content-type': 'application/json' };
  const list = new URLSearchParams({
    'queries[0]': JSON.stringify({ method: 'equal', attribute: 'rank', values: [LISTED_RANK] }),
    'queries[1]': JSON.stringify({ method: 'limit', values: [25] }),
  }).toString();
  // Rank RANKS matches none of the seeded ranks, so creates do not change what the list counts.
  const created = JSON.stringify({ documentId: 'unique()', data: { ...postData(0), title: 'Created', rank: RANKS } });
  const updated = JSON.stringify({ data: { title: 'Updated' } });
  const gotten = `${documents}/${documentId(LISTED_RANK)}`;
  const patched = `${documents}/${documentId(7)}`;

  // One checked request each, so a wrong route or body fails here rather than as a column of non-2xx.
  const listed = JSON.parse((await expect('GET', `${documents}?${list}`, headers, 200)).body) as { total: number; documents: unknown[] };
  if (listed.documents.length !== 25 || listed.total !== SEED_COUNT / RANKS) throw new Error(`list answered ${listed.documents.length} documents, total ${listed.total}`);
  await expect('GET', gotten, headers, 200);
  await expect('PATCH', patched, headers, 200, JSON.parse(updated));
  agent.destroy();

  const scenarios: [string, () => Promise<LoadResult>][] = [
    ['create', () => runLoad(`Plinth [${engine}] POST document (create)`, documents, json, settings, { method: 'POST', body: created })],
    ['get', () => runLoad(`Plinth [${engine}] GET document by id`, gotten, headers, settings)],
    ['list', () => runLoad(`Plinth [${engine}] GET documents rank=42 limit 25, total`, `${documents}?${list}`, headers, settings)],
    ['list total=false', () => runLoad(`Plinth [${engine}] GET documents rank=42 limit 25, total=false`, `${documents}?${list}&total=false`, headers, settings)],
    ['update', () => runLoad(`Plinth [${engine}] PATCH document`, patched, json, settings, { method: 'PATCH', body: updated })],
  ];
  const loads: LoadResult[] = [];
  for (const [name, run] of scenarios) {
    log(`${engine}: load on ${name}`);
    loads.push(await run());
  }
  return loads;
}
