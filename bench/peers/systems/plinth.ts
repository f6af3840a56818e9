// Plinth through its Appwrite-compatible HTTP API: schema, bulk seeding (250 documents a request), user, session.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiKey, createProject, plinthEnv, PROJECT_ID } from '../../plinth.js';
import { analyzeBenchDatabase, createBenchDatabase } from '../../postgres.js';
import { pickFreePort } from '../../processes.js';
import { spawnServer, stopServer } from '../child.js';
import { BENCH_USER, createdPost, FETCHED_ROW, LARGE, LIST_LIMIT, LISTED_RANK, post, ROWS_PER_RANK, SMALL, type Dataset } from '../dataset.js';
import { expectJson, pool, send, waitUntilAnswering } from '../http-json.js';
import { expectEqual, expectStatus, parseBody, type LoadTarget, type Prepared, type System, type SystemContext } from '../scenarios.js';

const DATABASE_ID = 'bench';
const PLINTH_VERSION = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
const BULK_BATCH = 250;
const READY_TIMEOUT_MS = 60_000;
const SCHEMA_TIMEOUT_MS = 60_000;

const documentId = (i: number) => `p${String(i).padStart(6, '0')}`;

async function waitForSchema(collectionUrl: string, headers: Record<string, string>): Promise<void> {
  const deadline = performance.now() + SCHEMA_TIMEOUT_MS;
  while (performance.now() < deadline) {
    const collection = await expectJson<{ attributes: { key: string; status: string }[]; indexes: { key: string; status: string }[] }>('GET', collectionUrl, headers, 200);
    const items = [...collection.attributes, ...collection.indexes];
    const failed = items.find((item) => item.status !== 'available' && item.status !== 'processing');
    if (failed) throw new Error(`${failed.key} is ${failed.status}`);
    if (items.every((item) => item.status === 'available')) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`schema of ${collectionUrl} not available within ${SCHEMA_TIMEOUT_MS} ms`);
}

/** A collection with title, body, rank (indexed) and published; the small one has document security and no collection grants. */
async function createCollection(url: string, headers: Record<string, string>, dataset: Dataset): Promise<void> {
  const documentSecurity = dataset === SMALL;
  await expectJson('POST', `${url}/v1/databases/${DATABASE_ID}/collections`, headers, 201, { collectionId: dataset.name, name: dataset.name, documentSecurity, permissions: [] });
  const collectionUrl = `${url}/v1/databases/${DATABASE_ID}/collections/${dataset.name}`;
  const attributes = `${collectionUrl}/attributes`;
  await expectJson('POST', `${attributes}/string`, headers, 202, { key: 'title', size: 128, required: true });
  await expectJson('POST', `${attributes}/string`, headers, 202, { key: 'body', size: 2000, required: false });
  await expectJson('POST', `${attributes}/integer`, headers, 202, { key: 'rank', required: false });
  await expectJson('POST', `${attributes}/boolean`, headers, 202, { key: 'published', required: false });
  await waitForSchema(collectionUrl, headers);
  await expectJson('POST', `${collectionUrl}/indexes`, headers, 202, { key: 'rank_key', type: 'key', attributes: ['rank'] });
  await waitForSchema(collectionUrl, headers);
}

async function seed(url: string, headers: Record<string, string>, dataset: Dataset, userId: string): Promise<void> {
  const documents = `${url}/v1/databases/${DATABASE_ID}/collections/${dataset.name}/documents`;
  const readable = [`read("user:${userId}")`];
  await pool(Math.ceil(dataset.count / BULK_BATCH), 4, async (batch) => {
    const start = batch * BULK_BATCH;
    const items = Array.from({ length: Math.min(BULK_BATCH, dataset.count - start) }, (_, k) => {
      const row = post(dataset, start + k);
      return { $id: documentId(start + k), ...row, $permissions: dataset === SMALL && row.published ? readable : [] };
    });
    await expectJson('POST', documents, headers, [200, 201], { documents: items });
  });
}

async function signUp(url: string): Promise<{ userId: string; session: string }> {
  const headers = { 'X-Appwrite-Project': PROJECT_ID };
  const user = await expectJson<{ $id: string }>('POST', `${url}/v1/account`, headers, 201, { userId: 'unique()', ...BENCH_USER });
  const answer = await send('POST', `${url}/v1/account/sessions/email`, headers, BENCH_USER);
  expectStatus(answer.status, 201, answer.body);
  const cookie = answer.cookies.find((line) => line.startsWith(`a_session_${PROJECT_ID}=`));
  if (!cookie) throw new Error('sign-in set no session cookie');
  return { userId: user.$id, session: decodeURIComponent(cookie.split(';')[0]!.split('=')[1]!) };
}

function listQuery(total: boolean): string {
  const query = new URLSearchParams({
    'queries[0]': JSON.stringify({ method: 'equal', attribute: 'rank', values: [LISTED_RANK] }),
    'queries[1]': JSON.stringify({ method: 'limit', values: [LIST_LIMIT] }),
  });
  if (!total) query.set('total', 'false');
  return query.toString();
}

