import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { Databases, Query, TablesDB } from 'node-appwrite';
import { TestServer } from '../support/plinth.js';
import { rejectsWith } from '../support/sdk.js';
import { plain, startDatabaseServer, waitForSchema } from './helpers.js';

const PROJECT = 'string-types';
const DB = 'words';

describe('varchar, text, mediumtext and longtext attributes', () => {
  let server: TestServer;
  let databases: Databases;
  let tables: TablesDB;
  let key: string;

  before(async () => {
    ({ server, tables, databases, key } = await startDatabaseServer(PROJECT));
    await tables.create({ databaseId: DB, name: 'Words' });
    await tables.createTable({ databaseId: DB, tableId: 'notes', name: 'Notes' });
    await databases.createCollection({ databaseId: DB, collectionId: 'posts', name: 'Posts' });
  });
  after(() => server.stop());

  test('columns of each type are created through TablesDB and report their type', async () => {
    const varchar = await tables.createVarcharColumn({ databaseId: DB, tableId: 'notes', key: 'title', size: 8, required: true });
    assert.equal(varchar.status, 'processing');
    assert.deepEqual([varchar.type, varchar.size, varchar.required, varchar.encrypt], ['varchar', 8, true, false]);
    const text = await tables.createTextColumn({ databaseId: DB, tableId: 'notes', key: 'body', required: false, xdefault: 'empty' });
    assert.deepEqual([text.type, text.default, 'size' in text], ['text', 'empty', false]);
    await tables.createMediumtextColumn({ databaseId: DB, tableId: 'notes', key: 'summary', required: false });
    await tables.createLongtextColumn({ databaseId: DB, tableId: 'notes', key: 'tags', required: false, array: true });
    const statuses = await waitForSchema(tables, DB, 'notes');
    assert.deepEqual(statuses, { title: 'available', body: 'available', summary: 'available', tags: 'available' });
    const listed = await tables.listColumns({ databaseId: DB, tableId: 'notes' });
    assert.deepEqual(listed.columns.map((c) => (c as { type: string }).type), ['varchar', 'text', 'mediumtext', 'longtext']);
    const longtext = await tables.getColumn({ databaseId: DB, tableId: 'notes', key: 'tags' });
    assert.deepEqual([(longtext as { type: string }).type, (longtext as { array: boolean }).array], ['longtext', true]);
  });

  test('rows are written, read, queried and searched; lengths are enforced on writes', async () => {
    const row = await tables.createRow({ databaseId: DB, tableId: 'notes', rowId: 'one', data: { title: 'héllo', summary: 'first note', tags: ['a', 'b'] } as never });
    assert.deepEqual([row.title, row.body, row.summary, row.tags], ['héllo', 'empty', 'first note', ['a', 'b']]);
    await tables.createRow({ databaseId: DB, tableId: 'notes', rowId: 'two', data: { title: 'world', body: 'x'.repeat(65_535) } as never });
    // Eight code points fit a varchar(8) even when they take more bytes.
    await tables.createRow({ databaseId: DB, tableId: 'notes', rowId: 'three', data: { title: 'ééééé€€€' } as never });

    await rejectsWith(tables.createRow({ databaseId: DB, tableId: 'notes', rowId: 'long', data: { title: 'ninechars' } as never }), 400, 'row_invalid_structure');
    await rejectsWith(tables.createRow({ databaseId: DB, tableId: 'notes', rowId: 'long', data: { title: 'ok', body: 'x'.repeat(65_536) } as never }), 400, 'row_invalid_structure');
    await rejectsWith(tables.createRow({ databaseId: DB, tableId: 'notes', rowId: 'num', data: { title: 7 } as never }), 400, 'row_invalid_structure');
    await rejectsWith(tables.createRow({ databaseId: DB, tableId: 'notes', rowId: 'none', data: { body: 'no title' } as never }), 400, 'row_invalid_structure');
    await rejectsWith(tables.updateRow({ databaseId: DB, tableId: 'notes', rowId: 'one', data: { title: 'far too long' } as never }), 400, 'row_invalid_structure');

    const got = await tables.getRow({ databaseId: DB, tableId: 'notes', rowId: 'two' });
    assert.equal((got.body as string).length, 65_535);
    const equal = await tables.listRows({ databaseId: DB, tableId: 'notes', queries: [Query.equal('title', 'world')] });
    assert.deepEqual(equal.rows.map((r) => r.$id), ['two']);
    const prefix = await tables.listRows({ databaseId: DB, tableId: 'notes', queries: [Query.startsWith('summary', 'first'), Query.select(['title'])] });
    assert.deepEqual(prefix.rows.map((r) => [r.$id, r.title]), [['one', 'héllo']]);
    const ordered = await tables.listRows({ databaseId: DB, tableId: 'notes', queries: [Query.orderDesc('title'), Query.isNotNull('title')] });
    assert.deepEqual(ordered.rows.map((r) => r.$id), ['three', 'two', 'one']);
    const array = await tables.listRows({ databaseId: DB, tableId: 'notes', queries: [Query.contains('tags', ['b'])] });
    assert.deepEqual(array.rows.map((r) => r.$id), ['one']);

    await tables.createIndex({ databaseId: DB, tableId: 'notes', key: 'by_title', type: 'key' as never, columns: ['title'] });
    await tables.createIndex({ databaseId: DB, tableId: 'notes', key: 'search_summary', type: 'fulltext' as never, columns: ['summary'] });
    await tables.createIndex({ databaseId: DB, tableId: 'notes', key: 'body_prefix', type: 'key' as never, columns: ['body'], lengths: [32] });
    assert.deepEqual(await waitForSchema(tables, DB, 'notes'), {
      title: 'available',
      body: 'available',
      summary: 'available',
      tags: 'available',
      by_title: 'available',
      search_summary: 'available',
      body_prefix: 'available',
    });
    const searched = await tables.listRows({ databaseId: DB, tableId: 'notes', queries: [Query.search('summary', 'note')] });
    assert.deepEqual(searched.rows.map((r) => r.$id), ['one']);
    const indexed = await tables.listRows({ databaseId: DB, tableId: 'notes', queries: [Query.greaterThan('title', 'i')] });
    assert.deepEqual(indexed.rows.map((r) => r.$id).sort(), ['three', 'two']);
    // Indexes over text columns cover a prefix, so long incompressible values still fit an index entry;
    // as in Appwrite, a whole mediumtext exceeds the 768 characters an index may cover.
    const noise = randomBytes(3_000).toString('base64');
    const longNoise = randomBytes(30_000).toString('base64');
    const whole = { databaseId: DB, tableId: 'notes', key: 'by_summary', type: 'key' as never, columns: ['summary', 'title'] };
    await rejectsWith(tables.createIndex(whole), 400, 'column_index_invalid', 'Index length is longer than the maximum: 768');
    await tables.createIndex({ ...whole, lengths: [512] });
    assert.equal((await waitForSchema(tables, DB, 'notes')).by_summary, 'available');
    await tables.createRow({ databaseId: DB, tableId: 'notes', rowId: 'noise', data: { title: 'noise', body: noise, summary: longNoise } as never });
    const exact = await tables.listRows({ databaseId: DB, tableId: 'notes', queries: [Query.equal('body', noise)] });
    assert.deepEqual(exact.rows.map((r) => r.$id), ['noise']);
  });

  test('the Databases API creates and updates the same types on collections', async () => {
    const varchar = await databases.createVarcharAttribute({ databaseId: DB, collectionId: 'posts', key: 'slug', size: 16, required: false, xdefault: 'draft' });
    assert.deepEqual([varchar.type, varchar.size, varchar.default], ['varchar', 16, 'draft']);
    await databases.createTextAttribute({ databaseId: DB, collectionId: 'posts', key: 'intro', required: false });
    await databases.createMediumtextAttribute({ databaseId: DB, collectionId: 'posts', key: 'content', required: true });
    await databases.createLongtextAttribute({ databaseId: DB, collectionId: 'posts', key: 'archive', required: false });
    await waitForSchema(tables, DB, 'posts');

    const doc = await databases.createDocument({ databaseId: DB, collectionId: 'posts', documentId: 'p1', data: { content: 'hello' } as never });
    assert.deepEqual([doc.slug, doc.intro, doc.content, doc.archive], ['draft', null, 'hello', null]);

    const shrunk = await databases.updateVarcharAttribute({ databaseId: DB, collectionId: 'posts', key: 'slug', required: true, xdefault: null as never, size: 4 });
    assert.deepEqual([shrunk.type, shrunk.size, shrunk.required, shrunk.default], ['varchar', 4, true, null]);
    await rejectsWith(databases.createDocument({ databaseId: DB, collectionId: 'posts', documentId: 'p2', data: { content: 'x', slug: 'toolong' } as never }), 400, 'document_invalid_structure');
    await rejectsWith(databases.createDocument({ databaseId: DB, collectionId: 'posts', documentId: 'p2', data: { content: 'x' } as never }), 400, 'document_invalid_structure');
    const renamed = await tables.updateTextColumn({ databaseId: DB, tableId: 'posts', key: 'intro', required: false, xdefault: 'hi', newKey: 'lede' });
    assert.deepEqual([renamed.key, renamed.type, renamed.default], ['lede', 'text', 'hi']);
    const medium = await databases.updateMediumtextAttribute({ databaseId: DB, collectionId: 'posts', key: 'content', required: false, xdefault: 'none' });
    assert.deepEqual([medium.type, medium.required, medium.default], ['mediumtext', false, 'none']);
    const long = await tables.updateLongtextColumn({ databaseId: DB, tableId: 'posts', key: 'archive', required: false, xdefault: 'old' });
    assert.equal(long.default, 'old');
    const doc2 = await databases.createDocument({ databaseId: DB, collectionId: 'posts', documentId: 'p2', data: { slug: 'ab' } as never });
    assert.deepEqual(plain({ slug: doc2.slug, lede: doc2.lede, content: doc2.content, archive: doc2.archive }), { slug: 'ab', lede: 'hi', content: 'none', archive: 'old' });
  });

  test('invalid definitions are refused and the server keeps serving', async () => {
    const base = { databaseId: DB, tableId: 'notes', required: false };
    await rejectsWith(tables.createVarcharColumn({ ...base, key: 'big', size: 16_382 }), 400, 'general_argument_invalid');
    await rejectsWith(tables.createVarcharColumn({ ...base, key: 'zero', size: 0 }), 400, 'general_argument_invalid');
    await rejectsWith(tables.createVarcharColumn({ ...base, key: 'title', size: 10 }), 409, 'column_already_exists');
    await rejectsWith(tables.createVarcharColumn({ ...base, key: 'dflt', size: 2, xdefault: 'abc' }), 400, 'column_value_invalid');
    await rejectsWith(tables.createTextColumn({ ...base, key: 'req', required: true, xdefault: 'x' }), 400, 'column_default_unsupported');
    await rejectsWith(tables.createVarcharColumn({ ...base, key: 'secret', size: 100, encrypt: true }), 400, 'general_bad_request');
    await rejectsWith(tables.createTextColumn({ ...base, key: '_bad' }), 400, 'general_argument_invalid');
    await rejectsWith(tables.createLongtextColumn({ ...base, tableId: 'missing', key: 'x' }), 404, 'table_not_found');
    // A varchar is not a text column, nor a plain string.
    await rejectsWith(tables.updateTextColumn({ databaseId: DB, tableId: 'notes', key: 'title', required: true, xdefault: null as never }), 400, 'column_type_invalid');
    await rejectsWith(tables.updateStringColumn({ databaseId: DB, tableId: 'notes', key: 'title', required: true, xdefault: null as never }), 400, 'column_type_invalid');
    await rejectsWith(tables.updateVarcharColumn({ databaseId: DB, tableId: 'notes', key: 'nope', required: true, xdefault: null as never }), 404, 'column_not_found');
    await rejectsWith(tables.updateVarcharColumn({ databaseId: DB, tableId: 'notes', key: 'title', required: true, xdefault: null as never, size: 20_000 }), 400, 'general_argument_invalid');
    const response = await fetch(`${server.endpoint}/tablesdb/${DB}/tables/notes/columns/varchar`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-appwrite-project': PROJECT, 'x-appwrite-key': key },
      body: JSON.stringify({ key: 'nosize', required: false }),
    });
    assert.equal(response.status, 400);
    assert.equal((await tables.getRow({ databaseId: DB, tableId: 'notes', rowId: 'one' })).title, 'héllo');
  });
});
