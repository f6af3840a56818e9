import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { after, before, describe, test } from 'node:test';
import { TablesDB } from 'node-appwrite';
import { signUpUser, waitForSchema } from '../databases/helpers.js';
import { TEST_DATABASE_URL } from '../support/databases.js';
import { BIN, TestServer } from '../support/plinth.js';
import { sdkClient } from '../support/sdk.js';
import { RealtimeSocket } from './socket.js';

const PROJECT = 'cluster';
const DB = 'main';
const REDIS_URL = process.env.PLINTH_TEST_REDIS || 'redis://127.0.0.1:6379';

/** A second node of the same deployment: same database, data directory and Redis. */
async function startSecondNode(first: TestServer): Promise<{ endpoint: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [BIN, 'serve'], { env: first.processEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`second node exited with ${code}`)));
    lines.on('line', (line) => {
      const found = /"url":"(http:\/\/[^"]+)"/.exec(line)?.[1];
      if (found) resolve(found.replace('localhost', '127.0.0.1'));
    });
  });
  return { endpoint: `${url}/v1`, child };
}

// Many nodes share PostgreSQL: on SQLite each process owns its files, so this runs on PostgreSQL only.
describe('realtime across two nodes (PostgreSQL + Redis)', { skip: TEST_DATABASE_URL ? false : 'PostgreSQL only (PLINTH_TEST_DB)' }, () => {
  let nodeA: TestServer;
  let nodeB: { endpoint: string; child: ChildProcess };
  let tablesOnA: TablesDB;
  let tablesOnB: TablesDB;
  let key: string;
  const open: RealtimeSocket[] = [];

  before(async () => {
    const env = {
      PLINTH_REDIS: REDIS_URL,
      PLINTH_REDIS_CHANNEL: `plinth:test:${randomUUID()}`,
      PLINTH_REALTIME_CONNECTIONS_PER_MINUTE: '0',
      PLINTH_PRESENCE_SWEEP_SECONDS: '1',
    };
    nodeA = await TestServer.start({ env });
    await nodeA.createProject(PROJECT);
    nodeB = await startSecondNode(nodeA);
    key = await nodeA.createKey(PROJECT);
    tablesOnA = new TablesDB(sdkClient(nodeA, PROJECT, key));
    tablesOnB = new TablesDB(sdkClient({ endpoint: nodeB.endpoint } as TestServer, PROJECT, key));
    await tablesOnA.create({ databaseId: DB, name: 'Main' });
    await tablesOnA.createTable({ databaseId: DB, tableId: 'notes', name: 'Notes', rowSecurity: true, permissions: [] });
    await tablesOnA.createStringColumn({ databaseId: DB, tableId: 'notes', key: 'text', size: 50, required: false });
    await waitForSchema(tablesOnA, DB, 'notes');
  });
  after(async () => {
    for (const socket of open) socket.close();
    if (nodeB && nodeB.child.exitCode === null && nodeB.child.signalCode === null) {
      const exited = new Promise((resolve) => nodeB.child.once('exit', resolve));
      nodeB.child.kill('SIGTERM');
      await exited;
    }
    await nodeA?.stop();
  });

  test('a write on node A reaches a subscriber on node B, and one on B reaches A, with permissions applied', async () => {
    const user = await signUpUser(nodeA, PROJECT, key, 'Ann');
    const secret = (user.client as unknown as { config: { session: string } }).config.session;
    const onB = await RealtimeSocket.connect(nodeB.endpoint, `project=${PROJECT}`, { 'X-Appwrite-Session': secret });
    const guestOnB = await RealtimeSocket.connect(nodeB.endpoint, `project=${PROJECT}`);
    const onA = await RealtimeSocket.connect(nodeA.endpoint, `project=${PROJECT}`);
    open.push(onB.socket, guestOnB.socket, onA.socket);
    assert.equal(onB.connected.data.user.$id, user.userId);
    await onB.socket.subscribe('rows', ['rows']);
    await guestOnB.socket.subscribe('rows', ['rows']);
    await onA.socket.subscribe('rows', ['rows']);

    await tablesOnA.createRow({ databaseId: DB, tableId: 'notes', rowId: 'private', data: { text: 'a' }, permissions: [`read("user:${user.userId}")`] });
    await tablesOnA.createRow({ databaseId: DB, tableId: 'notes', rowId: 'public', data: { text: 'b' }, permissions: ['read("any")'] });
    const first = await onB.socket.next();
    assert.equal(first.data.payload.$id, 'private');
    assert.deepEqual(first.data.subscriptions, ['rows']);
    assert.equal((await onB.socket.next()).data.payload.$id, 'public');
    // The guest on B gets the public row only: the private one never comes before it.
    assert.equal((await guestOnB.socket.next()).data.payload.$id, 'public');

    await tablesOnB.createRow({ databaseId: DB, tableId: 'notes', rowId: 'fromB', data: { text: 'c' }, permissions: ['read("any")'] });
    // The guest on A: the public row written on A itself, then the one written on B.
    assert.equal((await onA.socket.next()).data.payload.$id, 'public');
    assert.equal((await onA.socket.next()).data.payload.$id, 'fromB');
  });

  test('a presence set on node A is seen on node B, and ends there when its socket on A closes', async () => {
    const ann = await signUpUser(nodeA, PROJECT, key, 'Ann');
    const ben = await signUpUser(nodeA, PROJECT, key, 'Ben');
    const secretOf = (user: typeof ann) => (user.client as unknown as { config: { session: string } }).config.session;
    const benOnB = await RealtimeSocket.connect(nodeB.endpoint, `project=${PROJECT}&channels[]=presences`, { 'X-Appwrite-Session': secretOf(ben) });
    const annOnA = await RealtimeSocket.connect(nodeA.endpoint, `project=${PROJECT}`, { 'X-Appwrite-Session': secretOf(ann) });
    open.push(benOnB.socket);
    annOnA.socket.send({ type: 'presence', data: { status: 'online', presenceId: 'ann', permissions: ['read("users")'] } });
    assert.equal((await annOnA.socket.next()).data.presence.$id, 'ann');
    const online = await benOnB.socket.next();
    assert.ok(online.data.events.includes('presences.ann.upsert'));
    assert.equal(online.data.payload.userId, ann.userId);
    annOnA.socket.close();
    const offline = await benOnB.socket.next();
    assert.ok(offline.data.events.includes('presences.ann.delete'));
  });

  // Last: it kills node B.
  test('the presence of a user on a node that dies ends on the surviving node once it lapses', async () => {
    const cy = await signUpUser(nodeA, PROJECT, key, 'Cy');
    const dee = await signUpUser(nodeA, PROJECT, key, 'Dee');
    const secretOf = (user: typeof cy) => (user.client as unknown as { config: { session: string } }).config.session;
    const deeOnA = await RealtimeSocket.connect(nodeA.endpoint, `project=${PROJECT}&channels[]=presences.cy`, { 'X-Appwrite-Session': secretOf(dee) });
    const cyOnB = await RealtimeSocket.connect(nodeB.endpoint, `project=${PROJECT}`, { 'X-Appwrite-Session': secretOf(cy) });
    open.push(deeOnA.socket);
    cyOnB.socket.send({ type: 'presence', data: { status: 'online', presenceId: 'cy', permissions: ['read("users")'] } });
    assert.equal((await cyOnB.socket.next()).data.presence.$id, 'cy');
    assert.ok((await deeOnA.socket.next()).data.events.includes('presences.cy.upsert'));

    // Node B dies without closing anything: nobody ends Cy's presence or keeps it alive.
    const exited = new Promise((resolve) => nodeB.child.once('exit', resolve));
    nodeB.child.kill('SIGKILL');
    await exited;
    // Its lifetime (two minutes after the last ping) runs out sooner here.
    const lapse = await nodeA.request('/presences/cy', {
      method: 'PATCH',
      project: PROJECT,
      key,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ expiresAt: new Date(Date.now() + 1500).toISOString() }),
    });
    assert.equal(lapse.status, 200, await lapse.clone().text());
    assert.ok((await deeOnA.socket.next()).data.events.includes('presences.cy.update'));
    // No write or list of presences follows: node A's sweep ends it.
    const ended = await deeOnA.socket.next();
    assert.ok(ended.data.events.includes('presences.cy.delete'), JSON.stringify(ended));
    assert.equal(ended.data.payload.userId, cy.userId);
    const gone = await nodeA.request('/presences/cy', { project: PROJECT, key });
    assert.equal(gone.status, 404);
  });
});
