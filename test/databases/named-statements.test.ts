import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Query, TablesDB } from 'node-appwrite';
import { TestServer } from '../support/plinth.js';
import { sdkClient } from '../support/sdk.js';
import { waitForSchema } from './helpers.js';

const PROJECT = 'namedstatements';
const DB = 'main';
const TABLE = 'posts';
/** Enough repeats that the statements are named and prepared on the connections that serve them. */
const REPEATS = 12;

/**
 * On PostgreSQL repeated reads run as named prepared statements, which the server refuses once
 * when the table they read gains a column; the reads must go on answering, with the column.
 */
describe('reads repeated across a schema change', () => {
  let server: TestServer;
  let tables: TablesDB;

  before(async () => {
    server = await TestServer.start();
    await server.createProject(PROJECT);
    tables = new TablesDB(sdkClient(server, PROJECT, await server.createKey(PROJECT)));
    await tables.create({ databaseId: DB, name: 'Main' });
    await tables.createTable({ databaseId: DB, tableId: TABLE, name: 'Posts' });
    await tables.createStringColumn({ databaseId: DB, tableId: TABLE, key: 'title', size: 64, required: true });
    await waitForSchema(tables, DB, TABLE);
    for (let index = 0; index < 3; index++) {
      await tables.createRow({ databaseId: DB, tableId: TABLE, rowId: `row${index}`, data: { title: `Post ${index}` } });
    }
  });
  after(async () => {
    await server?.stop();
  });

  const readAll = async () => {
    const rows: Record<string, unknown>[] = [];
    for (let round = 0; round < REPEATS; round++) {
      rows.push(await tables.getRow({ databaseId: DB, tableId: TABLE, rowId: 'row1' }));
      const list = await tables.listRows({ databaseId: DB, tableId: TABLE, queries: [Query.equal('title', 'Post 2')] });
      assert.equal(list.total, 1);
      rows.push(list.rows[0]!);
    }
    return rows;
  };

  test('get and list answer with the new column after it is added, and writes go on', async () => {
    for (const row of await readAll()) assert.equal('rank' in row, false);
    await tables.createIntegerColumn({ databaseId: DB, tableId: TABLE, key: 'rank', required: false });
    await waitForSchema(tables, DB, TABLE);
    for (const row of await readAll()) assert.equal(row.rank, null);

    await tables.updateRow({ databaseId: DB, tableId: TABLE, rowId: 'row1', data: { rank: 7 } });
    const created = await tables.createRow({ databaseId: DB, tableId: TABLE, rowId: 'row3', data: { title: 'Post 3', rank: 8 } });
    assert.equal(created.rank, 8);
    assert.equal((await tables.getRow({ databaseId: DB, tableId: TABLE, rowId: 'row1' })).rank, 7);

    await tables.deleteColumn({ databaseId: DB, tableId: TABLE, key: 'rank' });
    await waitForSchema(tables, DB, TABLE);
    for (const row of await readAll()) assert.equal('rank' in row, false);
  });
});
