import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Databases, Query, TablesDB } from 'node-appwrite';
import { waitForSchema } from '../databases/helpers.js';
import { TestServer } from '../support/plinth.js';
import { sdkClient } from '../support/sdk.js';
import { RealtimeSocket } from './socket.js';

const PROJECT = 'live';
const DB = 'main';
const TABLE = 'notes';

describe('realtime protocol', () => {
  let server: TestServer;
  let tables: TablesDB;
  let databases: Databases;
  const open: RealtimeSocket[] = [];

  async function connect(query = `project=${PROJECT}`, headers: Record<string, string> = {}) {
    const result = await RealtimeSocket.connect(server.endpoint, query, headers);
    open.push(result.socket);
    return result;
  }

  before(async () => {
    server = await TestServer.start({ env: { PLINTH_REALTIME_MESSAGES_PER_MINUTE: '10000', PLINTH_REALTIME_CONNECTIONS_PER_MINUTE: '10000' } });
    await server.createProject(PROJECT);
    const key = await server.createKey(PROJECT);
    tables = new TablesDB(sdkClient(server, PROJECT, key));
    databases = new Databases(sdkClient(server, PROJECT, key));
    await tables.create({ databaseId: DB, name: 'Main' });
    await tables.createTable({ databaseId: DB, tableId: TABLE, name: 'Notes', permissions: ['read("any")'] });
    await tables.createStringColumn({ databaseId: DB, tableId: TABLE, key: 'status', size: 20, required: false });
    await tables.createIntegerColumn({ databaseId: DB, tableId: TABLE, key: 'rank', required: false });
    await waitForSchema(tables, DB, TABLE);
  });
  after(async () => {
    for (const socket of open) socket.close();
    await server.stop();
  });

  test('closes with 1008 when the project is missing or unknown', async () => {
    for (const query of ['', 'project=nope']) {
      const socket = await RealtimeSocket.open(server.endpoint, query);
      const error = await socket.next();
      assert.equal(error.type, 'error');
      assert.equal(error.data.code, 1008);
      assert.equal(typeof error.data.message, 'string');
      assert.equal((await socket.closed).code, 1008);
    }
  });

  test('takes the project from the X-Appwrite-Project header too', async () => {
    const { connected } = await connect('', { 'X-Appwrite-Project': PROJECT });
    assert.deepEqual(connected.data, { channels: [], subscriptions: [], user: null });
  });

  test('closes with 1008 for an origin that is not a platform of the project, and accepts a local one', async () => {
    const socket = await RealtimeSocket.open(server.endpoint, `project=${PROJECT}`, { Origin: 'https://evil.example' });
    const error = await socket.next();
    assert.equal(error.type, 'error');
    assert.equal(error.data.code, 1008);
    assert.equal((await socket.closed).code, 1008);

    const { connected } = await connect(`project=${PROJECT}`, { Origin: 'http://localhost:3000' });
    assert.equal(connected.type, 'connected');
  });

  test('message mode: connected has no channels, ping answers pong', async () => {
    const { socket, connected } = await connect();
    assert.deepEqual(connected, { type: 'connected', data: { channels: [], subscriptions: [], user: null } });
    assert.deepEqual(await socket.request({ type: 'ping' }), { type: 'pong', data: null });
  });

  test('bad JSON, non-objects and unknown types answer error 1003 and keep the socket', async () => {
    const { socket } = await connect();
    for (const frame of ['{not json', '42', '"text"', JSON.stringify({ data: 1 }), JSON.stringify({ type: 'dance' })]) {
      const answer = await socket.request(frame);
      assert.equal(answer.type, 'error', frame);
      assert.equal(answer.data.code, 1003, frame);
      assert.equal(typeof answer.data.message, 'string');
    }
    assert.equal((await socket.request({ type: 'ping' })).type, 'pong');
  });

  test('malformed subscribe and unsubscribe payloads answer error 1003 and change nothing', async () => {
    const { socket } = await connect();
    const bad = [
      { type: 'subscribe', data: null },
      { type: 'subscribe', data: [] },
      { type: 'subscribe', data: [{ subscriptionId: 's', channels: [] }] },
      { type: 'subscribe', data: [{ subscriptionId: 's', channels: [1] }] },
      { type: 'subscribe', data: [{ subscriptionId: 's', channels: ['rows'], queries: 'x' }] },
      { type: 'subscribe', data: [{ subscriptionId: 's', channels: ['rows'], queries: ['{bad'] }] },
      { type: 'subscribe', data: [{ subscriptionId: 's', channels: ['rows'], queries: [Query.startsWith('status', 'o')] }] },
      { type: 'subscribe', data: [{ subscriptionId: 's', channels: ['rows'], queries: [Query.limit(1)] }] },
      { type: 'subscribe', data: [{ subscriptionId: 's', channels: ['rows'], queries: [Query.select(['status'])] }] },
      { type: 'unsubscribe', data: [{}] },
      { type: 'authentication', data: {} },
    ];
    for (const message of bad) {
      const answer = await socket.request(message);
      assert.equal(answer.type, 'error', JSON.stringify(message));
      assert.equal(answer.data.code, 1003, JSON.stringify(message));
    }
    const removed = await socket.request({ type: 'unsubscribe', data: [{ subscriptionId: 's' }] });
    assert.deepEqual(removed.data, { to: 'unsubscribe', success: true, subscriptions: [{ subscriptionId: 's', removed: false }] });
  });

  test('subscribe answers with its subscriptions; unsubscribe removes them', async () => {
    const { socket } = await connect();
    const queries = [Query.equal('status', ['open'])];
    const answer = await socket.request({
      type: 'subscribe',
      data: [
        { subscriptionId: 'a', channels: ['rows', 'documents'], queries },
        { subscriptionId: 'b', channels: ['account'] },
      ],
    });
    assert.deepEqual(answer, {
      type: 'response',
      data: {
        to: 'subscribe',
        success: true,
        subscriptions: [
          { subscriptionId: 'a', channels: ['rows', 'documents'], queries },
          { subscriptionId: 'b', channels: ['account'], queries: [] },
        ],
      },
    });
    const removed = await socket.request({ type: 'unsubscribe', data: [{ subscriptionId: 'a' }, { subscriptionId: 'zzz' }] });
    assert.deepEqual(removed.data, {
      to: 'unsubscribe',
      success: true,
      subscriptions: [
        { subscriptionId: 'a', removed: true },
        { subscriptionId: 'zzz', removed: false },
      ],
    });
  });

  test('a row event reaches every database channel, both naming schemes, with and without the action', async () => {
    const { socket } = await connect();
    const rowId = 'r1';
    const channels = [
      'rows', 'rows.create', 'documents', 'documents.create',
      `tablesdb.${DB}.tables.${TABLE}.rows`, `tablesdb.${DB}.tables.${TABLE}.rows.${rowId}`, `tablesdb.${DB}.tables.${TABLE}.rows.${rowId}.create`,
      `databases.${DB}.tables.${TABLE}.rows`, `databases.${DB}.tables.${TABLE}.rows.${rowId}`,
      `databases.${DB}.collections.${TABLE}.documents`, `databases.${DB}.collections.${TABLE}.documents.${rowId}`,
      `databases.${DB}.collections.${TABLE}.documents.create`,
    ];
    const data = channels.map((channel, index) => ({ subscriptionId: `s${index}`, channels: [channel] }));
    data.push({ subscriptionId: 'other', channels: ['rows.delete', `tablesdb.${DB}.tables.${TABLE}.rows.elsewhere`, 'files', 'teams'] });
    assert.equal((await socket.request({ type: 'subscribe', data })).type, 'response');

    await tables.createRow({ databaseId: DB, tableId: TABLE, rowId, data: { status: 'open', rank: 1 } });
    const event = await socket.next();
    assert.equal(event.type, 'event');
    assert.deepEqual(event.data.subscriptions.sort(), data.slice(0, -1).map((d) => d.subscriptionId).sort());
    for (const channel of channels) assert.ok(event.data.channels.includes(channel), channel);
    for (const name of [
      `databases.${DB}.collections.${TABLE}.documents.${rowId}.create`,
      `tablesdb.${DB}.tables.${TABLE}.rows.${rowId}.create`,
      `databases.*.tables.*.rows.*.create`,
    ]) assert.ok(event.data.events.includes(name), name);
    assert.equal(event.data.payload.$id, rowId);
    assert.equal(event.data.payload.status, 'open');
    assert.match(event.data.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d$/);
    await socket.assertNothingBefore('one event per write');

    await databases.updateDocument({ databaseId: DB, collectionId: TABLE, documentId: rowId, data: { rank: 2 } });
    const update = await socket.next();
    assert.ok(update.data.events.includes(`databases.${DB}.collections.${TABLE}.documents.${rowId}.update`));
    assert.deepEqual(update.data.subscriptions.sort(), ['s0', 's10', 's2', 's4', 's5', 's7', 's8', 's9'].sort());

    await tables.deleteRow({ databaseId: DB, tableId: TABLE, rowId });
    const deleted = await socket.next();
    assert.ok(deleted.data.subscriptions.includes('other'));
    assert.ok(deleted.data.events.includes(`tablesdb.${DB}.tables.${TABLE}.rows.${rowId}.delete`));
  });

  test('queries filter events per subscription, on the server', async () => {
    const { socket } = await connect();
    const subscribed = await socket.request({
      type: 'subscribe',
      data: [
        { subscriptionId: 'open', channels: ['rows'], queries: [Query.equal('status', ['open'])] },
        { subscriptionId: 'notOpen', channels: ['rows'], queries: [Query.notEqual('status', 'open')] },
        { subscriptionId: 'high', channels: ['rows'], queries: [Query.greaterThan('rank', 5), Query.select(['*'])] },
        { subscriptionId: 'lowOrNull', channels: ['rows'], queries: [Query.or([Query.lessThanEqual('rank', 1), Query.isNull('rank')])] },
        { subscriptionId: 'both', channels: ['rows'], queries: [Query.and([Query.isNotNull('status'), Query.greaterThanEqual('rank', 10), Query.lessThan('rank', 11)])] },
      ],
    });
    assert.equal(subscribed.type, 'response');
    const expectations: [Record<string, unknown>, string[]][] = [
      [{ status: 'open', rank: 1 }, ['lowOrNull', 'open']],
      [{ status: 'closed', rank: 10 }, ['both', 'high', 'notOpen']],
      [{ status: 'open', rank: 7 }, ['high', 'open']],
      [{ status: null }, ['lowOrNull', 'notOpen']],
    ];
    for (const [index, [data, expected]] of expectations.entries()) {
      await tables.createRow({ databaseId: DB, tableId: TABLE, rowId: `q${index}`, data });
      const event = await socket.next();
      assert.equal(event.type, 'event');
      assert.deepEqual(event.data.subscriptions.sort(), expected, JSON.stringify(data));
    }
    // An event no subscription's filter accepts is not sent at all.
    await socket.request({ type: 'unsubscribe', data: [{ subscriptionId: 'notOpen' }, { subscriptionId: 'lowOrNull' }] });
    await tables.createRow({ databaseId: DB, tableId: TABLE, rowId: 'q9', data: { status: 'closed', rank: 3 } });
    await socket.assertNothingBefore('filtered out');
  });

  test('sending a subscription id again replaces its filter', async () => {
    const { socket } = await connect();
    await socket.subscribe('one', ['rows'], [Query.equal('status', ['a'])]);
    await socket.subscribe('one', ['rows'], [Query.equal('status', ['b'])]);
    await tables.createRow({ databaseId: DB, tableId: TABLE, rowId: 'u1', data: { status: 'a' } });
    await tables.createRow({ databaseId: DB, tableId: TABLE, rowId: 'u2', data: { status: 'b' } });
    const event = await socket.next();
    assert.equal(event.data.payload.$id, 'u2');
  });

  test('URL mode: channels and per-channel query slots in the URL subscribe at once', async () => {
    const equalOpen = encodeURIComponent(Query.equal('status', ['open']));
    const { socket, connected } = await connect(`project=${PROJECT}&channels[]=rows&channels[]=files&rows[0][]=${equalOpen}`);
    assert.deepEqual(connected.data.channels.sort(), ['files', 'rows']);
    assert.equal(connected.data.user, null);
    const slot = connected.data.subscriptions['0'];
    assert.equal(typeof slot, 'string');
    await tables.createRow({ databaseId: DB, tableId: TABLE, rowId: 'url1', data: { status: 'closed' } });
    await tables.createRow({ databaseId: DB, tableId: TABLE, rowId: 'url2', data: { status: 'open' } });
    const event = await socket.next();
    assert.equal(event.data.payload.$id, 'url2');
    assert.deepEqual(event.data.subscriptions, [slot]);
  });

  test('URL mode with an invalid query closes with an error', async () => {
    const socket = await RealtimeSocket.open(server.endpoint, `project=${PROJECT}&channels[]=rows&rows[0][]=${encodeURIComponent('{"method":"search"}')}`);
    const error = await socket.next();
    assert.equal(error.type, 'error');
    assert.equal(error.data.code, 1003);
    await socket.closed;
  });

  test('frames sent before connected are handled after it, in order', async () => {
    const socket = await RealtimeSocket.open(server.endpoint, `project=${PROJECT}`);
    open.push(socket);
    socket.send({ type: 'ping' });
    socket.send({ type: 'subscribe', data: [{ subscriptionId: 'early', channels: ['rows'] }] });
    assert.equal((await socket.next()).type, 'connected');
    assert.equal((await socket.next()).type, 'pong');
    assert.equal((await socket.next()).data.to, 'subscribe');
  });

  test('the server keeps serving REST while sockets come and go', async () => {
    const { socket } = await connect();
    socket.socket.terminate();
    const health = await server.request('/health/version');
    assert.equal(health.status, 200);
  });
});
