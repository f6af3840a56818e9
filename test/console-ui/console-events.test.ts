// @engine-independent: the pages drive the same API on either engine; the API tests cover both.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Functions, Webhooks } from 'node-appwrite';
import type { Page } from 'playwright-core';
import { checkConsolePage, FAILED_REQUEST, openConsoleProject, type ConsoleFixture } from '../support/console-ui.js';
import { sdkClient } from '../support/sdk.js';

const PROJECT = 'hooks';

describe('the console’s event pickers', () => {
  let fixture: ConsoleFixture;
  let page: Page;

  before(async () => {
    fixture = await openConsoleProject({ projectId: PROJECT, projectName: 'Hooks' });
    page = fixture.page;
  });
  after(() => fixture?.stop());

  const picker = () => page.getByRole('group', { name: 'Pick an event' });
  const preview = () => picker().locator('output').textContent();

  test('webhooks: events built from service, resources, IDs and action, beside free text', async () => {
    await page.goto(`${fixture.server.url}/console/project/${PROJECT}/webhooks`);
    await page.getByText('No webhook yet.').waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Rows');
    await page.getByLabel('URL').fill('https://example.com/hook');
    await page.getByLabel('Events, one per line').fill('teams.*');

    await picker().getByLabel('Service').selectOption('databases');
    assert.equal(await preview(), 'databases.*');
    await picker().getByLabel('Then (optional)').selectOption('tables');
    await picker().getByLabel('ID of tables').fill('products');
    await picker().getByLabel('Then (optional)').selectOption('rows');
    // Rows may be upserted; a table's own actions are the plain three.
    assert.deepEqual(await picker().getByLabel('Action').locator('option').allTextContents(), ['any', 'create', 'update', 'upsert', 'delete']);
    await picker().getByLabel('Action').selectOption('create');
    assert.equal(await preview(), 'databases.*.tables.products.rows.*.create');
    await picker().getByRole('button', { name: 'Add event' }).click();

    // A new service starts over; an update may name what it changed.
    await picker().getByLabel('Service').selectOption('users');
    assert.equal(await picker().getByLabel('Under databases').count(), 0);
    await picker().getByLabel('Action').selectOption('update.email');
    await picker().getByRole('button', { name: 'Add event' }).click();
    await picker().getByRole('button', { name: 'Add event' }).click();
    assert.equal(await page.getByLabel('Events, one per line').inputValue(), 'teams.*\ndatabases.*.tables.products.rows.*.create\nusers.*.update.email');
    await checkConsolePage(page, 'webhooks-event-picker');

    await page.getByRole('button', { name: 'Create webhook' }).click();
    await page.getByRole('button', { name: 'Done' }).click();
    const { webhooks } = await new Webhooks(sdkClient(fixture.server, PROJECT, fixture.key)).list();
    assert.deepEqual(webhooks[0]?.events, ['teams.*', 'databases.*.tables.products.rows.*.create', 'users.*.update.email']);
  });

  test('function settings: a picked event saved with the function', async () => {
    const functions = new Functions(sdkClient(fixture.server, PROJECT, fixture.key));
    const { runtimes } = await functions.listRuntimes();
    await functions.create({ functionId: 'resize', name: 'Resize', runtime: runtimes[0]!.$id as never });
    await page.goto(`${fixture.server.url}/console/project/${PROJECT}/functions/resize`);
    await picker().getByLabel('Service').selectOption('buckets');
    await picker().getByLabel('ID of buckets').fill('avatars');
    await picker().getByLabel('Then (optional)').selectOption('files');
    await picker().getByLabel('Action').selectOption('create');
    await picker().getByRole('button', { name: 'Add event' }).click();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').filter({ hasText: 'Function settings saved' }).waitFor();
    assert.deepEqual((await functions.get({ functionId: 'resize' })).events, ['buckets.avatars.files.*.create']);
    assert.deepEqual(fixture.problems.filter((problem) => !FAILED_REQUEST.test(problem)), []);
  });
});
