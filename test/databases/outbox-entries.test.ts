import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TABLES_API } from '../../src/services/databases/api-names.js';
import { createAttribute } from '../../src/services/databases/attributes.js';
import { createCollection } from '../../src/services/databases/collections.js';
import { createDatabase } from '../../src/services/databases/databases.js';
import { createDocument, getDocument, listDocuments, updateDocument } from '../../src/services/databases/documents.js';
import { runSchemaJob } from '../../src/services/databases/index.js';
import { openOutboxEvent } from '../../src/services/event-outbox.js';
import { decryptValue, encryptValue } from '../../src/core/crypto.js';
import { stringifyExactJson } from '../../src/core/exact-json.js';
import { splitOutboxEntry } from '../../src/data/outbox/event-outbox.js';
import type { PlinthEvent } from '../../src/infra/events/event-bus.js';
import { guestCaller, serverCaller, userCaller, type Caller } from '../../src/core/caller.js';
import { findAttributeSeq } from './in-process-helpers.js';
import { startInProcess, type InProcess } from '../support/in-process.js';

const PROJECT = 'outboxentries';
const key = serverCaller();
const ids = { databaseId: 'db', collectionId: 'posts' };

/**
 * What the outbox keeps for function triggers and webhooks must be the document as stored:
 * on PostgreSQL a create or update and its entry are one statement, the event built before it.
 */
describe('outbox entries of document writes', () => {
  let app: InProcess;

  before(async () => {
    app = await startInProcess(PROJECT);
    const { deps } = app.services;
    await createDatabase(deps, PROJECT, TABLES_API, { databaseId: 'db', name: 'DB' });
    await createCollection(deps, PROJECT, TABLES_API, 'db', { collectionId: 'posts', name: 'Posts', permissions: [], documentSecurity: true });
    const attributes = [
      ['string', 'title', { required: true, size: 64 }],
      ['integer', 'rank', { required: false, default: 7 }],
      ['bigint', 'big', { required: false }],
      ['float', 'score', { required: false }],
      ['boolean', 'draft', { required: false, default: true }],
      ['string', 'tags', { required: false, size: 16, array: true }],
      ['string', 'secret', { required: false, size: 150, encrypt: true }],
      ['datetime', 'due', { required: false }],
    ] as const;
    for (const [type, name, input] of attributes) {
      await createAttribute(deps, PROJECT, TABLES_API, ids, type, name, input);
      await runSchemaJob(deps, { projectId: PROJECT, action: 'createAttribute', seq: await findAttributeSeq(deps, PROJECT, name) });
    }
  });
  after(() => app.stop());

  /** The payloads of the entries waiting in the outbox (no worker hands them on here), oldest first. */
  async function outboxPayloads(): Promise<unknown[]> {
    const { deps } = app.services;
    const rows = await deps.db.project(PROJECT).selectFrom('event_outbox').select('event').orderBy('seq').execute();
    return rows.map((row) => openOutboxEvent(deps, row.event).payload);
  }

  test('a create and an update leave entries holding the document as a read answers it', async () => {
    const { deps } = app.services;
    const data = { title: 'First', big: 9007199254740993n, score: 0.1, tags: ['a', 'b'], secret: 'hush', due: '2026-12-07T10:00:00.000+00:00' };
    const before = (await outboxPayloads()).length;
    const created = await createDocument(deps, PROJECT, TABLES_API, key, ids, { documentId: 'p1', data, permissions: ['read("any")', 'update("users")'] });
    const read = await getDocument(deps, PROJECT, TABLES_API, key, { ...ids, documentId: 'p1' }, []);
    assert.deepEqual(created, read);
    assert.match(String(read.$sequence), /^[1-9][0-9]*$/);
    assert.deepEqual((await outboxPayloads()).slice(before), [read]);

    const updated = await updateDocument(deps, PROJECT, TABLES_API, key, { ...ids, documentId: 'p1' }, { data: { title: 'Second', score: -2.5, draft: false }, permissions: ['read("users")'] });
    const reread = await getDocument(deps, PROJECT, TABLES_API, key, { ...ids, documentId: 'p1' }, []);
    assert.deepEqual(updated, reread);
    assert.deepEqual(reread.$permissions, ['read("users")']);
    assert.deepEqual((await outboxPayloads()).slice(before), [read, reread]);

    // The permission rows followed: lists filter on them.
    const visibleTo = async (caller: Caller) => (await listDocuments(deps, PROJECT, TABLES_API, caller, ids, { queries: [], total: true })).value.total;
    assert.equal(await visibleTo(guestCaller('')), 0);
    assert.equal(await visibleTo(userCaller({ id: 'ada' }, ['any', 'users', 'user:ada'])), 1);
  });

  test("an entry keeps the event's names by their roots and opens with every one, as do entries sealed with the names", async () => {
    const { deps } = app.services;
    const published: PlinthEvent[] = [];
    const stop = deps.events.subscribe((event) => void published.push(event));
    try {
      await createDocument(deps, PROJECT, TABLES_API, key, ids, { documentId: 'p2', data: { title: 'Rooted' }, permissions: [] });
    } finally {
      stop();
    }
    const store = deps.db.project(PROJECT);
    const [last] = await store.selectFrom('event_outbox').select('event').orderBy('seq', 'desc').limit(1).execute();
    const { sealed } = splitOutboxEntry(last!.event);
    const stored = JSON.parse(decryptValue(deps.secretKey, sealed)) as Record<string, unknown>;
    assert.equal(stored.names, undefined);
    assert.equal((stored.nameRoots as unknown[]).length, 3);
    const opened = openOutboxEvent(deps, last!.event);
    assert.equal(published.length, 1);
    assert.deepEqual(opened, published[0]);
    assert.ok(opened.names.includes('tablesdb.db.tables.posts.rows.p2.create'));

    // A row written before names were kept by their roots reads as it did.
    const withNames = encryptValue(deps.secretKey, stringifyExactJson(published[0]));
    assert.deepEqual(openOutboxEvent(deps, withNames), published[0]);
  });
});
