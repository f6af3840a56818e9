import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { Databases, Functions, ID, Query, TablesDB, Users, type Models } from 'node-appwrite';
import { waitForSchema } from '../databases/helpers.js';
import { TestServer } from '../support/plinth.js';
import { sdkClient } from '../support/sdk.js';
import { NODE_ECHO, NODE_EVENT_REPORTER } from './fixtures.js';
import { deployFunction, waitForExecution } from './deploy.js';

const PROJECT = 'triggers';

/** Polls the function's executions until one with the trigger shows up. */
async function firstExecution(functions: Functions, functionId: string, trigger: string): Promise<Models.Execution> {
  for (let attempt = 0; attempt < 400; attempt++) {
    const list = await functions.listExecutions({ functionId, queries: [Query.equal('trigger', trigger)] });
    if (list.executions[0]) return waitForExecution(functions, functionId, list.executions[0].$id);
    await delay(25);
  }
  throw new Error(`no ${trigger} execution of ${functionId}`);
}

/** Waits until the function has this many executions, then returns them finished, oldest first. */
async function executionsOf(functions: Functions, functionId: string, count: number): Promise<Models.Execution[]> {
  for (let attempt = 0; attempt < 400; attempt++) {
    const list = await functions.listExecutions({ functionId, queries: [Query.orderAsc('$createdAt')] });
    // The page itself is what the assertions read, so it is what is waited for.
    if (list.executions.length >= count) return Promise.all(list.executions.map((execution) => waitForExecution(functions, functionId, execution.$id)));
    await delay(25);
  }
  throw new Error(`fewer than ${count} executions of ${functionId}`);
}

interface EventReport {
  event: string;
  trigger: string;
  contentType: string;
  body: Record<string, unknown>;
}

function reportOf(execution: Models.Execution): EventReport {
  assert.equal(execution.status, 'completed', execution.errors);
  return JSON.parse(execution.logs.trim()) as EventReport;
}

describe('function triggers', () => {
  let server: TestServer;
  let key: string;
  let functions: Functions;

  before(async () => {
    server = await TestServer.start();
    await server.createProject(PROJECT);
    key = await server.createKey(PROJECT);
    functions = new Functions(sdkClient(server, PROJECT, key));
  });
  after(() => server?.stop());

  test('an event the function listens to runs it with the event payload', async () => {
    const { functionId } = await deployFunction(functions, { runtime: 'node-20.0', files: NODE_ECHO, entrypoint: 'index.js' });
    await functions.update({ functionId, name: 'on user create', events: ['users.*.create'] });
    const user = await new Users(sdkClient(server, PROJECT, key)).create({ userId: ID.unique(), email: 'evented@example.com', password: 'correct horse' });

    const execution = await firstExecution(functions, functionId, 'event');
    assert.equal(execution.status, 'completed', execution.errors);
    assert.match(execution.logs, /echo POST \//);
    assert.match(execution.logs, new RegExp(`event users\\.${user.$id}\\.create for evented@example\\.com`));
    const executions = await functions.listExecutions({ functionId });
    assert.equal(executions.total, 1, 'one event, one execution');
  });

  test('creating a document or a row runs functions listening under either naming scheme, once each', async () => {
    const client = sdkClient(server, PROJECT, key);
    const databases = new Databases(client);
    const tables = new TablesDB(client);
    const legacy = await deployFunction(functions, { runtime: 'node-20.0', files: NODE_EVENT_REPORTER, entrypoint: 'index.js' });
    await functions.update({ functionId: legacy.functionId, name: 'on document create', events: ['databases.*.collections.*.documents.*.create'] });
    const tablesdb = await deployFunction(functions, { runtime: 'node-20.0', files: NODE_EVENT_REPORTER, entrypoint: 'index.js' });
    await functions.update({ functionId: tablesdb.functionId, name: 'on row create', events: ['tablesdb.*.tables.*.rows.*.create'] });

    await databases.create({ databaseId: 'shop', name: 'Shop' });
    await databases.createCollection({ databaseId: 'shop', collectionId: 'orders', name: 'Orders' });
    await databases.createStringAttribute({ databaseId: 'shop', collectionId: 'orders', key: 'item', size: 50, required: false });
    await waitForSchema(tables, 'shop', 'orders');

    const document = await databases.createDocument({ databaseId: 'shop', collectionId: 'orders', documentId: ID.unique(), data: { item: 'lamp' } });
    // An update is not a create: it must run neither function.
    await databases.updateDocument({ databaseId: 'shop', collectionId: 'orders', documentId: document.$id, data: { item: 'desk lamp' } });
    const row = await tables.createRow({ databaseId: 'shop', tableId: 'orders', rowId: ID.unique(), data: { item: 'chair' } });

    for (const functionId of [legacy.functionId, tablesdb.functionId]) {
      const executions = await executionsOf(functions, functionId, 2);
      assert.equal(executions.length, 2, 'one execution per create, none for the update');
      const reports = executions.map(reportOf);
      for (const execution of executions) {
        assert.equal(execution.trigger, 'event');
        assert.equal(execution.requestMethod, 'POST');
      }
      assert.deepEqual(reports.map((report) => report.body.$id).sort(), [document.$id, row.$id].sort());
      const fromDocument = reports.find((report) => report.body.$id === document.$id)!;
      assert.equal(fromDocument.event, `databases.shop.collections.orders.documents.${document.$id}.create`);
      assert.equal(fromDocument.trigger, 'event');
      assert.equal(fromDocument.contentType, 'application/json');
      assert.equal(fromDocument.body.item, 'lamp', 'the payload is the document as created');
      assert.equal(fromDocument.body.$databaseId, 'shop');
      const fromRow = reports.find((report) => report.body.$id === row.$id)!;
      assert.match(fromRow.event, new RegExp(`^(databases\\.shop\\.(collections|tables)\\.orders\\.(documents|rows)|tablesdb\\.shop\\.tables\\.orders\\.rows)\\.${row.$id}\\.create$`));
      assert.equal(fromRow.body.item, 'chair');
    }
  });

  test('a cron schedule runs the function on time', async () => {
    const { functionId } = await deployFunction(functions, { runtime: 'node-20.0', files: NODE_ECHO, entrypoint: 'index.js' });
    // Every second (croner's six-field form), so the test need not wait a minute.
    await functions.update({ functionId, name: 'scheduled', schedule: '* * * * * *' });
    const execution = await firstExecution(functions, functionId, 'schedule');
    assert.equal(execution.status, 'completed', execution.errors);
    // Turning the schedule off stops the ticks.
    await functions.update({ functionId, name: 'scheduled', schedule: '' });
  });

  test('an async execution can be scheduled for later', async () => {
    const { functionId } = await deployFunction(functions, { runtime: 'node-20.0', files: NODE_ECHO, entrypoint: 'index.js' });
    const at = new Date(Date.now() + 1500).toISOString();
    const scheduled = await functions.createExecution({ functionId, async: true, scheduledAt: at });
    assert.equal(scheduled.status, 'scheduled');
    assert.equal(scheduled.scheduledAt, at.replace('Z', '+00:00'));
    const done = await waitForExecution(functions, functionId, scheduled.$id);
    assert.equal(done.status, 'completed', done.errors);
  });
});
