import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { serverCaller } from '../../src/core/caller.js';
import { findCollection, findDatabase, schemaStore } from '../../src/data/documents/schema-store.js';
import type { PlinthEvent } from '../../src/infra/events/event-bus.js';
import { LEGACY_API } from '../../src/services/databases/api-names.js';
import { createAttribute, deleteAttribute, updateAttribute } from '../../src/services/databases/attributes.js';
import { createCollection, deleteCollection, getCollection, updateCollection } from '../../src/services/databases/collections.js';
import { createDatabase, deleteDatabase, updateDatabase } from '../../src/services/databases/databases.js';
import { createDocuments, deleteDocumentsByQuery, updateDocumentsByQuery, upsertDocuments } from '../../src/services/databases/document-bulk.js';
import { adjustDocumentNumber } from '../../src/services/databases/document-counters.js';
import { createDocument, deleteDocument, getDocument, listDocuments, updateDocument } from '../../src/services/databases/documents.js';
import { createIndex, deleteIndex } from '../../src/services/databases/indexes.js';
import { runSchemaJob } from '../../src/services/databases/index.js';
import { createRelationshipAttribute, updateRelationshipAttribute } from '../../src/services/databases/relationship-attributes.js';
import { createTransaction, getTransaction } from '../../src/services/databases/transactions.js';
import { commitTransaction } from '../../src/services/databases/transactions-commit.js';
import { stageWrite } from '../../src/services/databases/transactions-staging.js';
import { startInProcess, type InProcess } from '../support/in-process.js';
import { clearOutbox, fullestName, outboxNames as entryNames } from '../support/outbox-entries.js';

const PROJECT = 'outboxdatabases';
const key = serverCaller();
const api = LEGACY_API;

/**
 * Every write of the databases service and the outbox entries of its events commit
 * together: a write that fails or rolls back leaves no entry and publishes nothing; one that
 * commits leaves exactly the entries of what it published, in the same order.
 */
