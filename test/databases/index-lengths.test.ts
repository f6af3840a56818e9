import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/data/database.js';
import { addAttributeColumn, createColumnIndex, createDocumentTable } from '../../src/data/documents/document-ddl.js';
import { insertDocument } from '../../src/data/documents/document-store.js';
import { openDatabase } from '../../src/data/open-database.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';

/** Index lengths on the engine under test: a unique prefix, and a key index that ignores its length. */
describe('index lengths', () => {
  let dataDir: string;
  let testDatabase: TestDatabase;
  let database: Database;
  let db: Kysely<any>;
  const insert = (seq: number, id: string, code: string) =>
    insertDocument(db, seq, { id, createdAt: 'now', updatedAt: 'now', permissions: [], grants: [], values: { col_1: code } });

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'plinth-index-lengths-'));
    testDatabase = await createTestDatabase();
    database = openDatabase({ url: testDatabase.url, dataDir });
    await database.migrate();
    await database.createProjectStore('lengths');
    db = database.project('lengths');
    for (const seq of [1, 2]) {
      await createDocumentTable(db, database.dialect, seq);
      await addAttributeColumn(db, seq, 1, 'text', false);
    }
  });
  after(async () => {
    await database.close();
    await testDatabase.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  test('a unique index with a length makes the first characters unique', async () => {
    await createColumnIndex(db, 1, 1, [{ column: 'col_1', order: 'desc', length: 3 }], true);
    assert.notEqual(await insert(1, 'a', 'abcdef'), 'exists');
    assert.equal(await insert(1, 'b', 'abcxyz'), 'exists');
    assert.notEqual(await insert(1, 'c', 'abd'), 'exists');
  });

  test('a key index with a length indexes whole values and constrains nothing', async () => {
    await createColumnIndex(db, 2, 1, [{ column: 'col_1', order: null, length: 3 }], false);
    assert.notEqual(await insert(2, 'a', 'abcdef'), 'exists');
    assert.notEqual(await insert(2, 'b', 'abcdef'), 'exists');
  });
});
