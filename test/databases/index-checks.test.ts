import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Databases, Query, TablesDB } from 'node-appwrite';
import { TestServer } from '../support/plinth.js';
import { rejectsWith } from '../support/sdk.js';
import { startDatabaseServer, waitForSchema } from './helpers.js';

const DB = 'films';

/** Index creation refuses, as Appwrite 1.9 does, what its validator would: answered 400 before any job runs. */
describe('index checks at create time', () => {
  let server: TestServer;
  let databases: Databases;
  let tables: TablesDB;
  const movies = { databaseId: DB, collectionId: 'movies' };
  const index = (key: string, attributes: string[], extra: { type?: string; lengths?: number[]; orders?: string[] } = {}) =>
    databases.createIndex({ ...movies, key, type: (extra.type ?? 'key') as never, attributes, ...(extra.lengths ? { lengths: extra.lengths } : {}), ...(extra.orders ? { orders: extra.orders as never } : {}) });

  before(async () => {
    ({ server, tables, databases } = await startDatabaseServer('index-checks'));
    await databases.create({ databaseId: DB, name: 'Films' });
    await databases.createCollection({ ...movies, name: 'Movies' });
    await databases.createStringAttribute({ ...movies, key: 'title', size: 256, required: true });
    await databases.createStringAttribute({ ...movies, key: 'description', size: 512, required: false });
    await databases.createStringAttribute({ ...movies, key: 'tagline', size: 512, required: false });
    await databases.createIntegerAttribute({ ...movies, key: 'releaseYear', required: false });
    await databases.createFloatAttribute({ ...movies, key: 'rating', required: false });
    await databases.createStringAttribute({ ...movies, key: 'actors', size: 256, required: false, array: true });
    await databases.createEmailAttribute({ ...movies, key: 'contact', required: false });
    await databases.createUrlAttribute({ ...movies, key: 'site', required: false });
    await databases.createTextAttribute({ ...movies, key: 'plot', required: false });
    await waitForSchema(tables, DB, 'movies');
  });
  after(() => server.stop());

  test('lengths within each attribute and 768 characters in all are taken and kept', async () => {
    const created = await index('lengthTestIndex', ['title', 'description'], { lengths: [128, 200] });
    assert.deepEqual([created.status, created.lengths], ['processing', [128, 200]]);
    assert.deepEqual((await databases.getIndex({ ...movies, key: 'lengthTestIndex' })).lengths, [128, 200]);
    // A text attribute fits with a length; the numbers count one unit (a double two).
    await index('plotPrefix', ['plot', 'releaseYear', 'rating', '$createdAt'], { lengths: [500] });
    assert.equal((await waitForSchema(tables, DB, 'movies')).plotPrefix, 'available');
  });

  test('lengths past an attribute, the total, or the attributes, or on non-strings are refused', async () => {
    await rejectsWith(index('tooLong', ['description', 'tagline']), 400, 'index_invalid', 'Index length is longer than the maximum: 768');
    await rejectsWith(index('wholeText', ['plot']), 400, 'index_invalid', 'Index length is longer than the maximum: 768');
    await rejectsWith(index('wholeUrl', ['site']), 400, 'index_invalid', 'Index length is longer than the maximum: 768');
    // $id counts 255 characters and a double two units: 255 + 512 + 2 is past the limit.
    await rejectsWith(index('idAndMore', ['$id', 'description', 'rating']), 400, 'index_invalid', 'Index length is longer than the maximum: 768');
    await rejectsWith(index('pastSize', ['title'], { lengths: [300] }), 400, 'index_invalid', 'Index length 300 is larger than the size for title: 256');
    await rejectsWith(index('pastEmail', ['contact'], { lengths: [255] }), 400, 'index_invalid', 'Index length 255 is larger than the size for contact: 254');
    await rejectsWith(
      index('lengthCountExceededIndex', ['title'], { lengths: [128, 128] }),
      400,
      'index_invalid',
      'Invalid index lengths. Count of lengths must be equal or less than the number of attributes.',
    );
    await rejectsWith(index('negativeLengthIndex', ['title'], { lengths: [-1] }), 400, 'index_invalid', 'Negative index length provided for title');
    await rejectsWith(index('yearLength', ['releaseYear'], { lengths: [10] }), 400, 'index_invalid', 'Cannot set a length on "integer" attributes');
    await rejectsWith(index('ratingLength', ['title', 'rating'], { lengths: [10, 4] }), 400, 'index_invalid', 'Cannot set a length on "double" attributes');
    await rejectsWith(index('createdLength', ['$createdAt'], { lengths: [4] }), 400, 'index_invalid', 'Cannot set a length on "datetime" attributes');
    const keys = (await databases.listIndexes(movies)).indexes.map((i) => i.key);
    assert.deepEqual(keys, ['lengthTestIndex', 'plotPrefix']);
  });

  test('array, empty, duplicate and non-string fulltext indexes are refused with Appwrite\'s messages', async () => {
    const arrays = 'Creating indexes on array attributes is not currently supported.';
    await rejectsWith(index('index-actors', ['actors']), 400, 'index_invalid', arrays);
    await rejectsWith(index('ft', ['actors'], { type: 'fulltext' }), 400, 'index_invalid', arrays);
    await rejectsWith(index('lengthTooLargeIndex', ['title', 'description', 'tagline', 'actors'], { lengths: [256, 256, 256, 20] }), 400, 'index_invalid', arrays);
    await rejectsWith(index('none', []), 400, 'index_invalid', 'No attributes provided for index');
    await rejectsWith(index('duplicate', ['releaseYear', 'releaseYear'], { type: 'fulltext' }), 400, 'index_invalid', 'Duplicate attributes provided');
    await rejectsWith(
      index('releaseYearDated', ['releaseYear'], { type: 'fulltext' }),
      400,
      'index_invalid',
      'Attribute "releaseYear" cannot be part of a fulltext index, must be of type string',
    );
    await rejectsWith(index('index-unknown', ['Unknown']), 400, 'attribute_unknown');
  });

  test('TablesDB answers with its own error type, and a zero length means none', async () => {
    const table = { databaseId: DB, tableId: 'movies' };
    await rejectsWith(
      tables.createIndex({ ...table, key: 'tooLong', type: 'key' as never, columns: ['description', 'tagline'] }),
      400,
      'column_index_invalid',
      'Index length is longer than the maximum: 768',
    );
    const created = await tables.createIndex({ ...table, key: 'byTitle', type: 'unique' as never, columns: ['title'], lengths: [0] });
    assert.deepEqual(created.lengths, [null]);
  });

  test('schema lists refuse select as an invalid queries param', async () => {
    const select = [Query.select(['key'])];
    const refused = 'Invalid `queries` param: Invalid query method: select';
    await rejectsWith(databases.listIndexes({ ...movies, queries: select }), 400, 'general_argument_invalid', refused);
    await rejectsWith(databases.listAttributes({ ...movies, queries: select }), 400, 'general_argument_invalid', refused);
    await rejectsWith(tables.listColumns({ databaseId: DB, tableId: 'movies', queries: select }), 400, 'general_argument_invalid', refused);
    await rejectsWith(tables.listIndexes({ databaseId: DB, tableId: 'movies', queries: select }), 400, 'general_argument_invalid', refused);
    await rejectsWith(databases.listCollections({ databaseId: DB, queries: select }), 400, 'general_argument_invalid', refused);
    await rejectsWith(databases.list({ queries: [Query.select(['name'])] }), 400, 'general_argument_invalid', refused);
    const keyed = await databases.listIndexes({ ...movies, queries: [Query.equal('type', ['key']), Query.limit(1)] });
    assert.deepEqual(keyed.indexes.map((i) => [i.key, i.type]), [['lengthTestIndex', 'key']]);
  });
});
