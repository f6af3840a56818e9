import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { Databases, Query, TablesDB } from 'node-appwrite';
import { TestServer } from '../support/plinth.js';
import { rejectsWith } from '../support/sdk.js';
import { startDatabaseServer, waitForSchema } from './helpers.js';

const PROJECT = 'sealed';
const DB = 'vault';
const SECRET = 'the-clear-secret-value-7f3a9c';

/** Every byte the project's store holds: its SQLite files, or its PostgreSQL schema's rows as text. */
async function storedText(server: TestServer): Promise<string> {
  if (!server.database.url) {
    const file = join(server.dataDir, 'projects', `${PROJECT}.sqlite`);
    return ['', '-wal'].map((suffix) => (existsSync(file + suffix) ? readFileSync(file + suffix).toString('latin1') : '')).join('');
  }
  const client = new pg.Client({ connectionString: server.database.url });
  await client.connect();
  try {
    const schema = `project_${PROJECT}`;
    const { rows } = await client.query<{ table_name: string }>('select table_name from information_schema.tables where table_schema = $1', [schema]);
    let text = '';
    for (const { table_name } of rows) {
      const dump = await client.query(`select t::text as row from ${client.escapeIdentifier(schema)}.${client.escapeIdentifier(table_name)} t`);
      text += dump.rows.map((r: { row: string }) => r.row).join('\n');
    }
    return text;
  } finally {
    await client.end();
  }
}

describe('encrypted string attributes and columns', () => {
  let server: TestServer;
  let databases: Databases;
  let tables: TablesDB;

  before(async () => {
    ({ server, tables, databases } = await startDatabaseServer(PROJECT));
    await tables.create({ databaseId: DB, name: 'Vault' });
    await tables.createTable({ databaseId: DB, tableId: 'secrets', name: 'Secrets' });
    await databases.createCollection({ databaseId: DB, collectionId: 'notes', name: 'Notes' });
  });
  after(() => server.stop());

  test('string-like columns take encrypt and report it; encrypted strings need size 150', async () => {
    const string = await tables.createStringColumn({ databaseId: DB, tableId: 'secrets', key: 'token', size: 150, required: false, encrypt: true });
    assert.equal(string.encrypt, true);
    const varchar = await tables.createVarcharColumn({ databaseId: DB, tableId: 'secrets', key: 'pin', size: 200, required: false, encrypt: true, xdefault: 'unset' });
    assert.equal(varchar.encrypt, true);
    const text = await tables.createTextColumn({ databaseId: DB, tableId: 'secrets', key: 'notes', required: false, encrypt: true, array: true });
    assert.equal(text.encrypt, true);
    await tables.createStringColumn({ databaseId: DB, tableId: 'secrets', key: 'label', size: 20, required: false });
    const attribute = await databases.createLongtextAttribute({ databaseId: DB, collectionId: 'notes', key: 'body', required: true, encrypt: true });
    assert.equal(attribute.encrypt, true);
    await waitForSchema(tables, DB, 'secrets');
    const listed = await tables.listColumns({ databaseId: DB, tableId: 'secrets' });
    assert.deepEqual(listed.columns.map((c) => [c.key, (c as { encrypt?: boolean }).encrypt]), [['token', true], ['pin', true], ['notes', true], ['label', false]]);

    await rejectsWith(tables.createStringColumn({ databaseId: DB, tableId: 'secrets', key: 'small', size: 149, required: false, encrypt: true }), 400, 'general_bad_request');
    await rejectsWith(tables.createVarcharColumn({ databaseId: DB, tableId: 'secrets', key: 'small', size: 20, required: false, encrypt: true }), 400, 'general_bad_request');
  });

  test('readers get the clear value; the store holds none of it', async () => {
    const row = await tables.createRow({ databaseId: DB, tableId: 'secrets', rowId: 'one', data: { token: SECRET, notes: [`${SECRET}-a`, `${SECRET}-b`], label: 'first' } as never });
    assert.deepEqual([row.token, row.pin, row.notes], [SECRET, 'unset', [`${SECRET}-a`, `${SECRET}-b`]]);
    const read = await tables.getRow({ databaseId: DB, tableId: 'secrets', rowId: 'one' });
    assert.deepEqual([read.token, read.pin, read.notes], [SECRET, 'unset', [`${SECRET}-a`, `${SECRET}-b`]]);
    const updated = await tables.updateRow({ databaseId: DB, tableId: 'secrets', rowId: 'one', data: { pin: `${SECRET}-pin` } as never });
    assert.equal(updated.pin, `${SECRET}-pin`);
    const listed = await tables.listRows({ databaseId: DB, tableId: 'secrets', queries: [Query.equal('label', 'first')] });
    assert.equal(listed.rows[0]!.token, SECRET);
    const document = await databases.createDocument({ databaseId: DB, collectionId: 'notes', documentId: 'n1', data: { body: `${SECRET}-body` } as never });
    assert.equal(document.body, `${SECRET}-body`);

    const stored = await storedText(server);
    assert.ok(stored.length > 0);
    assert.ok(!stored.includes(SECRET), 'the clear value is in the store');
    assert.ok(stored.includes('first'), 'a plain value is in the store as it is');
  });

  test('encrypted columns cannot be queried, ordered or indexed', async () => {
    await rejectsWith(tables.listRows({ databaseId: DB, tableId: 'secrets', queries: [Query.equal('token', SECRET)] }), 400, 'general_query_invalid');
    await rejectsWith(tables.listRows({ databaseId: DB, tableId: 'secrets', queries: [Query.or([Query.equal('label', 'x'), Query.startsWith('pin', 'a')])] }), 400, 'general_query_invalid');
    await rejectsWith(tables.listRows({ databaseId: DB, tableId: 'secrets', queries: [Query.orderAsc('token')] }), 400, 'general_query_invalid');
    await rejectsWith(tables.createIndex({ databaseId: DB, tableId: 'secrets', key: 'by_token', type: 'key' as never, columns: ['token'] }), 400, 'column_index_invalid');
    await rejectsWith(databases.createIndex({ databaseId: DB, collectionId: 'notes', key: 'by_body', type: 'fulltext' as never, attributes: ['body'] }), 400, 'index_invalid');
    // Selecting one is reading it: allowed.
    const selected = await tables.listRows({ databaseId: DB, tableId: 'secrets', queries: [Query.select(['token'])] });
    assert.equal(selected.rows[0]!.token, SECRET);
  });
});
