import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { Functions, ID, Query, Users, type Models } from 'node-appwrite';
import { loadServerSecret } from '../../src/app/secret.js';
import { decryptValue } from '../../src/core/crypto.js';
import { openDatabase } from '../../src/data/open-database.js';
import { TestServer } from '../support/plinth.js';
import { sdkClient } from '../support/sdk.js';
import { NODE_EVENT_REPORTER } from './fixtures.js';
import { deployFunction, waitForExecution } from './deploy.js';

const PROJECT = 'outbox';

/** Waits until the function lists this many executions (its rows, not its total, which may count a later one), then returns them finished. */
async function executionsOf(functions: Functions, functionId: string, count: number): Promise<Models.Execution[]> {
  for (let attempt = 0; attempt < 600; attempt++) {
    const list = await functions.listExecutions({ functionId, queries: [Query.orderAsc('$createdAt')] });
    if (list.executions.length >= count) return Promise.all(list.executions.map((execution) => waitForExecution(functions, functionId, execution.$id)));
    await delay(25);
  }
  throw new Error(`fewer than ${count} executions of ${functionId}`);
}

function triggeringUser(execution: Models.Execution): string {
  assert.equal(execution.status, 'completed', execution.errors);
  return (JSON.parse(execution.logs.trim()) as { body: { $id: string } }).body.$id;
}

// The process itself is under test: it dies between the commit of a change and the delivery of its event.
describe('events survive a crash between commit and delivery', () => {
  let server: TestServer;
  let key: string;
  let functionId: string;
  const clients = () => {
    const client = sdkClient(server, PROJECT, key);
    return { functions: new Functions(client), users: new Users(client) };
  };

  before(async () => {
    server = await TestServer.start({ process: true });
    await server.createProject(PROJECT);
    key = await server.createKey(PROJECT);
    const deployed = await deployFunction(clients().functions, { runtime: 'node-20.0', files: NODE_EVENT_REPORTER, entrypoint: 'index.js' });
    functionId = deployed.functionId;
    await clients().functions.update({ functionId, name: 'on user create', events: ['users.*.create'] });
  });
  after(() => server?.stop());

  test('kill -9 after the commit, restart: the triggered execution happens exactly once', async () => {
    // An API node without workers commits changes but hands no event on: the outbox keeps them.
    server.env.PLINTH_WORKERS = 'off';
    await server.restart();
    const before = await clients().users.create({ userId: ID.unique(), email: 'before-crash@example.com', password: 'correct horse' });

    // As if a node had run the trigger and died before removing the entry: the entry twice.
    const db = openDatabase({ url: server.env.PLINTH_DB, dataDir: server.dataDir });
    try {
      const store = db.project(PROJECT);
      const pending = await store.selectFrom('event_outbox').select('event').execute();
      // Entries are encrypted with the server key: the payload may hold encrypted attributes in clear.
      const secret = loadServerSecret(server.env.PLINTH_SECRET, server.dataDir);
      assert.ok(pending.every((entry) => !entry.event.includes(before.$id)), 'an outbox entry is not readable without the key');
      const userEvents = pending.filter((entry) => (JSON.parse(decryptValue(secret, entry.event)) as { payload: { $id?: string } }).payload.$id === before.$id);
      assert.equal(userEvents.length, 1, 'the committed change left its event in the outbox');
      await store.insertInto('event_outbox').values({ event: userEvents[0]!.event, claimed_until: null }).execute();
    } finally {
      await db.close();
    }

    delete server.env.PLINTH_WORKERS;
    await server.restart('SIGKILL');
    // Handed on after the restart; a later event comes after it, so once that one ran, the first did.
    const later = await clients().users.create({ userId: ID.unique(), email: 'after-crash@example.com', password: 'correct horse' });
    const executions = await executionsOf(clients().functions, functionId, 2);
    assert.deepEqual(executions.map(triggeringUser).sort(), [before.$id, later.$id].sort(), 'one execution per event, the crashed one included');
    assert.equal((await clients().functions.listExecutions({ functionId })).total, 2);
  });
});
