import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AppwriteException, Databases, TablesDB } from 'node-appwrite';
import { TestServer } from '../support/plinth.js';
import { rejectsWith } from '../support/sdk.js';
import { startDatabaseServer, waitForSchema } from './helpers.js';

const PROJECT = 'value-checks';
const DB = 'checks';

async function messageOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    assert.ok(error instanceof AppwriteException);
    assert.equal(error.code, 400);
    return error.message;
  }
  throw new Error('expected a refusal');
}

describe('document values as Appwrite checks them', () => {
  let server: TestServer;
  let databases: Databases;
  let tables: TablesDB;
  let key: string;

  before(async () => {
    ({ server, tables, databases, key } = await startDatabaseServer(PROJECT));
    await databases.create({ databaseId: DB, name: 'Checks' });
    await databases.createCollection({ databaseId: DB, collectionId: 'people', name: 'People' });
    const base = { databaseId: DB, collectionId: 'people', required: false };
    await databases.createDatetimeAttribute({ ...base, key: 'birthDay' });
    await databases.createIntegerAttribute({ ...base, key: 'range', min: 1, max: 10 });
    await databases.createIntegerAttribute({ ...base, key: 'upperBound', max: 10 });
    await databases.createFloatAttribute({ ...base, key: 'floatRange', min: 1.1, max: 1.4 });
    await databases.createStringAttribute({ ...base, key: 'code', size: 4 });
    await tables.createTable({ databaseId: DB, tableId: 'events', name: 'Events' });
    await tables.createDatetimeColumn({ databaseId: DB, tableId: 'events', key: 'at', required: false });
    await tables.createStringColumn({ databaseId: DB, tableId: 'events', key: 'tags', size: 8, required: false, array: true });
    await tables.createIntegerColumn({ databaseId: DB, tableId: 'events', key: 'counts', required: false, array: true });
    await tables.createStringColumn({ databaseId: DB, tableId: 'events', key: 'labels', size: 150, required: false, array: true, encrypt: true });
    await tables.createBigIntColumn({ databaseId: DB, tableId: 'events', key: 'amount', required: false });
    await tables.createIntegerColumn({ databaseId: DB, tableId: 'events', key: 'plain', required: false });
    await waitForSchema(tables, DB, 'people');
    await waitForSchema(tables, DB, 'events');
  });
  after(() => server.stop());

  test('datetimes with offsets and zone names are stored as the instant, in UTC', async () => {
    const offset = await databases.createDocument({ databaseId: DB, collectionId: 'people', documentId: 'p1', data: { birthDay: '1975-06-12 14:12:55+02:00' } });
    assert.equal(offset.birthDay, '1975-06-12T12:12:55.000+00:00');
    const zone = await databases.createDocument({ databaseId: DB, collectionId: 'people', documentId: 'p2', data: { birthDay: '1975-06-12 14:12:55 America/New_York' } });
    assert.equal(zone.birthDay, '1975-06-12T18:12:55.000+00:00');
    const bare = await databases.createDocument({ databaseId: DB, collectionId: 'people', documentId: 'p3', data: { birthDay: '1976-06-12 14:12:55' } });
    assert.equal(bare.birthDay, '1976-06-12T14:12:55.000+00:00');
    const row = await tables.createRow({ databaseId: DB, tableId: 'events', rowId: 'e1', data: { at: '2024-07-15 12:00:00 Europe/Paris' } });
    assert.equal(row.at, '2024-07-15T10:00:00.000+00:00');
    // The other forms PHP reads, as Appwrite's validator takes them.
    for (const [at, expected] of [
      ['12/04/2022', '2022-12-04T00:00:00.000+00:00'],
      ['Sun, 04 Dec 2022 10:00:00 +0200', '2022-12-04T08:00:00.000+00:00'],
      ['4 December 2022 10pm', '2022-12-04T22:00:00.000+00:00'],
    ]) {
      assert.equal((await tables.upsertRow({ databaseId: DB, tableId: 'events', rowId: 'e2', data: { at } })).at, expected, at);
    }
    await rejectsWith(tables.createRow({ databaseId: DB, tableId: 'events', rowId: 'bad', data: { at: 'next monday' } as never }), 400, 'row_invalid_structure');

    await rejectsWith(databases.createDocument({ databaseId: DB, collectionId: 'people', documentId: 'bad', data: { birthDay: '2020-10-10 27:30:10+01:00' } as never }), 400, 'document_invalid_structure');
    await rejectsWith(tables.createRow({ databaseId: DB, tableId: 'events', rowId: 'bad', data: { at: '1975-06-12 14:12:55 Nowhere/Land' } as never }), 400, 'row_invalid_structure');
    await rejectsWith(databases.createDatetimeAttribute({ databaseId: DB, collectionId: 'people', key: 'badBirthDay', required: false, xdefault: 'bad' }), 400, 'attribute_value_invalid');
  });

  test('range errors write the bounds as Appwrite does', async () => {
    const create = (data: Record<string, unknown>) => databases.createDocument({ databaseId: DB, collectionId: 'people', documentId: 'r', data });
    assert.equal(await messageOf(create({ range: 11 })), 'Invalid document structure: Attribute "range" has invalid format. Value must be a valid range between 1 and 10');
    assert.equal(await messageOf(create({ floatRange: 1.5 })), 'Invalid document structure: Attribute "floatRange" has invalid format. Value must be a valid range between 1 and 1');
    assert.match(await messageOf(create({ upperBound: 11 })), /Value must be a valid range between -9,223,372,036,854,775,808 and 10$/);
  });

  test('integers written as 5.0 and strings of exactly their size are accepted', async () => {
    const response = await fetch(`${server.endpoint}/databases/${DB}/collections/people/documents`, {
      method: 'POST',
      headers: { 'x-appwrite-project': PROJECT, 'x-appwrite-key': key, 'content-type': 'application/json' },
      body: '{"documentId":"f1","data":{"range":5.0,"code":"abcd"}}',
    });
    assert.equal(response.status, 201);
    const body = (await response.json()) as { range: number; code: string };
    assert.deepEqual([body.range, body.code], [5, 'abcd']);
  });

  test('defaults of required and array attributes are refused with Appwrite\'s words', async () => {
    const base = { databaseId: DB, collectionId: 'people' };
    assert.equal(await messageOf(databases.createIntegerAttribute({ ...base, key: 'req', required: true, xdefault: 12 })), 'Cannot set default value for required attribute');
    assert.equal(await messageOf(databases.createIntegerAttribute({ ...base, key: 'arr', required: false, array: true, xdefault: 42 })), 'Cannot set default value for array attributes');
    assert.equal(await messageOf(tables.createIntegerColumn({ databaseId: DB, tableId: 'events', key: 'arr', required: false, array: true, xdefault: 42 })), 'Cannot set default value for array columns');
  });

  test('optional arrays may hold nulls, as Appwrite lets them through', async () => {
    const row = await tables.createRow({ databaseId: DB, tableId: 'events', rowId: 'n1', data: { tags: ['a', null], counts: [null, 3], labels: [null, 'secret'] } });
    assert.deepEqual([row.tags, row.counts, row.labels], [['a', null], [null, 3], [null, 'secret']]);
    const read = await tables.getRow({ databaseId: DB, tableId: 'events', rowId: 'n1' });
    assert.deepEqual([read.tags, read.counts, read.labels], [['a', null], [null, 3], [null, 'secret']]);
    assert.deepEqual((await tables.updateRow({ databaseId: DB, tableId: 'events', rowId: 'n1', data: { tags: [null] } })).tags, [null]);
    await rejectsWith(tables.createRow({ databaseId: DB, tableId: 'events', rowId: 'n2', data: { counts: [1, 'two'] } as never }), 400, 'row_invalid_structure');
  });

  test('bigint columns take their digits as a string, as Appwrite\'s do; integer columns take numbers only', async () => {
    const send = (rowId: string, data: string) =>
      server.request(`/tablesdb/${DB}/tables/events/rows`, { method: 'POST', project: PROJECT, key, headers: { 'content-type': 'application/json' }, body: `{"rowId":"${rowId}","data":${data}}` });
    const small = await send('b1', '{"amount":"-42"}');
    assert.equal(small.status, 201);
    assert.match(await small.text(), /"amount":-42[,}]/);
    const lowest = await send('b2', '{"amount":"-9223372036854775808"}');
    assert.equal(lowest.status, 201);
    assert.match(await lowest.text(), /"amount":-9223372036854775808[,}]/);
    for (const [rowId, data] of [['b3', '{"amount":"9223372036854775808"}'], ['b4', '{"amount":"12.5"}'], ['b5', '{"amount":" 7"}'], ['b6', '{"plain":"49"}']] as const) {
      const refused = await send(rowId, data);
      assert.equal(refused.status, 400, data);
      assert.equal(((await refused.json()) as { type: string }).type, 'row_invalid_structure');
    }
  });
});