describe('outbox entries of database writes', () => {
  let app: InProcess;

  before(async () => {
    app = await startInProcess(PROJECT);
  });
  after(() => app.stop());
  beforeEach(() => clearOutbox(app, PROJECT));

  /** An event's fullest name in the legacy scheme: ids everywhere, the action at the end. */
  const nameOf = (event: PlinthEvent) => fullestName(event, (name) => name.startsWith('databases.'));

  const outboxNames = () => entryNames(app, PROJECT, nameOf);

  /** What was published and what the outbox holds are both exactly `names`. */
  async function leftExactly(names: string[]): Promise<void> {
    assert.deepEqual(app.events.map(nameOf), names);
    assert.deepEqual(await outboxNames(), names);
  }

  /** Runs the queued job of each attribute by hand (no worker runs here). */
  async function runAttributeJobs(databaseId: string, collectionId: string): Promise<void> {
    const { deps } = app.services;
    const store = schemaStore(deps.db.project(PROJECT));
    const database = await findDatabase(store, databaseId);
    const collection = await findCollection(store, database!.seq, collectionId);
    const attributes = await store.selectFrom('attributes').select('seq').where('collection_seq', '=', collection!.seq).where('status', '=', 'processing').execute();
    for (const { seq } of attributes) await runSchemaJob(deps, { projectId: PROJECT, action: 'createAttribute', seq });
  }

  test('databases, collections, attributes and indexes: each change leaves its entries, a refused one none', async () => {
    const { deps } = app.services;
    const ids = { databaseId: 'meta', collectionId: 'things' };
    await createDatabase(deps, PROJECT, api, { databaseId: 'meta', name: 'Meta' });
    await assert.rejects(createDatabase(deps, PROJECT, api, { databaseId: 'meta', name: 'Again' }), { type: 'database_already_exists' });
    await updateDatabase(deps, PROJECT, 'meta', { name: 'Meta 2' });
    await leftExactly(['databases.meta.create', 'databases.meta.update']);

    app.events.length = 0;
    await deps.db.project(PROJECT).deleteFrom('event_outbox').execute();
    await createCollection(deps, PROJECT, api, 'meta', { collectionId: 'things', name: 'Things' });
    // The taken id fails the insert inside the transaction: no second table, no entry.
    await assert.rejects(createCollection(deps, PROJECT, api, 'meta', { collectionId: 'things', name: 'Again' }), { type: 'collection_already_exists' });
    await updateCollection(deps, PROJECT, api, ids, { name: 'Things 2' });
    await createAttribute(deps, PROJECT, api, ids, 'string', 'title', { required: false, size: 32 });
    await assert.rejects(createAttribute(deps, PROJECT, api, ids, 'string', 'title', { required: false, size: 32 }), { type: 'attribute_already_exists' });
    await runAttributeJobs('meta', 'things');
    await createAttribute(deps, PROJECT, api, ids, 'string', 'label', { required: false, size: 32 });
    await runAttributeJobs('meta', 'things');
    await updateAttribute(deps, PROJECT, api, ids, 'string', 'label', { required: false, size: 48 });
    await assert.rejects(updateAttribute(deps, PROJECT, api, ids, 'string', 'label', { required: false, newKey: 'title' }), { type: 'attribute_already_exists' });
    await createIndex(deps, PROJECT, api, ids, { key: 'by_title', type: 'key', attributes: ['title'] });
    await assert.rejects(createIndex(deps, PROJECT, api, ids, { key: 'by_title', type: 'key', attributes: ['title'] }), { type: 'index_already_exists' });
    await deleteIndex(deps, PROJECT, api, ids, 'by_title');
    await deleteAttribute(deps, PROJECT, api, ids, 'label');
    await leftExactly([
      'databases.meta.collections.things.create',
      'databases.meta.collections.things.update',
      'databases.meta.collections.things.attributes.title.create',
      'databases.meta.collections.things.attributes.label.create',
      'databases.meta.collections.things.attributes.label.update',
      'databases.meta.collections.things.indexes.by_title.create',
      'databases.meta.collections.things.indexes.by_title.delete',
      'databases.meta.collections.things.attributes.label.delete',
    ]);

    app.events.length = 0;
    await deps.db.project(PROJECT).deleteFrom('event_outbox').execute();
    await createCollection(deps, PROJECT, api, 'meta', { collectionId: 'others', name: 'Others' });
    await createRelationshipAttribute(deps, PROJECT, api, ids, { relatedCollectionId: 'others', type: 'oneToMany', twoWay: true, key: 'others', twoWayKey: 'thing' });
    await assert.rejects(
      createRelationshipAttribute(deps, PROJECT, api, ids, { relatedCollectionId: 'others', type: 'oneToOne', key: 'others', twoWayKey: 'again' }),
      { type: 'attribute_already_exists' },
    );
    await updateRelationshipAttribute(deps, PROJECT, api, ids, 'others', { onDelete: 'cascade' });
    await deleteAttribute(deps, PROJECT, api, ids, 'others');
    await deleteCollection(deps, PROJECT, api, ids);
    await deleteDatabase(deps, PROJECT, 'meta');
    await leftExactly([
      'databases.meta.collections.others.create',
      'databases.meta.collections.things.attributes.others.create',
      'databases.meta.collections.others.attributes.thing.create',
      'databases.meta.collections.things.attributes.others.update',
      'databases.meta.collections.things.attributes.others.delete',
      'databases.meta.collections.things.delete',
      'databases.meta.delete',
    ]);
  });

  describe('documents', () => {
    const posts = { databaseId: 'docs', collectionId: 'posts' };

    before(async () => {
      const { deps } = app.services;
      await createDatabase(deps, PROJECT, api, { databaseId: 'docs', name: 'Docs' });
      await createCollection(deps, PROJECT, api, 'docs', { collectionId: 'posts', name: 'Posts' });
      await createAttribute(deps, PROJECT, api, posts, 'string', 'title', { required: false, size: 32 });
      await createAttribute(deps, PROJECT, api, posts, 'integer', 'count', { required: false, min: 0, max: 10 });
      await runAttributeJobs('docs', 'posts');
    });

    test('a delete, an operator update and counters leave their entries; a counter past its bound none', async () => {
      const { deps } = app.services;
      await createDocument(deps, PROJECT, api, key, posts, { documentId: 'd1', data: { title: 'One', count: 1 } });
      await updateDocument(deps, PROJECT, api, key, { ...posts, documentId: 'd1' }, { data: { count: '{"method":"increment","values":[2]}' } as never });
      await adjustDocumentNumber(deps, PROJECT, api, key, { ...posts, documentId: 'd1', attribute: 'count' }, { direction: 'increment', value: 1 });
      await assert.rejects(
        adjustDocumentNumber(deps, PROJECT, api, key, { ...posts, documentId: 'd1', attribute: 'count' }, { direction: 'increment', value: 1, bound: 4 }),
        { type: 'attribute_limit_exceeded' },
      );
      // A stale write is refused under the row's lock: the transaction rolls back.
      await assert.rejects(
        updateDocument(deps, PROJECT, api, key, { ...posts, documentId: 'd1' }, { data: { title: 'Late' }, unchangedSince: new Date('2000-01-01T00:00:00Z') }),
        { type: 'document_update_conflict' },
      );
      await deleteDocument(deps, PROJECT, api, key, { ...posts, documentId: 'd1' });
      const d1 = 'databases.docs.collections.posts.documents.d1';
      await leftExactly([`${d1}.create`, `${d1}.update`, `${d1}.update`, `${d1}.delete`]);
      assert.equal((app.events[2]!.payload as { count: number }).count, 4);
    });

    test('bulk writes leave one entry per document; a batch that hits a taken id none', async () => {
      const { deps } = app.services;
      const doc = (id: string) => `databases.docs.collections.posts.documents.${id}`;
      await createDocuments(deps, PROJECT, api, key, posts, [{ $id: 'b1', title: 'one' }, { $id: 'b2', title: 'two' }]);
      await assert.rejects(createDocuments(deps, PROJECT, api, key, posts, [{ $id: 'b9', title: 'new' }, { $id: 'b2', title: 'clash' }]), { type: 'document_already_exists' });
      await upsertDocuments(deps, PROJECT, api, key, posts, [{ $id: 'b2', title: 'deux' }, { $id: 'b3', title: 'three' }]);
      await updateDocumentsByQuery(deps, PROJECT, api, key, posts, { data: { title: 'same' }, queries: ['{"method":"equal","attribute":"$id","values":["b1"]}'] });
      await deleteDocumentsByQuery(deps, PROJECT, api, key, posts, ['{"method":"equal","attribute":"$id","values":["b1","b3"]}']);
      const deleted = app.events.slice(-2).map(nameOf).sort();
      assert.deepEqual(deleted, [`${doc('b1')}.delete`, `${doc('b3')}.delete`]);
      assert.deepEqual(app.events.slice(0, -2).map(nameOf), [`${doc('b1')}.create`, `${doc('b2')}.create`, `${doc('b2')}.update`, `${doc('b3')}.create`, `${doc('b1')}.update`]);
      assert.deepEqual(await outboxNames(), app.events.map(nameOf));
      assert.equal(app.events.length, 7);
    });

    test('a relationship cascade leaves the entries of every document it reached', async () => {
      const { deps } = app.services;
      const owners = { databaseId: 'docs', collectionId: 'owners' };
      await createCollection(deps, PROJECT, api, 'docs', { collectionId: 'owners', name: 'Owners' });
      await createCollection(deps, PROJECT, api, 'docs', { collectionId: 'pets', name: 'Pets' });
      await createRelationshipAttribute(deps, PROJECT, api, owners, { relatedCollectionId: 'pets', type: 'oneToMany', twoWay: true, key: 'pets', twoWayKey: 'owner', onDelete: 'cascade' });
      await runAttributeJobs('docs', 'owners');
      app.events.length = 0;
      await deps.db.project(PROJECT).deleteFrom('event_outbox').execute();

      await createDocument(deps, PROJECT, api, key, owners, { documentId: 'o1', data: { pets: [{ $id: 'p1' }, { $id: 'p2' }] } });
      // A related id naming no document fails the whole write inside its transaction, the nested create included.
      await assert.rejects(createDocument(deps, PROJECT, api, key, owners, { documentId: 'o2', data: { pets: [{ $id: 'p3' }, 'nobody'] } }), { type: 'relationship_value_invalid' });
      await deleteDocument(deps, PROJECT, api, key, { ...owners, documentId: 'o1' });
      const names = app.events.map(nameOf);
      assert.deepEqual(names.slice(0, 3), ['databases.docs.collections.owners.documents.o1.create', 'databases.docs.collections.pets.documents.p1.create', 'databases.docs.collections.pets.documents.p2.create']);
      assert.equal(names[3], 'databases.docs.collections.owners.documents.o1.delete');
      assert.deepEqual(names.slice(4).sort(), ['databases.docs.collections.pets.documents.p1.delete', 'databases.docs.collections.pets.documents.p2.delete']);
      assert.deepEqual(await outboxNames(), names);
    });

    test('a write whose outbox entry cannot be written does not happen', async () => {
      const { deps } = app.services;
      const owners = { databaseId: 'docs', collectionId: 'owners' };
      const db = deps.db.project(PROJECT);
      await createDocument(deps, PROJECT, api, key, posts, { documentId: 'kept', data: { title: 'kept', count: 1 } });
      const staged = await createTransaction(deps, PROJECT, key, {});
      await stageWrite(deps, PROJECT, api, key, staged.$id as string, { action: 'create', ...posts, documentId: 'staged', data: { title: 'staged' } });
      // The outbox table is away: the insert of the entries fails inside each write's transaction.
      await db.schema.alterTable('event_outbox').renameTo('event_outbox_away').execute();
      try {
        const refused = [
          () => deleteDocument(deps, PROJECT, api, key, { ...posts, documentId: 'kept' }),
          () => adjustDocumentNumber(deps, PROJECT, api, key, { ...posts, documentId: 'kept', attribute: 'count' }, { direction: 'increment', value: 1 }),
          () => updateDocument(deps, PROJECT, api, key, { ...posts, documentId: 'kept' }, { data: { count: '{"method":"increment","values":[2]}' } as never }),
          () => createDocuments(deps, PROJECT, api, key, posts, [{ $id: 'bulk', title: 'bulk' }]),
          () => deleteDocumentsByQuery(deps, PROJECT, api, key, posts, []),
          () => commitTransaction(deps, PROJECT, api, key, staged.$id as string),
          () => createDatabase(deps, PROJECT, api, { databaseId: 'never', name: 'Never' }),
          () => updateCollection(deps, PROJECT, api, posts, { name: 'Renamed' }),
          () => createCollection(deps, PROJECT, api, 'docs', { collectionId: 'never', name: 'Never' }),
          () => createAttribute(deps, PROJECT, api, posts, 'string', 'never', { required: false, size: 8 }),
          () => createIndex(deps, PROJECT, api, posts, { key: 'never', type: 'key', attributes: ['title'] }),
          () => createRelationshipAttribute(deps, PROJECT, api, posts, { relatedCollectionId: 'pets', type: 'oneToOne', key: 'never' }),
          () => createDocument(deps, PROJECT, api, key, owners, { documentId: 'o9', data: { pets: [{ $id: 'p9' }] } }),
        ];
        // One at a time: SQLite runs one transaction at a time.
        for (const write of refused) await assert.rejects(write());
      } finally {
        await db.schema.alterTable('event_outbox_away').renameTo('event_outbox').execute();
      }
      assert.deepEqual(app.events.map(nameOf), ['databases.docs.collections.posts.documents.kept.create']);
      const kept = await getDocument(deps, PROJECT, api, key, { ...posts, documentId: 'kept' }, []);
      assert.equal(kept.count, 1);
      const list = await listDocuments(deps, PROJECT, api, key, posts, { queries: ['{"method":"equal","attribute":"$id","values":["bulk","staged"]}'], total: true });
      assert.equal(list.value.total, 0);
      assert.equal((await getCollection(deps, PROJECT, api, posts)).name, 'Posts');
      const store = schemaStore(db);
      assert.equal(await findDatabase(store, 'never'), undefined);
      const database = await findDatabase(store, 'docs');
      assert.equal(await findCollection(store, database!.seq, 'never'), undefined);
      const names = await store.selectFrom('attributes').select('key').where('key', '=', 'never').execute();
      assert.deepEqual(names, []);
      assert.deepEqual(await store.selectFrom('indexes').select('key').where('key', '=', 'never').execute(), []);
      const nested = await listDocuments(deps, PROJECT, api, key, { databaseId: 'docs', collectionId: 'pets' }, { queries: ['{"method":"equal","attribute":"$id","values":["p9"]}'], total: true });
      assert.equal(nested.value.total, 0);
      await deleteDocument(deps, PROJECT, api, key, { ...posts, documentId: 'kept' });
    });

    test('a transaction commit leaves the entries of its writes; one that conflicts none', async () => {
      const { deps } = app.services;
      const doc = (id: string) => `databases.docs.collections.posts.documents.${id}`;
      const applied = await createTransaction(deps, PROJECT, key, {});
      await stageWrite(deps, PROJECT, api, key, applied.$id as string, { action: 'create', ...posts, documentId: 't1', data: { title: 'staged' } });
      await stageWrite(deps, PROJECT, api, key, applied.$id as string, { action: 'update', ...posts, documentId: 't1', data: { title: 'restaged' } });
      await commitTransaction(deps, PROJECT, api, key, applied.$id as string);
      await leftExactly([`${doc('t1')}.create`, `${doc('t1')}.update`]);

      const clashing = await createTransaction(deps, PROJECT, key, {});
      await stageWrite(deps, PROJECT, api, key, clashing.$id as string, { action: 'create', ...posts, documentId: 't2', data: { title: 'staged' } });
      await stageWrite(deps, PROJECT, api, key, clashing.$id as string, { action: 'create', ...posts, documentId: 't3', data: { title: 'staged' } });
      // t3 is taken meanwhile: the commit applies nothing, t2 included.
      await createDocument(deps, PROJECT, api, key, posts, { documentId: 't3', data: { title: 'direct' } });
      await assert.rejects(commitTransaction(deps, PROJECT, api, key, clashing.$id as string), { type: 'transaction_conflict' });
      assert.equal((await getTransaction(deps, PROJECT, key, clashing.$id as string)).status, 'failed');
      await leftExactly([`${doc('t1')}.create`, `${doc('t1')}.update`, `${doc('t3')}.create`]);
    });
  });
});
