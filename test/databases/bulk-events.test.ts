import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { LEGACY_API, TABLES_API } from '../../src/services/databases/api-names.js';
import { createAttribute } from '../../src/services/databases/attributes.js';
import { createCollection } from '../../src/services/databases/collections.js';
import { createDatabase } from '../../src/services/databases/databases.js';
import { createDocuments, deleteDocumentsByQuery, updateDocumentsByQuery, upsertDocuments } from '../../src/services/databases/document-bulk.js';
import { runSchemaJob } from '../../src/services/databases/index.js';
import { findAttributeSeq } from './in-process-helpers.js';
import { startInProcess, type InProcess } from '../support/in-process.js';
import { serverCaller } from '../../src/core/caller.js';

const PROJECT = 'bulkevents';
const key = serverCaller();
const ids = { databaseId: 'db', collectionId: 'posts' };

describe('bulk writes publish one event per document', () => {
  let app: InProcess;
  const namesOf = (suffix: string) => app.events.flatMap((event) => event.names.filter((name) => name.startsWith('tablesdb.db.tables.posts.rows.') && name.endsWith(suffix) && !name.includes('*')));

  before(async () => {
    app = await startInProcess(PROJECT);
    const { deps } = app.services;
    await createDatabase(deps, PROJECT, TABLES_API, { databaseId: 'db', name: 'DB' });
    await createCollection(deps, PROJECT, LEGACY_API, 'db', { collectionId: 'posts', name: 'Posts', permissions: ['read("users")'], documentSecurity: true });
    await createAttribute(deps, PROJECT, LEGACY_API, ids, 'string', 'title', { required: false, size: 50 });
    await runSchemaJob(deps, { projectId: PROJECT, action: 'createAttribute', seq: await findAttributeSeq(deps, PROJECT, 'title') });
  });
  after(() => app.stop());

  test('create, upsert, update and delete events name each document', async () => {
    const { deps } = app.services;
    app.events.length = 0;
    await createDocuments(deps, PROJECT, TABLES_API, key, ids, [{ $id: 'p1', title: 'one', $permissions: ['read("any")'] }, { $id: 'p2', title: 'two' }]);
    assert.deepEqual(namesOf('.create').sort(), ['tablesdb.db.tables.posts.rows.p1.create', 'tablesdb.db.tables.posts.rows.p2.create']);
    const first = app.events.find((event) => event.names.includes('databases.db.collections.posts.documents.p1.create'))!;
    assert.deepEqual([...first.readableBy].sort(), ['any', 'users']);

    app.events.length = 0;
    await upsertDocuments(deps, PROJECT, LEGACY_API, key, ids, [{ $id: 'p2', title: 'deux' }, { $id: 'p3', title: 'three' }]);
    assert.deepEqual(namesOf('.update'), ['tablesdb.db.tables.posts.rows.p2.update']);
    assert.deepEqual(namesOf('.create'), ['tablesdb.db.tables.posts.rows.p3.create']);

    app.events.length = 0;
    await updateDocumentsByQuery(deps, PROJECT, LEGACY_API, key, ids, { data: { title: 'same' }, queries: [] });
    assert.equal(namesOf('.update').length, 3);
    assert.ok(app.events.every((event) => (event.payload as { title: string }).title === 'same'));

    app.events.length = 0;
    await deleteDocumentsByQuery(deps, PROJECT, TABLES_API, key, ids, ['{"method":"equal","attribute":"$id","values":["p1"]}']);
    assert.deepEqual(namesOf('.delete'), ['tablesdb.db.tables.posts.rows.p1.delete']);
  });

  test('a failed batch publishes nothing', async () => {
    const { deps } = app.services;
    app.events.length = 0;
    await assert.rejects(createDocuments(deps, PROJECT, TABLES_API, key, ids, [{ $id: 'p9', title: 'ok' }, { $id: 'p2', title: 'clash' }]));
    assert.equal(app.events.length, 0);
  });
});
