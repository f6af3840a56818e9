import assert from 'node:assert/strict';
import { after, before, describe, mock, test } from 'node:test';
import { insertDocument } from '../../src/data/documents/document-store.js';
import { LEGACY_API, TABLES_API } from '../../src/services/databases/api-names.js';
import { createAttribute } from '../../src/services/databases/attributes.js';
import { createCollection } from '../../src/services/databases/collections.js';
import { createDatabase } from '../../src/services/databases/databases.js';
import { createDocument, listDocuments } from '../../src/services/databases/documents.js';
import { runSchemaJob } from '../../src/services/databases/index.js';
import { findAttributeSeq, findCollectionSeq } from './in-process-helpers.js';
import { startInProcess, type InProcess } from '../support/in-process.js';
import { serverCaller, userCaller, type Caller } from '../../src/core/caller.js';
import { TablesDB } from 'node-appwrite';
import { waitForSchema } from './helpers.js';
import { jsonOf, TestServer } from '../support/plinth.js';
import { sdkClient } from '../support/sdk.js';

const PROJECT = 'listcache';
const key = serverCaller();
const ada = userCaller({ id: 'ada' }, ['any', 'users', 'user:ada']);
const bob = userCaller({ id: 'bob' }, ['any', 'users', 'user:bob']);
const ids = { databaseId: 'db', collectionId: 'posts' };

describe('the ttl list cache', () => {
  let app: InProcess;
  const idsIn = (page: Record<string, unknown>) => (page.documents as { $id: string }[]).map((d) => d.$id).sort();

  before(async () => {
    app = await startInProcess(PROJECT);
    const { deps } = app.services;
    await createDatabase(deps, PROJECT, TABLES_API, { databaseId: 'db', name: 'DB' });
    await createCollection(deps, PROJECT, LEGACY_API, 'db', { collectionId: 'posts', name: 'Posts', permissions: ['create("users")'], documentSecurity: true });
    await createAttribute(deps, PROJECT, LEGACY_API, ids, 'string', 'title', { required: false, size: 50 });
    await runSchemaJob(deps, { projectId: PROJECT, action: 'createAttribute', seq: await findAttributeSeq(deps, PROJECT, 'title') });
    await createDocument(deps, PROJECT, LEGACY_API, ada, ids, { documentId: 'a1', data: { title: 'ada' } });
    await createDocument(deps, PROJECT, LEGACY_API, bob, ids, { documentId: 'b1', data: { title: 'bob' } });
  });
  after(() => app.stop());

  /** Writes a row behind the service's back, as another process would. */
  async function insertBehindTheBack(id: string, permissions: string[]): Promise<void> {
    const { deps } = app.services;
    await insertDocument(deps.db.project(PROJECT), await findCollectionSeq(deps, PROJECT), {
      id, createdAt: '2024-01-01T00:00:00.000+00:00', updatedAt: '2024-01-01T00:00:00.000+00:00', permissions, grants: permissions.map((p) => ({ type: 'read', role: /"(.*)"/.exec(p)![1]! })), values: {},
    });
  }

  test('each caller gets its own cached answer; without ttl nothing is cached', async () => {
    const { deps } = app.services;
    const list = async (caller: Caller, ttl: number) => (await listDocuments(deps, PROJECT, LEGACY_API, caller, ids, { queries: [], total: true, ttl })).value;
    assert.deepEqual(idsIn(await list(ada, 60)), ['a1']);
    assert.deepEqual(idsIn(await list(bob, 60)), ['b1']);
    assert.deepEqual(idsIn(await list(key, 60)), ['a1', 'b1']);
    await insertBehindTheBack('a2', ['read("user:ada")']);
    // Cached for the same caller and request; fresh without ttl or with other queries.
    assert.deepEqual(idsIn(await list(ada, 60)), ['a1']);
    assert.deepEqual(idsIn(await list(ada, 0)), ['a1', 'a2']);
    assert.deepEqual(idsIn((await listDocuments(deps, PROJECT, LEGACY_API, ada, ids, { queries: ['{"method":"limit","values":[10]}'], total: true, ttl: 60 })).value), ['a1', 'a2']);
    assert.deepEqual(idsIn(await list(bob, 60)), ['b1']);
  });

  test('a write through the service invalidates the collection\'s cached lists', async () => {
    const { deps } = app.services;
    const list = async (caller: Caller) => (await listDocuments(deps, PROJECT, LEGACY_API, caller, ids, { queries: [], total: true, ttl: 60 })).value;
    assert.deepEqual(idsIn(await list(ada)), ['a1']);
    await createDocument(deps, PROJECT, LEGACY_API, bob, ids, { documentId: 'b2', data: {} });
    assert.deepEqual(idsIn(await list(ada)), ['a1', 'a2']);
    assert.deepEqual(idsIn(await list(bob)), ['b1', 'b2']);
  });

  test('entries expire after ttl seconds', async () => {
    const { deps } = app.services;
    mock.timers.enable({ apis: ['Date'], now: Date.now() });
    try {
      const list = async () => (await listDocuments(deps, PROJECT, TABLES_API, ada, ids, { queries: [], total: false, ttl: 5 })).value;
      assert.deepEqual(((await list()).rows as { $id: string }[]).map((r) => r.$id).sort(), ['a1', 'a2']);
      await insertBehindTheBack('a3', ['read("user:ada")']);
      assert.equal(((await list()).rows as unknown[]).length, 2);
      mock.timers.tick(6000);
      assert.equal(((await list()).rows as unknown[]).length, 3);
      // Age is judged by each request's own ttl: an entry kept for a longer ttl is stale to a shorter one.
      await insertBehindTheBack('a4', ['read("user:ada")']);
      const within = async (ttl: number) => (await listDocuments(deps, PROJECT, TABLES_API, ada, ids, { queries: [], total: false, ttl })).hit;
      mock.timers.tick(3000);
      assert.equal(await within(60), true);
      assert.equal(await within(2), false);
    } finally {
      mock.timers.reset();
    }
  });

  test('an answer is kept with its total: the same page without the total is a hit, its total 0, as Appwrite answers', async () => {
    const { deps } = app.services;
    const list = (total: boolean) => listDocuments(deps, PROJECT, LEGACY_API, key, ids, { queries: ['{"method":"limit","values":[2]}'], total, ttl: 60 });
    const first = await list(true);
    assert.equal(first.hit, false);
    const again = await list(false);
    assert.equal(again.hit, true);
    assert.equal(again.value.total, 0);
    assert.deepEqual(idsIn(again.value), idsIn(first.value));
    const withTotal = await list(true);
    assert.equal(withTotal.hit, true);
    assert.equal(withTotal.value.total, first.value.total);
    assert.equal((await listDocuments(deps, PROJECT, LEGACY_API, key, ids, { queries: [], total: true })).hit, undefined);
  });
});

