import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client, Databases, Query, TablesDB } from 'node-appwrite';
import { RealtimeSocket } from '../realtime/socket.js';
import { TestServer } from '../support/plinth.js';
import { rejectsWith } from '../support/sdk.js';
import { signUpUser, startDatabaseServer, waitForSchema, type DatabaseUser } from './helpers.js';

const PROJECT = 'geo';
const DB = 'maps';
const TABLE = 'places';

const square = (x: number, y: number, size: number) => [
  [x, y],
  [x + size, y],
  [x + size, y + size],
  [x, y + size],
  [x, y],
];

/**
 * Four rows whose geometries meet in known ways (coordinates in degrees):
 * a: loc at the origin, area [0,10]², path crossing it along y = 5;
 * b: loc (5, 5), area [20,30]², path up the y axis;
 * c: loc 0.005° east of the origin (about 556 m), no area or path;
 * d: loc (50, 50), area [5,15]² (overlapping a's), path along the x axis from 10 to 20.
 */
const ROWS: Record<string, Record<string, unknown>> = {
  a: { loc: [0, 0], area: [square(0, 0, 10)], path: [[-5, 5], [15, 5]] },
  b: { loc: [5, 5], area: [square(20, 20, 10)], path: [[0, 0], [0, 10]] },
  c: { loc: [0.005, 0] },
  d: { loc: [50, 50], area: [square(5, 5, 10)], path: [[10, 0], [20, 0]] },
};