function listTarget(url: string, headers: Record<string, string>, dataset: Dataset, total: boolean): LoadTarget {
  return {
    url: `${url}/v1/databases/${DATABASE_ID}/collections/${dataset.name}/documents?${listQuery(total)}`,
    method: 'GET',
    headers,
    check(status, body) {
      expectStatus(status, 200, body);
      const list = parseBody<{ total: number; documents: { rank: number }[] }>(body);
      expectEqual('documents listed', list.documents.length, LIST_LIMIT);
      expectEqual('rank of the first', list.documents[0]?.rank, LISTED_RANK);
      expectEqual('total', list.total, total ? ROWS_PER_RANK : 0);
    },
  };
}

/** `nodeArgs` go before the script, e.g. `--cpu-prof` for a profile. */
export function plinthSystem(name: string, engine: 'sqlite' | 'postgres', nodeArgs: string[] = []): System {
  return {
    name,
    version: PLINTH_VERSION,
    setup:
      engine === 'sqlite'
        ? '`bin/plinth.js serve` (the esbuild bundle) on a fresh data directory with SQLite, log level warn, rate limits off (sign-in repeats one user thousands of times).'
        : 'The same on a fresh PostgreSQL database (one schema per project), `PLINTH_DB=postgres://…`.',
    async prepare(context: SystemContext): Promise<Prepared> {
      const { root, cleanup, log } = context;
      const dataDir = await mkdtemp(join(tmpdir(), 'plinth-peers-'));
      cleanup.defer(() => rm(dataDir, { recursive: true, force: true }));
      const databaseUrl = engine === 'postgres' ? await createBenchDatabase(context.adminPgUrl, cleanup) : undefined;
      await createProject(root, dataDir, databaseUrl);
      const key = await createApiKey(root, dataDir, databaseUrl);
      const port = await pickFreePort();
      const server = spawnServer(name, process.execPath, [...nodeArgs, 'bin/plinth.js', 'serve'], { cwd: root, env: plinthEnv(dataDir, port, 'warn', databaseUrl) });
      cleanup.defer(() => stopServer(server));
      const url = `http://127.0.0.1:${port}`;
      await waitUntilAnswering(`${url}/v1/health/version`, server.running, server.tail, READY_TIMEOUT_MS);

      const keyHeaders = { 'X-Appwrite-Project': PROJECT_ID, 'X-Appwrite-Key': key };
      const seeding: string[] = [];
      await expectJson('POST', `${url}/v1/databases`, keyHeaders, 201, { databaseId: DATABASE_ID, name: 'Bench' });
      const { userId, session } = await signUp(url);
      for (const dataset of [SMALL, LARGE]) {
        await createCollection(url, keyHeaders, dataset);
        const started = performance.now();
        await seed(url, keyHeaders, dataset, userId);
        const seconds = (performance.now() - started) / 1000;
        log(`${name}: seeded ${dataset.count} in ${seconds.toFixed(1)} s`);
        seeding.push(`${dataset.count.toLocaleString('en-US')} documents through the bulk create API (${BULK_BATCH} a request, 4 in flight): ${seconds.toFixed(1)} s`);
      }
      // As for Parse: fresh planner statistics, which autovacuum would gather within a minute.
      if (databaseUrl) await analyzeBenchDatabase(databaseUrl);

      const documents = (dataset: Dataset) => `${url}/v1/databases/${DATABASE_ID}/collections/${dataset.name}/documents`;
      const userHeaders = { 'X-Appwrite-Project': PROJECT_ID, 'X-Appwrite-Session': session };
      return {
        server,
        seeding,
        notes: ['Server credential: an API key with every scope; the user: a session from email sign-in. Lists send `total=false` to skip the count. Passwords: argon2id.'],
        targets: {
          create: {
            url: documents(LARGE),
            method: 'POST',
            headers: { ...keyHeaders, 'content-type': 'application/json' },
            body: JSON.stringify({ documentId: 'unique()', data: createdPost }),
            check: (status, body) => expectStatus(status, 201, body),
          },
          get: {
            url: `${documents(LARGE)}/${documentId(FETCHED_ROW)}`,
            method: 'GET',
            headers: keyHeaders,
            check(status, body) {
              expectStatus(status, 200, body);
              expectEqual('$id', parseBody<{ $id: string }>(body).$id, documentId(FETCHED_ROW));
            },
          },
          list10k: listTarget(url, keyHeaders, SMALL, true),
          list10kNoTotal: listTarget(url, keyHeaders, SMALL, false),
          list100k: listTarget(url, keyHeaders, LARGE, true),
          list100kNoTotal: listTarget(url, keyHeaders, LARGE, false),
          signIn: {
            url: `${url}/v1/account/sessions/email`,
            method: 'POST',
            headers: { 'X-Appwrite-Project': PROJECT_ID, 'content-type': 'application/json' },
            body: JSON.stringify(BENCH_USER),
            check: (status, body) => expectStatus(status, 201, body),
          },
          userRead: {
            url: `${documents(SMALL)}?${new URLSearchParams({ 'queries[0]': JSON.stringify({ method: 'limit', values: [LIST_LIMIT] }), total: 'false' })}`,
            method: 'GET',
            headers: userHeaders,
            check(status, body) {
              expectStatus(status, 200, body);
              const list = parseBody<{ documents: { published: boolean }[] }>(body);
              expectEqual('documents listed', list.documents.length, LIST_LIMIT);
              expectEqual('every listed row readable', list.documents.every((row) => row.published), true);
            },
          },
        },
      };
    },
  };
}

export const plinthOnSqlite = plinthSystem('Plinth (SQLite)', 'sqlite');
export const plinthOnPostgres = plinthSystem('Plinth (PostgreSQL)', 'postgres');
