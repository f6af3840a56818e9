// @engine-independent: the pages drive the same API on either engine; the API tests cover both.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Permission, Role, TablesDB } from 'node-appwrite';
import { checkConsolePage, FAILED_REQUEST, openConsoleProject, type ConsoleFixture } from '../support/console-ui.js';
import { sdkClient } from '../support/sdk.js';

const PROJECT = 'live';
const TABLE = { databaseId: 'shop', tableId: 'products' };
/** Rows nobody but keys and the project's administrators may read. */
const PRIVATE = { databaseId: 'shop', tableId: 'orders' };

describe('the console’s realtime inspector', () => {
  let fixture: ConsoleFixture;
  let tablesDb: TablesDB;

  before(async () => {
    fixture = await openConsoleProject({ projectId: PROJECT, projectName: 'Live' });
    tablesDb = new TablesDB(sdkClient(fixture.server, PROJECT, fixture.key));
    await tablesDb.create({ databaseId: TABLE.databaseId, name: 'Shop' });
    await tablesDb.createTable({ ...TABLE, name: 'Products', permissions: [Permission.read(Role.any())] });
    await tablesDb.createVarcharColumn({ ...TABLE, key: 'name', size: 64, required: false });
    await tablesDb.createTable({ ...PRIVATE, name: 'Orders', rowSecurity: true, permissions: [] });
    await tablesDb.createVarcharColumn({ ...PRIVATE, key: 'name', size: 64, required: false });
    for (const table of [TABLE, PRIVATE]) {
      while ((await tablesDb.getColumn({ ...table, key: 'name' })).status !== 'available') await new Promise((resolve) => setImmediate(resolve));
    }
  });
  after(() => fixture?.stop());

  test('a row created from node-appwrite shows up live; pause holds events back, clear empties the list', async () => {
    const { page } = fixture;
    await page.getByRole('navigation', { name: 'Project' }).getByRole('link', { name: 'Realtime' }).click();
    await page.getByRole('heading', { level: 2, name: 'Realtime' }).waitFor();
    assert.equal(new URL(page.url()).pathname, `/console/project/${PROJECT}/realtime`);

    // Nothing chosen: said so.
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await page.getByRole('alert').filter({ hasText: 'Choose or type at least one channel.' }).waitFor();

    // The server's `connected` frame says the socket listens before the row is made.
    const connected = page.waitForEvent('websocket').then((socket) => socket.waitForEvent('framereceived', { predicate: (frame) => String(frame.payload).includes('"connected"') }));
    await page.getByLabel('Rows of every table').check();
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await page.getByRole('status').filter({ hasText: 'Listening to rows' }).waitFor();
    await connected;

    await tablesDb.createRow({ ...TABLE, rowId: 'lamp', data: { name: 'Lamp' } });
    const events = page.getByRole('list', { name: 'Events' }).locator(':scope > li');
    await events.filter({ hasText: 'databases.shop.tables.products.rows.lamp.create' }).waitFor();
    await events.first().getByText(/^Payload/).click();
    assert.match((await events.first().locator('pre').textContent()) ?? '', /"name": "Lamp"/);
    await checkConsolePage(page, 'realtime');

    // Paused: an update is counted, not listed.
    await page.getByRole('button', { name: 'Pause' }).click();
    await tablesDb.updateRow({ ...TABLE, rowId: 'lamp', data: { name: 'Big lamp' } });
    await page.getByRole('status').filter({ hasText: 'Paused; 1 missed.' }).waitFor();
    assert.equal(await events.count(), 1);
    await page.getByRole('button', { name: 'Pause' }).click();
    await tablesDb.deleteRow({ ...TABLE, rowId: 'lamp' });
    await events.filter({ hasText: 'rows.lamp.delete' }).waitFor();
    assert.equal(await events.count(), 2);

    // The inspector listens as the project's administrator: a row no user may read shows up too.
    await tablesDb.createRow({ ...PRIVATE, rowId: 'secret', data: { name: 'Safe' }, permissions: [] });
    await events.filter({ hasText: 'databases.shop.tables.orders.rows.secret.create' }).waitFor();

    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByText('No event yet.').waitFor();
    // The 401 of asking for a session before the first administrator existed is the only failure.
    assert.deepEqual(fixture.problems.filter((problem) => !FAILED_REQUEST.test(problem)), []);
  });
});