describe('geo columns and spatial queries', () => {
  let server: TestServer;
  let tables: TablesDB;
  let databases: Databases;
  let key: string;
  let reader: DatabaseUser;

  const ids = async (queries: string[]) => (await tables.listRows({ databaseId: DB, tableId: TABLE, queries })).rows.map((r) => r.$id).sort();

  before(async () => {
    ({ server, tables, databases, key } = await startDatabaseServer(PROJECT));
    reader = await signUpUser(server, PROJECT, key, 'Reader');
    await tables.create({ databaseId: DB, name: 'Maps' });
    await tables.createTable({ databaseId: DB, tableId: TABLE, name: 'Places', rowSecurity: true, permissions: [] });
    await tables.createStringColumn({ databaseId: DB, tableId: TABLE, key: 'name', size: 20, required: false });
    const point = await tables.createPointColumn({ databaseId: DB, tableId: TABLE, key: 'loc', required: true });
    assert.deepEqual([point.type, point.status, point.required, point.default], ['point', 'processing', true, null]);
    const line = await tables.createLineColumn({ databaseId: DB, tableId: TABLE, key: 'path', required: false });
    assert.equal(line.type, 'linestring');
    const polygon = await tables.createPolygonColumn({ databaseId: DB, tableId: TABLE, key: 'area', required: false });
    assert.equal(polygon.type, 'polygon');
    assert.deepEqual(await waitForSchema(tables, DB, TABLE), { name: 'available', loc: 'available', path: 'available', area: 'available' });
    for (const [rowId, data] of Object.entries(ROWS)) {
      // The reader may see a and b only.
      const permissions = rowId === 'a' || rowId === 'b' ? [`read("user:${reader.userId}")`] : [];
      await tables.createRow({ databaseId: DB, tableId: TABLE, rowId, data: { name: rowId, ...data }, permissions });
    }
  });
  after(() => server.stop());

  test('rows keep their coordinates as written; a one-ring polygon comes back as a list of rings', async () => {
    const row = await tables.getRow({ databaseId: DB, tableId: TABLE, rowId: 'a' });
    assert.deepEqual([row.loc, row.path, row.area], [ROWS.a!.loc, ROWS.a!.path, ROWS.a!.area]);
    const c = await tables.getRow({ databaseId: DB, tableId: TABLE, rowId: 'c' });
    assert.deepEqual([c.loc, c.path, c.area], [[0.005, 0], null, null]);
    const single = await tables.createRow({ databaseId: DB, tableId: TABLE, rowId: 'single', data: { loc: [1.5, -2.25], area: square(1, 1, 1) } });
    assert.deepEqual(single.area, [square(1, 1, 1)]);
    const updated = await tables.updateRow({ databaseId: DB, tableId: TABLE, rowId: 'single', data: { loc: [-179.999999, 89.123456789] } });
    assert.deepEqual(updated.loc, [-179.999999, 89.123456789]);
    await tables.deleteRow({ databaseId: DB, tableId: TABLE, rowId: 'single' });
  });

  test('bulk writes, upserts and transactions carry geo values like any other', async () => {
    const bulk = await tables.createRows({ databaseId: DB, tableId: TABLE, rows: [{ $id: 'bulk1', loc: [1, 2] }, { $id: 'bulk2', loc: [3, 4], path: [[0, 0], [1, 1]] }] });
    assert.deepEqual(bulk.rows.map((r) => r.loc), [[1, 2], [3, 4]]);
    const upserted = await tables.upsertRow({ databaseId: DB, tableId: TABLE, rowId: 'bulk1', data: { loc: [2, 1], area: [square(0, 0, 2)] } as never });
    assert.deepEqual([upserted.loc, upserted.area], [[2, 1], [square(0, 0, 2)]]);
    const transaction = await tables.createTransaction();
    await tables.createRow({ databaseId: DB, tableId: TABLE, rowId: 'staged', data: { loc: [9, 9] }, transactionId: transaction.$id });
    await rejectsWith(tables.createRow({ databaseId: DB, tableId: TABLE, rowId: 'badstaged', data: { loc: [9] } as never, transactionId: transaction.$id }), 400, 'row_invalid_structure');
    await tables.updateTransaction({ transactionId: transaction.$id, commit: true });
    assert.deepEqual((await tables.getRow({ databaseId: DB, tableId: TABLE, rowId: 'staged' })).loc, [9, 9]);
    await tables.deleteRows({ databaseId: DB, tableId: TABLE, queries: [Query.equal('$id', ['bulk1', 'bulk2', 'staged'])] });
    assert.deepEqual(await ids([Query.intersects('loc', [square(0.5, 0.5, 9)])]), ['b']);
  });

  test('values are checked by Appwrite’s rules', async () => {
    const bad: Record<string, unknown>[] = [
      { loc: [200, 0] },
      { loc: [0, -91] },
      { loc: [1] },
      { loc: ['x', 1] },
      { loc: 'somewhere' },
      { loc: [0, 0], path: [[1, 1]] },
      { loc: [0, 0], area: [[[0, 0], [1, 0], [1, 1], [0, 1]]] },
      { loc: [0, 0], area: [[[0, 0], [1, 0], [0, 0]]] },
      { loc: null },
      {},
    ];
    for (const data of bad) {
      await rejectsWith(tables.createRow({ databaseId: DB, tableId: TABLE, rowId: 'bad', data }), 400, 'row_invalid_structure');
    }
    // WKT text is a value too, as Appwrite takes it.
    const wkt = await tables.createRow({ databaseId: DB, tableId: TABLE, rowId: 'wkt', data: { loc: 'POINT(3 4)', path: 'LINESTRING(0 0, 1 1)' } });
    assert.deepEqual([wkt.loc, wkt.path], [[3, 4], [[0, 0], [1, 1]]]);
    await tables.deleteRow({ databaseId: DB, tableId: TABLE, rowId: 'wkt' });
  });

  test('distance queries: meters on the sphere between points, degrees otherwise', async () => {
    assert.deepEqual(await ids([Query.distanceLessThan('loc', [0, 0], 1000)]), ['a', 'c']);
    assert.deepEqual(await ids([Query.distanceLessThan('loc', [0, 0], 500, true)]), ['a']);
    assert.deepEqual(await ids([Query.distanceGreaterThan('loc', [0, 0], 1000, true)]), ['b', 'd']);
    assert.deepEqual(await ids([Query.distanceEqual('loc', [0, 0], 0)]), ['a']);
    assert.deepEqual(await ids([Query.distanceNotEqual('loc', [0, 0], 0, false)]), ['b', 'c', 'd']);
    assert.deepEqual(await ids([Query.distanceLessThan('loc', [0, 0], 1, false)]), ['a', 'c']);
    // Polygon to point in degrees: b's square holds (25, 25); d's nearest corner is 14.1° away.
    assert.deepEqual(await ids([Query.distanceLessThan('area', [25, 25], 1, false)]), ['b']);
    assert.deepEqual(await ids([Query.distanceGreaterThan('path', [0, 5], 4, false)]), ['d']);
    await rejectsWith(tables.listRows({ databaseId: DB, tableId: TABLE, queries: [Query.distanceLessThan('area', [25, 25], 1, true)] }), 400, 'general_query_invalid');
    await rejectsWith(tables.listRows({ databaseId: DB, tableId: TABLE, queries: [Query.distanceLessThan('loc', [[0, 0], [1, 1]], 1, true)] }), 400, 'general_query_invalid');
  });

  test('intersects, crosses, overlaps, touches, contains, equal and their negations; NULL matches neither', async () => {
    const lookup: [string, string[]][] = [
      [Query.intersects('area', [10, 10]), ['a', 'd']],
      [Query.notIntersects('area', [10, 10]), ['b']],
      [Query.intersects('loc', [square(-1, -1, 7)]), ['a', 'b', 'c']],
      [Query.crosses('path', [[5, -5], [5, 15]]), ['a']],
      [Query.notCrosses('path', [[5, -5], [5, 15]]), ['b', 'd']],
      [Query.overlaps('area', [square(8, 8, 4)]), ['a']],
      [Query.notOverlaps('area', [square(8, 8, 4)]), ['b', 'd']],
      [Query.touches('area', [square(10, -10, 10)]), ['a']],
      [Query.notTouches('area', [square(10, -10, 10)]), ['b', 'd']],
      // A point on the boundary is contained, as Appwrite matches it (d's corner is 5,5).
      [Query.contains('area', [[5, 5]]), ['a', 'd']],
      [Query.notContains('area', [[5, 5]]), ['b']],
      [Query.equal('loc', [[5, 5]]), ['b']],
      [Query.notEqual('loc', [[5, 5]]), ['a', 'c', 'd']],
      [Query.equal('area', [[square(0, 0, 10)]]), ['a']],
      [Query.isNull('area'), ['c']],
      [Query.or([Query.crosses('path', [[5, -5], [5, 15]]), Query.equal('loc', [[50, 50]])]), ['a', 'd']],
    ];
    for (const [query, expected] of lookup) assert.deepEqual(await ids([query]), expected, query);
  });

  test('spatial queries page, count and follow cursors in SQL', async () => {
    const inBox = Query.intersects('loc', [square(-1, -1, 7)]);
    const first = await tables.listRows({ databaseId: DB, tableId: TABLE, queries: [inBox, Query.orderAsc('name'), Query.limit(2)] });
    assert.deepEqual([first.total, first.rows.map((r) => r.$id)], [3, ['a', 'b']]);
    const next = await tables.listRows({ databaseId: DB, tableId: TABLE, queries: [inBox, Query.orderAsc('name'), Query.limit(2), Query.cursorAfter('b')] });
    assert.deepEqual(next.rows.map((r) => r.$id), ['c']);
    const skipped = await tables.listRows({ databaseId: DB, tableId: TABLE, queries: [inBox, Query.orderAsc('name'), Query.offset(1)] });
    assert.deepEqual([skipped.total, skipped.rows.map((r) => r.$id)], [3, ['b', 'c']]);
  });

  test('a reader sees only the rows it may read, counted as such', async () => {
    const seen = await reader.tables.listRows({ databaseId: DB, tableId: TABLE, queries: [Query.distanceLessThan('loc', [0, 0], 10, false)] });
    assert.deepEqual([seen.total, seen.rows.map((r) => r.$id).sort()], [2, ['a', 'b']]);
    const none = await reader.tables.listRows({ databaseId: DB, tableId: TABLE, queries: [Query.equal('loc', [[0.005, 0]])] });
    assert.deepEqual([none.total, none.rows], [0, []]);
  });

  test('misused spatial queries answer general_query_invalid', async () => {
    const misuses = [
      Query.intersects('name', [1, 2]),
      Query.distanceLessThan('name', [0, 0], 1),
      Query.lessThan('loc', 3),
      Query.startsWith('area', 'x'),
      Query.intersects('loc', [500, 0]),
      Query.intersects('area', [[[0, 0], [1, 1]]]),
      JSON.stringify({ method: 'distanceLessThan', attribute: 'loc', values: [[[0, 0], 'far', true]] }),
      JSON.stringify({ method: 'distanceLessThan', attribute: 'loc', values: [[[0, 0], 1]] }),
    ];
    for (const query of misuses) {
      await rejectsWith(tables.listRows({ databaseId: DB, tableId: TABLE, queries: [query] }), 400, 'general_query_invalid');
    }
  });

  test('spatial indexes: one geo column, no orders; geo columns take no other index; queries use it and stay exact', async () => {
    const invalid = [
      { key: 'two', type: 'spatial', columns: ['loc', 'area'] },
      { key: 'text', type: 'spatial', columns: ['name'] },
      { key: 'ordered', type: 'spatial', columns: ['loc'], orders: ['ASC'] },
      { key: 'plain', type: 'key', columns: ['loc'] },
      { key: 'unique', type: 'unique', columns: ['area'] },
    ];
    for (const index of invalid) {
      await rejectsWith(tables.createIndex({ databaseId: DB, tableId: TABLE, ...index } as never), 400, 'column_index_invalid');
    }
    const index = await tables.createIndex({ databaseId: DB, tableId: TABLE, key: 'where', type: 'spatial' as never, columns: ['loc'] });
    assert.deepEqual([index.type, index.columns], ['spatial', ['loc']]);
    // A nullable column takes a spatial index too, as PostgreSQL holds nulls in it.
    await tables.createIndex({ databaseId: DB, tableId: TABLE, key: 'shape', type: 'spatial' as never, columns: ['area'] });
    assert.equal((await waitForSchema(tables, DB, TABLE)).where, 'available');

    assert.deepEqual(await ids([Query.distanceLessThan('loc', [0, 0], 1, false)]), ['a', 'c']);
    assert.deepEqual(await ids([Query.intersects('area', [10, 10])]), ['a', 'd']);
    assert.deepEqual(await ids([Query.notIntersects('area', [10, 10])]), ['b']);
    assert.deepEqual(await ids([Query.notContains('area', [[5, 5]])]), ['b']);
    assert.deepEqual(await ids([Query.distanceGreaterThan('loc', [0, 0], 1, false)]), ['b', 'd']);
    assert.deepEqual(await ids([Query.distanceNotEqual('loc', [0, 0], 0, false)]), ['b', 'c', 'd']);
    assert.deepEqual(await ids([Query.distanceLessThan('loc', [0, 0], 1000, true)]), ['a', 'c']);
    // The index follows writes: a moved, added and deleted row.
    await tables.updateRow({ databaseId: DB, tableId: TABLE, rowId: 'c', data: { loc: [40, 40], area: [square(39, 39, 2)] } });
    await tables.createRow({ databaseId: DB, tableId: TABLE, rowId: 'e', data: { loc: [0.1, 0.1] } });
    assert.deepEqual(await ids([Query.distanceLessThan('loc', [0, 0], 1, false)]), ['a', 'e']);
    assert.deepEqual(await ids([Query.contains('area', [[40, 40]])]), ['c']);
    await tables.deleteRow({ databaseId: DB, tableId: TABLE, rowId: 'e' });
    assert.deepEqual(await ids([Query.distanceLessThan('loc', [0, 0], 1, false)]), ['a']);
    await tables.updateRow({ databaseId: DB, tableId: TABLE, rowId: 'c', data: { loc: [0.005, 0], area: null } });

    await tables.deleteIndex({ databaseId: DB, tableId: TABLE, key: 'shape' });
    await waitForSchema(tables, DB, TABLE);
    assert.deepEqual(await ids([Query.intersects('area', [10, 10])]), ['a', 'd']);
  });

  test('columns are updated: required, default (normalised) and key', async () => {
    await rejectsWith(tables.createPointColumn({ databaseId: DB, tableId: TABLE, key: 'pin', required: true, xdefault: [1, 2] }), 400, 'column_default_unsupported');
    await rejectsWith(tables.createPointColumn({ databaseId: DB, tableId: TABLE, key: 'pin', required: false, xdefault: [1, 2, 3] }), 400, 'general_argument_invalid');
    await rejectsWith(tables.createPolygonColumn({ databaseId: DB, tableId: TABLE, key: 'pin', required: false, xdefault: [[[0, 0], [1, 1]]] }), 400, 'general_argument_invalid');
    const created = await tables.createPolygonColumn({ databaseId: DB, tableId: TABLE, key: 'zone', required: false, xdefault: square(0, 0, 1) });
    assert.deepEqual(created.default, [square(0, 0, 1)]);
    await waitForSchema(tables, DB, TABLE);
    const defaulted = await tables.createRow({ databaseId: DB, tableId: TABLE, rowId: 'defaulted', data: { loc: [1, 1] } });
    assert.deepEqual(defaulted.zone, [square(0, 0, 1)]);

    const updated = await tables.updatePolygonColumn({ databaseId: DB, tableId: TABLE, key: 'zone', required: false, xdefault: [square(2, 2, 2)], newKey: 'region' });
    assert.deepEqual([updated.key, updated.default], ['region', [square(2, 2, 2)]]);
    const line = await tables.updateLineColumn({ databaseId: DB, tableId: TABLE, key: 'path', required: false, xdefault: [[1, 1], [2, 2]] });
    assert.deepEqual(line.default, [[1, 1], [2, 2]]);
    await rejectsWith(tables.updatePointColumn({ databaseId: DB, tableId: TABLE, key: 'path', required: false }), 400, 'column_type_invalid');
    await rejectsWith(tables.updatePointColumn({ databaseId: DB, tableId: TABLE, key: 'loc', required: false, xdefault: [0, 100] }), 400, 'general_argument_invalid');
    const point = await tables.updatePointColumn({ databaseId: DB, tableId: TABLE, key: 'loc', required: false, xdefault: [7, 8] });
    assert.deepEqual([point.required, point.default], [false, [7, 8]]);
    const fallback = await tables.createRow({ databaseId: DB, tableId: TABLE, rowId: 'fallback', data: {} });
    assert.deepEqual([fallback.loc, fallback.region], [[7, 8], [square(2, 2, 2)]]);
    await tables.deleteRow({ databaseId: DB, tableId: TABLE, rowId: 'fallback' });
    await tables.deleteRow({ databaseId: DB, tableId: TABLE, rowId: 'defaulted' });
  });

  test('realtime subscriptions filter geo values by equality and presence, for readers only', async () => {
    const session = (reader.client as Client & { config: { session: string } }).config.session;
    const { socket } = await RealtimeSocket.connect(server.endpoint, `project=${PROJECT}`, { 'X-Appwrite-Session': session });
    try {
      const answer = await socket.request({
        type: 'subscribe',
        data: [
          { subscriptionId: 'here', channels: ['rows'], queries: [Query.equal('loc', [[5, 5]])] },
          { subscriptionId: 'elsewhere', channels: ['rows'], queries: [Query.notEqual('loc', [[5, 5]])] },
          { subscriptionId: 'shaped', channels: ['rows'], queries: [Query.isNotNull('area')] },
        ],
      });
      assert.equal(answer.type, 'response');
      const readable = [`read("user:${reader.userId}")`];
      const expectations: [string, Record<string, unknown>, string[]][] = [
        ['live1', { loc: [5, 5] }, ['here']],
        ['live2', { loc: [5, 6], area: [square(0, 0, 1)] }, ['elsewhere', 'shaped']],
      ];
      // A row the reader may not read sends nothing, whatever its values.
      await tables.createRow({ databaseId: DB, tableId: TABLE, rowId: 'hidden', data: { loc: [5, 5] } });
      for (const [rowId, data, expected] of expectations) {
        await tables.createRow({ databaseId: DB, tableId: TABLE, rowId, data, permissions: readable });
        const event = await socket.next();
        assert.equal(event.data.payload.$id, rowId);
        assert.deepEqual(event.data.subscriptions.sort(), expected);
      }
      await socket.assertNothingBefore('nothing else');
      for (const rowId of ['hidden', 'live1', 'live2']) await tables.deleteRow({ databaseId: DB, tableId: TABLE, rowId });
    } finally {
      socket.close();
    }
  });

  test('the Databases API: attributes, documents and spatial queries in its own words', async () => {
    await databases.createCollection({ databaseId: DB, collectionId: 'routes', name: 'Routes' });
    const point = await databases.createPointAttribute({ databaseId: DB, collectionId: 'routes', key: 'start', required: false, xdefault: [1, 1] });
    assert.deepEqual([point.type, point.default], ['point', [1, 1]]);
    await databases.createLineAttribute({ databaseId: DB, collectionId: 'routes', key: 'track', required: true });
    await databases.createPolygonAttribute({ databaseId: DB, collectionId: 'routes', key: 'zone', required: false });
    await waitForSchema(tables, DB, 'routes');
    await databases.createIndex({ databaseId: DB, collectionId: 'routes', key: 'by_track', type: 'spatial' as never, attributes: ['track'] });
    await rejectsWith(
      databases.createIndex({ databaseId: DB, collectionId: 'routes', key: 'bad', type: 'key' as never, attributes: ['zone'] }),
      400,
      'index_invalid',
    );
    await waitForSchema(tables, DB, 'routes');
    await databases.createDocument({ databaseId: DB, collectionId: 'routes', documentId: 'north', data: { track: [[0, 0], [0, 10]] } as never });
    await databases.createDocument({ databaseId: DB, collectionId: 'routes', documentId: 'east', data: { track: [[0, 0], [10, 0]], zone: [square(0, 0, 3)] } as never });
    await rejectsWith(databases.createDocument({ databaseId: DB, collectionId: 'routes', documentId: 'x', data: { track: [[0, 0]] } as never }), 400, 'document_invalid_structure');
    const north = await databases.getDocument({ databaseId: DB, collectionId: 'routes', documentId: 'north' });
    assert.deepEqual([north.start, north.track, north.zone], [[1, 1], [[0, 0], [0, 10]], null]);
    const crossing = await databases.listDocuments({ databaseId: DB, collectionId: 'routes', queries: [Query.crosses('track', [[-1, 5], [1, 5]])] });
    assert.deepEqual(crossing.documents.map((d) => d.$id), ['north']);
    const touching = await databases.listDocuments({ databaseId: DB, collectionId: 'routes', queries: [Query.touches('track', [[10, 0], [12, 0]])] });
    assert.deepEqual(touching.documents.map((d) => d.$id), ['east']);
    const updated = await databases.updatePointAttribute({ databaseId: DB, collectionId: 'routes', key: 'start', required: false, xdefault: null as never });
    assert.equal(updated.default, null);
    await rejectsWith(databases.updateLineAttribute({ databaseId: DB, collectionId: 'routes', key: 'zone', required: false }), 400, 'attribute_type_invalid');
    await databases.deleteCollection({ databaseId: DB, collectionId: 'routes' });
  });
});
