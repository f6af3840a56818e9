import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { after, before, describe, test } from 'node:test';
import { Client, Databases, Permission, Role, TablesDB } from 'node-appwrite';
import { BIN, TestServer } from '../support/plinth.js';
import { rejectsWith } from '../support/sdk.js';
import { startDatabaseServer, waitForSchema } from './helpers.js';

const PROJECT = 'schemacache';
const DB = 'cache';
const TABLE = 'notes';

/** A second `plinth serve` on the same data directory and database: another node. */
async function startSecondNode(server: TestServer): Promise<{ child: ChildProcess; endpoint: string }> {
  const child = spawn(process.execPath, [BIN, 'serve'], { env: server.processEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  const logs: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`second node exited with ${code}: ${logs.join('')}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      logs.push(line);
      const found = /"url":"(http:\/\/[^"]+)"/.exec(line)?.[1];
      if (found) resolve(found.replace('localhost', '127.0.0.1'));
    });
  });
  return { child, endpoint: `${url}/v1` };
}

function clientsOf(endpoint: string, key?: string): { tables: TablesDB; databases: Databases } {
  const client = new Client().setEndpoint(endpoint).setProject(PROJECT);
  if (key) client.setKey(key);
  return { tables: new TablesDB(client), databases: new Databases(client) };
}

/**
 * Every node caches collection metadata; a schema change made through one node must be
 * seen by the very next document request on any node, with no wait in between.
 */
describe('document requests see schema changes at once, on every node', () => {
  let server: TestServer;
  let key: string;
  let tables: TablesDB;
  let second: { child: ChildProcess; endpoint: string };
  let other: { tables: TablesDB; databases: Databases };
  let otherGuest: { tables: TablesDB; databases: Databases };

  before(async () => {
    ({ server, key, tables } = await startDatabaseServer(PROJECT));
    second = await startSecondNode(server);
    other = clientsOf(second.endpoint, key);
    otherGuest = clientsOf(second.endpoint);
    await tables.create({ databaseId: DB, name: 'Cache' });
    await tables.createTable({ databaseId: DB, tableId: TABLE, name: 'Notes' });
    await tables.createStringColumn({ databaseId: DB, tableId: TABLE, key: 'title', size: 64, required: true });
    await waitForSchema(tables, DB, TABLE);
    // Both nodes now hold the table's metadata.
    await tables.createRow({ databaseId: DB, tableId: TABLE, rowId: 'first', data: { title: 'First' } as never });
    assert.equal((await other.tables.getRow({ databaseId: DB, tableId: TABLE, rowId: 'first' })).title, 'First');
  });
  after(async () => {
    if (second.child.exitCode === null) {
      const exited = new Promise((done) => second.child.once('exit', done));
      second.child.kill('SIGTERM');
      await exited;
    }
    await server.stop();
  });

  test('a new column is writable and readable on the other node as soon as it is available', async () => {
    await rejectsWith(
      other.tables.createRow({ databaseId: DB, tableId: TABLE, rowId: 'early', data: { title: 'Early', rank: 1 } as never }),
      400,
      'row_invalid_structure',
    );
    await tables.createIntegerColumn({ databaseId: DB, tableId: TABLE, key: 'rank', required: false });
    assert.equal((await waitForSchema(tables, DB, TABLE)).rank, 'available');
    const row = await other.tables.createRow({ databaseId: DB, tableId: TABLE, rowId: 'ranked', data: { title: 'Ranked', rank: 7 } as never });
    assert.equal(row.rank, 7);
    assert.equal((await other.tables.getRow({ databaseId: DB, tableId: TABLE, rowId: 'first' })).rank, null);
    const listed = await other.tables.listRows({ databaseId: DB, tableId: TABLE, queries: ['{"method":"equal","attribute":"rank","values":[7]}'] });
    assert.deepEqual(listed.rows.map((r) => r.$id), ['ranked']);
  });

  test('a permission change decides the next guest request on either node', async () => {
    await rejectsWith(otherGuest.tables.getRow({ databaseId: DB, tableId: TABLE, rowId: 'first' }), 404, 'row_not_found');
    await tables.updateTable({ databaseId: DB, tableId: TABLE, name: 'Notes', permissions: [Permission.read(Role.any())] });
    assert.equal((await otherGuest.tables.getRow({ databaseId: DB, tableId: TABLE, rowId: 'first' })).title, 'First');
    assert.equal((await otherGuest.tables.listRows({ databaseId: DB, tableId: TABLE })).total, 2);
    // Changed back through the other node, seen by the first.
    await other.tables.updateTable({ databaseId: DB, tableId: TABLE, name: 'Notes', permissions: [] });
    const guest = new TablesDB(new Client().setEndpoint(server.endpoint).setProject(PROJECT));
    await rejectsWith(guest.getRow({ databaseId: DB, tableId: TABLE, rowId: 'first' }), 404, 'row_not_found');
    await rejectsWith(otherGuest.tables.listRows({ databaseId: DB, tableId: TABLE }), 401, 'user_unauthorized');
  });

  test('a deleted column disappears from reads and writes on the other node', async () => {
    await tables.deleteColumn({ databaseId: DB, tableId: TABLE, key: 'rank' });
    for (let attempt = 0; ; attempt++) {
      const columns = (await tables.getTable({ databaseId: DB, tableId: TABLE })).columns as { key: string }[];
      if (!columns.some((c) => c.key === 'rank')) break;
      assert.ok(attempt < 500, 'column rank was never deleted');
      await new Promise((resolve) => setImmediate(resolve));
    }
    const row = await other.tables.getRow({ databaseId: DB, tableId: TABLE, rowId: 'ranked' });
    assert.equal('rank' in row, false);
    await rejectsWith(
      other.tables.createRow({ databaseId: DB, tableId: TABLE, rowId: 'late', data: { title: 'Late', rank: 2 } as never }),
      400,
      'row_invalid_structure',
    );
    await rejectsWith(
      other.tables.listRows({ databaseId: DB, tableId: TABLE, queries: ['{"method":"equal","attribute":"rank","values":[7]}'] }),
      400,
      'general_query_invalid',
    );
  });

  test('a deleted table and database are gone for the other node', async () => {
    await tables.deleteTable({ databaseId: DB, tableId: TABLE });
    await rejectsWith(other.tables.getRow({ databaseId: DB, tableId: TABLE, rowId: 'first' }), 404, 'table_not_found');
    await tables.delete({ databaseId: DB });
    await rejectsWith(other.tables.listRows({ databaseId: DB, tableId: TABLE }), 404, 'database_not_found');
    // The same ids again: a fresh table, not the cached one.
    await other.tables.create({ databaseId: DB, name: 'Again' });
    await other.tables.createTable({ databaseId: DB, tableId: TABLE, name: 'Notes' });
    assert.equal((await tables.listRows({ databaseId: DB, tableId: TABLE })).total, 0);
  });
});
