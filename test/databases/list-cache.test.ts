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
    const list = (caller: Caller, ttl: number) => listDocuments(deps, PROJECT, LEGACY_API, caller, ids, { queries: [], total: true, ttl });
    assert.deepEqual(idsIn(await list(ada, 60)), ['a1']);
    assert.deepEqual(idsIn(await list(bob, 60)), ['b1']);
    assert.deepEqual(idsIn(await list(key, 60)), ['a1', 'b1']);
    await insertBehindTheBack('a2', ['read("user:ada")']);
    // Cached for the same caller and request; fresh without ttl or with other queries.
    assert.deepEqual(idsIn(await list(ada, 60)), ['a1']);
    assert.deepEqual(idsIn(await list(ada, 0)), ['a1', 'a2']);
    assert.deepEqual(idsIn(await listDocuments(deps, PROJECT, LEGACY_API, ada, ids, { queries: ['{"method":"limit","values":[10]}'], total: true, ttl: 60 })), ['a1', 'a2']);
    assert.deepEqual(idsIn(await list(bob, 60)), ['b1']);
  });

  test('a write through the service invalidates the collection\'s cached lists', async () => {
    const { deps } = app.services;
    const list = (caller: Caller) => listDocuments(deps, PROJECT, LEGACY_API, caller, ids, { queries: [], total: true, ttl: 60 });
    assert.deepEqual(idsIn(await list(ada)), ['a1']);
    await createDocument(deps, PROJECT, LEGACY_API, bob, ids, { documentId: 'b2', data: {} });
    assert.deepEqual(idsIn(await list(ada)), ['a1', 'a2']);
    assert.deepEqual(idsIn(await list(bob)), ['b1', 'b2']);
  });

  test('entries expire after ttl seconds', async () => {
    const { deps } = app.services;
    mock.timers.enable({ apis: ['Date'], now: Date.now() });
    try {
      const list = () => listDocuments(deps, PROJECT, TABLES_API, ada, ids, { queries: [], total: false, ttl: 5 });
      assert.deepEqual(((await list()).rows as { $id: string }[]).map((r) => r.$id).sort(), ['a1', 'a2']);
      await insertBehindTheBack('a3', ['read("user:ada")']);
      assert.equal(((await list()).rows as unknown[]).length, 2);
      mock.timers.tick(6000);
      assert.equal(((await list()).rows as unknown[]).length, 3);
    } finally {
      mock.timers.reset();
    }
  });
});
