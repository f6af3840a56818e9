import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AppError } from '../../src/core/errors.js';
import { LEGACY_API, TABLES_API } from '../../src/services/databases/api-names.js';
import { createAttribute, deleteAttribute } from '../../src/services/databases/attributes.js';
import { hasColumn } from '../../src/data/documents/document-ddl.js';
import { createCollection } from '../../src/services/databases/collections.js';
import { createDatabase } from '../../src/services/databases/databases.js';
import { createDocument, deleteDocument, updateDocument } from '../../src/services/databases/documents.js';
import { runSchemaJob } from '../../src/services/databases/index.js';
import { findAttributeSeq, findCollectionSeq } from './in-process-helpers.js';
import { startInProcess, type InProcess } from '../support/in-process.js';
import { serverCaller, userCaller } from '../../src/core/caller.js';

const PROJECT = 'events';
const key = serverCaller();
const ada = userCaller({ id: 'ada' }, ['any', 'users', 'user:ada']);
const ids = { databaseId: 'db', collectionId: 'posts' };

describe('database events and queued schema changes', () => {
  let app: InProcess;

  before(async () => {
    app = await startInProcess(PROJECT);
    const { deps } = app.services;
    await createDatabase(deps, PROJECT, TABLES_API, { databaseId: 'db', name: 'DB' });
    await createCollection(deps, PROJECT, LEGACY_API, 'db', {
      collectionId: 'posts',
      name: 'Posts',
      permissions: ['read("team:editors")', 'create("users")'],
      documentSecurity: true,
    });
    app.events.length = 0;
  });
  after(() => app.stop());

  test('an attribute stays processing until its job runs; writes using it wait for that', async () => {
    const { deps } = app.services;
    const model = await createAttribute(deps, PROJECT, LEGACY_API, ids, 'string', 'title', { required: false, size: 50 });
    assert.equal(model.status, 'processing');
    const event = app.published('databases.db.collections.posts.attributes.title.create');
    assert.ok(event.names.includes('tablesdb.db.tables.posts.columns.title.create'));

    const write = createDocument(deps, PROJECT, LEGACY_API, ada, ids, { documentId: 'p0', data: { title: 'early' } });
    await assert.rejects(write, (error: AppError) => error.type === 'attribute_not_available');
    const asRow = createDocument(deps, PROJECT, TABLES_API, ada, ids, { documentId: 'p0', data: { title: 'early' } });
    await assert.rejects(asRow, (error: AppError) => error.type === 'column_not_available');

    await runSchemaJob(deps, { projectId: PROJECT, action: 'createAttribute', seq: await findAttributeSeq(deps, PROJECT, 'title') });
    const created = await createDocument(deps, PROJECT, LEGACY_API, ada, ids, { documentId: 'p1', data: { title: 'now' } });
    assert.equal(created.title, 'now');
  });

  test('document changes are published under both names, readable by the document\'s and the collection\'s readers', async () => {
    const { deps } = app.services;
    app.events.length = 0;
    await createDocument(deps, PROJECT, TABLES_API, ada, ids, { documentId: 'p2', data: { title: 'hello' }, permissions: ['read("any")'] });
    const created = app.published('databases.db.collections.posts.documents.p2.create');
    for (const name of ['databases.db.tables.posts.rows.p2.create', 'tablesdb.db.tables.posts.rows.p2.create', 'databases.*.collections.*.documents.*.create', 'tablesdb.*.tables.*.rows.*']) {
      assert.ok(created.names.includes(name), name);
    }
    assert.deepEqual(created.readableBy.sort(), ['any', 'team:editors']);
    assert.equal((created.payload as { $tableId: string }).$tableId, 'posts');

    await updateDocument(deps, PROJECT, LEGACY_API, ada, { ...ids, documentId: 'p1' }, { data: { title: 'changed' } });
    const updated = app.published('databases.db.collections.posts.documents.p1.update');
    assert.deepEqual(updated.readableBy.sort(), ['team:editors', 'user:ada']);
    assert.equal((updated.payload as { title: string }).title, 'changed');

    await deleteDocument(deps, PROJECT, LEGACY_API, key, { ...ids, documentId: 'p1' });
    app.published('tablesdb.db.tables.posts.rows.p1.delete');
  });

  test('deleting an attribute drops its column once its job runs', async () => {
    const { deps } = app.services;
    await createAttribute(deps, PROJECT, TABLES_API, ids, 'integer', 'votes', { required: false });
    const seq = await findAttributeSeq(deps, PROJECT, 'votes');
    await runSchemaJob(deps, { projectId: PROJECT, action: 'createAttribute', seq });
    const collectionSeq = await findCollectionSeq(deps, PROJECT);
    assert.equal(await hasColumn(deps.db.project(PROJECT), collectionSeq, seq), true);
    await deleteAttribute(deps, PROJECT, TABLES_API, ids, 'votes');
    assert.equal(await hasColumn(deps.db.project(PROJECT), collectionSeq, seq), true);
    await runSchemaJob(deps, { projectId: PROJECT, action: 'deleteAttribute', seq });
    assert.equal(await hasColumn(deps.db.project(PROJECT), collectionSeq, seq), false);
  });
});
