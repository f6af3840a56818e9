import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { WebSocket } from 'ws';
import { Databases, Operator, Permission, Query, Role, TablesDB } from 'node-appwrite';
import { TestServer } from '../support/plinth.js';
import { rejectsWith } from '../support/sdk.js';
import { startDatabaseServer, waitForSchema } from './helpers.js';

const PROJECT = 'bigints';
const DB = 'numbers';

const ABOVE_SAFE = 2n ** 53n + 1n;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

describe('bigint attributes and columns', () => {
  let server: TestServer;
  let databases: Databases;
  let tables: TablesDB;
  let key: string;

  before(async () => {
    ({ server, tables, databases, key } = await startDatabaseServer(PROJECT));
    await tables.create({ databaseId: DB, name: 'Numbers' });
    await tables.createTable({ databaseId: DB, tableId: 'ledger', name: 'Ledger' });
    await databases.createCollection({ databaseId: DB, collectionId: 'counts', name: 'Counts' });
  });
  after(() => server.stop());

  test('a column reports the 64-bit bounds exactly, and its own bounds and default', async () => {
    const plain = await tables.createBigIntColumn({ databaseId: DB, tableId: 'ledger', key: 'amount', required: false });
    assert.deepEqual([plain.type, plain.min, plain.max, plain.default], ['bigint', INT64_MIN, INT64_MAX, null]);
    const bounded = await tables.createBigIntColumn({ databaseId: DB, tableId: 'ledger', key: 'bounded', required: false, min: -5, max: ABOVE_SAFE, xdefault: ABOVE_SAFE - 1n });
    assert.deepEqual([bounded.min, bounded.max, bounded.default], [-5, ABOVE_SAFE, ABOVE_SAFE - 1n]);
    await tables.createBigIntColumn({ databaseId: DB, tableId: 'ledger', key: 'many', required: false, array: true });
    const attribute = await databases.createBigIntAttribute({ databaseId: DB, collectionId: 'counts', key: 'views', required: true });
    assert.deepEqual([attribute.type, attribute.required, attribute.max], ['bigint', true, INT64_MAX]);
    assert.deepEqual(await waitForSchema(tables, DB, 'ledger'), { amount: 'available', bounded: 'available', many: 'available' });

    await rejectsWith(tables.createBigIntColumn({ databaseId: DB, tableId: 'ledger', key: 'upside', required: false, min: 10, max: 1 }), 400, 'column_value_invalid');
    await rejectsWith(tables.createBigIntColumn({ databaseId: DB, tableId: 'ledger', key: 'outside', required: false, min: 0, max: 10, xdefault: 11 }), 400, 'column_value_invalid');
    await rejectsWith(tables.createBigIntColumn({ databaseId: DB, tableId: 'ledger', key: 'req', required: true, xdefault: 1 }), 400, 'column_default_unsupported');

    const updated = await tables.updateBigIntColumn({ databaseId: DB, tableId: 'ledger', key: 'bounded', required: false, min: -(2n ** 60n), max: 2n ** 60n, xdefault: null as never });
    assert.deepEqual([updated.min, updated.max, updated.default], [-(2n ** 60n), 2n ** 60n, null]);
    const got = await tables.getColumn({ databaseId: DB, tableId: 'ledger', key: 'bounded' });
    assert.deepEqual([(got as { min: bigint }).min, (got as { max: bigint }).max], [-(2n ** 60n), 2n ** 60n]);
  });

  test('edge values round-trip exactly through rows, arrays and defaults', async () => {
    const edges = [ABOVE_SAFE, -ABOVE_SAFE, INT64_MIN, INT64_MAX, 0n];
    for (const [i, value] of edges.entries()) {
      const row = await tables.createRow({ databaseId: DB, tableId: 'ledger', rowId: `r${i}`, data: { amount: value, many: [value, 7] } as never });
      assert.equal(BigInt(row.amount as bigint), value);
      assert.deepEqual((row.many as (bigint | number)[]).map((v) => BigInt(v)), [value, 7n]);
    }
    const read = await tables.getRow({ databaseId: DB, tableId: 'ledger', rowId: 'r0' });
    assert.equal(read.amount, ABOVE_SAFE);
    assert.equal(typeof read.amount, 'bigint');
    // Within 2^53 the SDK gets a plain number, as from Appwrite.
    assert.equal(typeof (await tables.getRow({ databaseId: DB, tableId: 'ledger', rowId: 'r4' })).amount, 'number');

    const document = await databases.createDocument({ databaseId: DB, collectionId: 'counts', documentId: 'd1', data: { views: INT64_MAX } as never });
    assert.equal(document.views, INT64_MAX);
    const listed = await databases.listDocuments({ databaseId: DB, collectionId: 'counts' });
    assert.equal(listed.documents[0]!.views, INT64_MAX);
  });

  test('the JSON carries the digits as a plain number, as Appwrite writes it', async () => {
    const response = await fetch(`${server.endpoint}/tablesdb/${DB}/tables/ledger/rows/r2`, { headers: { 'x-appwrite-project': PROJECT, 'x-appwrite-key': key } });
    const text = await response.text();
    assert.match(text, /"amount":-9223372036854775808[,}]/);
    const created = await fetch(`${server.endpoint}/tablesdb/${DB}/tables/ledger/rows`, {
      method: 'POST',
      headers: { 'x-appwrite-project': PROJECT, 'x-appwrite-key': key, 'content-type': 'application/json' },
      body: '{"rowId":"raw","data":{"amount":9007199254740993}}',
    });
    assert.equal(created.status, 201);
    assert.match(await created.text(), /"amount":9007199254740993[,}]/);
  });

  test('queries compare 64-bit values exactly and order by them', async () => {
    const equal = await tables.listRows({ databaseId: DB, tableId: 'ledger', queries: [Query.equal('amount', [ABOVE_SAFE as never])] });
    assert.deepEqual(equal.rows.map((r) => r.$id).sort(), ['r0', 'raw']);
    // 2^53 + 1 and 2^53 are one number as doubles: an exact compare tells them apart.
    const above = await tables.listRows({ databaseId: DB, tableId: 'ledger', queries: [Query.greaterThan('amount', (ABOVE_SAFE - 1n) as never), Query.lessThan('amount', INT64_MAX as never)] });
    assert.deepEqual(above.rows.map((r) => r.$id).sort(), ['r0', 'raw']);
    const ordered = await tables.listRows({ databaseId: DB, tableId: 'ledger', queries: [Query.orderAsc('amount'), Query.isNotNull('amount')] });
    assert.deepEqual(ordered.rows.map((r) => r.$id), ['r2', 'r1', 'r4', 'r0', 'raw', 'r3']);
    await tables.createIndex({ databaseId: DB, tableId: 'ledger', key: 'by_amount', type: 'unique' as never, columns: ['bounded'] });
    const statuses = await waitForSchema(tables, DB, 'ledger');
    assert.equal(statuses.by_amount, 'available');
  });

  test('values that are no 64-bit integer, or outside the bounds, are refused', async () => {
    // Digits as a string are a bigint (as Appwrite takes them); anything else that is no integer is refused.
    for (const amount of ['12.5', 'twelve', 1.5, true]) {
      await rejectsWith(tables.createRow({ databaseId: DB, tableId: 'ledger', rowId: 'bad', data: { amount } as never }), 400, 'row_invalid_structure');
    }
    await rejectsWith(tables.createRow({ databaseId: DB, tableId: 'ledger', rowId: 'bad', data: { bounded: 2n ** 60n + 1n } as never }), 400, 'row_invalid_structure');
    const tooBig = await fetch(`${server.endpoint}/databases/${DB}/collections/counts/documents`, {
      method: 'POST',
      headers: { 'x-appwrite-project': PROJECT, 'x-appwrite-key': key, 'content-type': 'application/json' },
      body: '{"documentId":"big","data":{"views":9223372036854775808}}',
    });
    assert.equal(tooBig.status, 400);
    assert.equal(((await tooBig.json()) as { type: string }).type, 'document_invalid_structure');
  });

  test('increment and decrement step exactly in 64 bits, within the bounds', async () => {
    await tables.createBigIntColumn({ databaseId: DB, tableId: 'ledger', key: 'small', required: false, min: -3, max: ABOVE_SAFE });
    await waitForSchema(tables, DB, 'ledger');
    const T = { databaseId: DB, tableId: 'ledger' };
    await tables.createRow({ ...T, rowId: 'c1', data: { amount: 2n ** 53n } as never });
    const once = await tables.incrementRowColumn({ ...T, rowId: 'c1', column: 'amount' });
    assert.equal(once.amount, ABOVE_SAFE);
    assert.equal((await tables.incrementRowColumn({ ...T, rowId: 'c1', column: 'amount', value: (2n ** 60n) as never })).amount, ABOVE_SAFE + 2n ** 60n);
    assert.equal((await tables.decrementRowColumn({ ...T, rowId: 'c1', column: 'amount', value: (2n ** 60n) as never })).amount, ABOVE_SAFE);

    // Up to the 64-bit edge and no further: the refused step changes nothing.
    await tables.updateRow({ ...T, rowId: 'c1', data: { amount: INT64_MAX - 1n } as never });
    assert.equal((await tables.incrementRowColumn({ ...T, rowId: 'c1', column: 'amount' })).amount, INT64_MAX);
    await rejectsWith(tables.incrementRowColumn({ ...T, rowId: 'c1', column: 'amount' }), 400, 'column_limit_exceeded');
    await tables.updateRow({ ...T, rowId: 'c1', data: { amount: INT64_MIN + 2n } as never });
    assert.equal((await tables.decrementRowColumn({ ...T, rowId: 'c1', column: 'amount', value: 2 })).amount, INT64_MIN);
    await rejectsWith(tables.decrementRowColumn({ ...T, rowId: 'c1', column: 'amount', value: INT64_MAX as never }), 400, 'column_limit_exceeded');
    assert.equal((await tables.getRow({ ...T, rowId: 'c1' })).amount, INT64_MIN);

    // A caller's bound past 2^53 holds exactly, as does the column's own.
    await tables.updateRow({ ...T, rowId: 'c1', data: { amount: 2n ** 53n } as never });
    await rejectsWith(tables.incrementRowColumn({ ...T, rowId: 'c1', column: 'amount', value: 2, max: ABOVE_SAFE as never }), 400, 'column_limit_exceeded');
    assert.equal((await tables.incrementRowColumn({ ...T, rowId: 'c1', column: 'amount', value: 1, max: ABOVE_SAFE as never })).amount, ABOVE_SAFE);
    assert.equal((await tables.incrementRowColumn({ ...T, rowId: 'c1', column: 'small', value: (ABOVE_SAFE - 1n) as never })).small, ABOVE_SAFE - 1n);
    await rejectsWith(tables.incrementRowColumn({ ...T, rowId: 'c1', column: 'small', value: 2 }), 400, 'column_limit_exceeded');
    assert.equal((await tables.incrementRowColumn({ ...T, rowId: 'c1', column: 'small' })).small, ABOVE_SAFE);

    // The collections API answers the same.
    const document = await databases.decrementDocumentAttribute({ databaseId: DB, collectionId: 'counts', documentId: 'd1', attribute: 'views', value: (2n ** 62n) as never });
    assert.equal(document.views, INT64_MAX - 2n ** 62n);
    await rejectsWith(databases.incrementDocumentAttribute({ databaseId: DB, collectionId: 'counts', documentId: 'd1', attribute: 'views', value: (2n ** 62n + 1n) as never }), 400, 'attribute_limit_exceeded');
  });

  test('a bigint step that is no whole positive 64-bit number is refused', async () => {
    const T = { databaseId: DB, tableId: 'ledger', rowId: 'c1', column: 'amount' };
    await rejectsWith(tables.incrementRowColumn({ ...T, value: 1.5 }), 400, 'row_invalid_structure');
    await rejectsWith(tables.incrementRowColumn({ ...T, value: 0 }), 400, 'general_argument_invalid');
    await rejectsWith(tables.decrementRowColumn({ ...T, value: -(2n ** 60n) as never }), 400, 'general_argument_invalid');
    const tooBig = await fetch(`${server.endpoint}/tablesdb/${DB}/tables/ledger/rows/c1/amount/increment`, {
      method: 'PATCH',
      headers: { 'x-appwrite-project': PROJECT, 'x-appwrite-key': key, 'content-type': 'application/json' },
      body: '{"value":9223372036854775808}',
    });
    assert.equal(tooBig.status, 400);
    assert.equal(((await tooBig.json()) as { type: string }).type, 'row_invalid_structure');
    // A step sent as text, as form fields arrive, is read as the number.
    const asText = await fetch(`${server.endpoint}/tablesdb/${DB}/tables/ledger/rows/c1/amount/decrement`, {
      method: 'PATCH',
      headers: { 'x-appwrite-project': PROJECT, 'x-appwrite-key': key, 'content-type': 'application/json' },
      body: '{"value":"1"}',
    });
    const text = await asText.text();
    assert.equal(asText.status, 200, text);
    assert.match(text, /"amount":9007199254740992[,}]/);
    const longText = await fetch(`${server.endpoint}/tablesdb/${DB}/tables/ledger/rows/c1/amount/increment`, {
      method: 'PATCH',
      headers: { 'x-appwrite-project': PROJECT, 'x-appwrite-key': key, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'value=4611686018427387904',
    });
    assert.equal(longText.status, 200);
    assert.match(await longText.text(), /"amount":4620693217682128896[,}]/);
  });

  test('integer columns are 64-bit too, as Appwrite validates them', async () => {
    const T = { databaseId: DB, tableId: 'ledger' };
    const plain = await tables.createIntegerColumn({ ...T, key: 'whole', required: false });
    assert.deepEqual([plain.min, plain.max], [INT64_MIN, INT64_MAX]);
    const bounded = await tables.createIntegerColumn({ ...T, key: 'wide', required: false, min: -ABOVE_SAFE as never, max: ABOVE_SAFE as never, xdefault: ABOVE_SAFE as never });
    assert.deepEqual([bounded.min, bounded.max, bounded.default], [-ABOVE_SAFE, ABOVE_SAFE, ABOVE_SAFE]);
    await rejectsWith(tables.createIntegerColumn({ ...T, key: 'upside', required: false, min: ABOVE_SAFE as never, max: 0 }), 400, 'column_value_invalid');
    await waitForSchema(tables, DB, 'ledger');

    const row = await tables.createRow({ ...T, rowId: 'i1', data: { whole: INT64_MIN } as never });
    assert.equal(row.whole, INT64_MIN);
    assert.equal(row.wide, ABOVE_SAFE);
    assert.equal((await tables.incrementRowColumn({ ...T, rowId: 'i1', column: 'whole', value: (2n ** 63n - 1n) as never })).whole, -1);
    await rejectsWith(tables.incrementRowColumn({ ...T, rowId: 'i1', column: 'wide' }), 400, 'column_limit_exceeded');
    await rejectsWith(tables.createRow({ ...T, rowId: 'i2', data: { wide: ABOVE_SAFE + 1n } as never }), 400, 'row_invalid_structure');
    const tooBig = await fetch(`${server.endpoint}/tablesdb/${DB}/tables/ledger/rows`, {
      method: 'POST',
      headers: { 'x-appwrite-project': PROJECT, 'x-appwrite-key': key, 'content-type': 'application/json' },
      body: '{"rowId":"i3","data":{"whole":9223372036854775808}}',
    });
    assert.equal(tooBig.status, 400);
    assert.equal(((await tooBig.json()) as { type: string }).type, 'row_invalid_structure');
    const found = await tables.listRows({ ...T, queries: [Query.equal('wide', [ABOVE_SAFE as never]), Query.equal('whole', [-1])] });
    assert.deepEqual(found.rows.map((r) => r.$id), ['i1']);

    // Update operators step integers exactly too, and the range still holds.
    await tables.updateRow({ ...T, rowId: 'i1', data: { whole: 2n ** 53n } as never });
    assert.equal((await tables.updateRow({ ...T, rowId: 'i1', data: { whole: Operator.increment(1) } })).whole, ABOVE_SAFE);
    assert.equal((await tables.updateRow({ ...T, rowId: 'i1', data: { whole: Operator.multiply(2) } })).whole, ABOVE_SAFE * 2n);
    await rejectsWith(tables.updateRow({ ...T, rowId: 'i1', data: { wide: Operator.multiply(2) } as never }), 400, 'row_invalid_structure');
    assert.equal((await tables.getRow({ ...T, rowId: 'i1' })).wide, ABOVE_SAFE);
  });

  test('realtime events and committed transactions carry the exact value', async () => {
    await tables.createTable({ databaseId: DB, tableId: 'public', name: 'Public', permissions: [Permission.read(Role.any())] });
    await tables.createBigIntColumn({ databaseId: DB, tableId: 'public', key: 'n', required: false });
    await waitForSchema(tables, DB, 'public');
    const socket = new WebSocket(`${server.endpoint.replace(/^http/, 'ws')}/realtime?project=${PROJECT}&channels[]=rows`);
    const event = new Promise<string>((resolve, reject) => {
      socket.on('message', (data) => {
        const text = data.toString();
        if (text.includes('"type":"event"')) resolve(text);
      });
      socket.once('error', reject);
    });
    await new Promise<void>((resolve) => socket.once('message', () => resolve()));
    await tables.createRow({ databaseId: DB, tableId: 'public', rowId: 'live', data: { n: INT64_MAX } as never });
    assert.match(await event, /"n":9223372036854775807[,}]/);
    socket.close();

    const transaction = await tables.createTransaction({});
    await tables.createRow({ databaseId: DB, tableId: 'public', rowId: 'staged', data: { n: ABOVE_SAFE } as never, transactionId: transaction.$id });
    await tables.incrementRowColumn({ databaseId: DB, tableId: 'public', rowId: 'staged', column: 'n', value: (2n ** 62n) as never, transactionId: transaction.$id });
    await tables.updateTransaction({ transactionId: transaction.$id, commit: true });
    assert.equal((await tables.getRow({ databaseId: DB, tableId: 'public', rowId: 'staged' })).n, ABOVE_SAFE + 2n ** 62n);
  });
});