describe('the ttl list cache over HTTP', () => {
  let server: TestServer;
  let apiKey: string;
  before(async () => {
    server = await TestServer.start();
    await server.createProject('cachehttp');
    apiKey = await server.createKey('cachehttp');
    const tables = new TablesDB(sdkClient(server, 'cachehttp', apiKey));
    await tables.create({ databaseId: 'db', name: 'DB' });
    await tables.createTable({ databaseId: 'db', tableId: 'movies', name: 'Movies' });
    await tables.createStringColumn({ databaseId: 'db', tableId: 'movies', key: 'title', size: 50, required: false });
    await waitForSchema(tables, 'db', 'movies');
    await tables.createRow({ databaseId: 'db', tableId: 'movies', rowId: 'm1', data: { title: 'Alien' } });
  });
  after(() => server.stop());

  const list = (api: 'tablesdb' | 'databases', ttl?: number) => {
    const path = api === 'tablesdb' ? '/tablesdb/db/tables/movies/rows' : '/databases/db/collections/movies/documents';
    return server.request(`${path}?queries[0]=${encodeURIComponent('{"method":"select","values":["title"]}')}${ttl ? `&ttl=${ttl}` : ''}`, { project: 'cachehttp', key: apiKey });
  };

  test('says X-Appwrite-Cache miss, then hit, on both APIs; an update with purge starts afresh; no header without ttl', async () => {
    for (const api of ['tablesdb', 'databases'] as const) {
      assert.equal((await list(api, 30)).headers.get('x-appwrite-cache'), 'miss');
      const hit = await list(api, 30);
      assert.equal(hit.headers.get('x-appwrite-cache'), 'hit');
      assert.equal((await jsonOf(hit)).total, 1);
      assert.equal((await list(api)).headers.get('x-appwrite-cache'), null);
    }
    const update = (purge: boolean) =>
      server.request('/tablesdb/db/tables/movies', {
        method: 'PUT', project: 'cachehttp', key: apiKey, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Movies', purge }),
      });
    // An update leaves the cache; one with `purge` empties it.
    assert.equal((await update(false)).status, 200);
    assert.equal((await list('tablesdb', 30)).headers.get('x-appwrite-cache'), 'hit');
    assert.equal((await update(true)).status, 200);
    assert.equal((await list('tablesdb', 30)).headers.get('x-appwrite-cache'), 'miss');
  });
});
