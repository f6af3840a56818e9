// @engine-independent: the pages drive the same API on either engine; the API tests cover both.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Query, TablesDB } from 'node-appwrite';
import type { Page } from 'playwright-core';
import { checkConsolePage, FAILED_REQUEST, openConsoleProject, type ConsoleFixture } from '../support/console-ui.js';
import { sdkClient } from '../support/sdk.js';

const PROJECT = 'data';
const TABLE = { databaseId: 'shop', tableId: 'products' };

describe('the console’s rows grid: filters, inline editing, bulk delete, pages past the count', () => {
  let fixture: ConsoleFixture;
  let page: Page;
  let tablesDb: TablesDB;

  const rowOf = (rowId: string) => page.getByRole('row').filter({ has: page.getByRole('cell', { name: rowId, exact: true }) });
  const shownIds = () => page.locator('tbody tr td:nth-child(2)').allTextContents();
  const pager = () => page.getByRole('navigation', { name: 'Pages of rows' });
  const chips = () => page.getByRole('list', { name: 'Filters' }).locator('code').allTextContents();

  before(async () => {
    fixture = await openConsoleProject({ projectId: PROJECT, projectName: 'Data' });
    page = fixture.page;
    tablesDb = new TablesDB(sdkClient(fixture.server, PROJECT, fixture.key));
    await tablesDb.create({ databaseId: TABLE.databaseId, name: 'Shop' });
    await tablesDb.createTable({ ...TABLE, name: 'Products' });
    await tablesDb.createVarcharColumn({ ...TABLE, key: 'name', size: 64, required: true });
    await tablesDb.createIntegerColumn({ ...TABLE, key: 'price', required: false, min: 0 });
    await tablesDb.createBooleanColumn({ ...TABLE, key: 'inStock', required: false });
    await tablesDb.createEnumColumn({ ...TABLE, key: 'color', elements: ['red', 'green', 'blue'], required: false });
    await tablesDb.createVarcharColumn({ ...TABLE, key: 'tags', size: 16, required: false, array: true });
    for (;;) {
      const { columns } = await tablesDb.listColumns(TABLE);
      if (columns.every((column) => (column as { status: string }).status === 'available')) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    const rows: [string, string, number, boolean, string, string[]][] = [
      ['lamp', 'Lamp', 25, true, 'red', ['desk']],
      ['ladder', 'Ladder', 80, false, 'blue', []],
      ['chair', 'Chair', 40, true, 'green', ['desk', 'seat']],
      ['mug', 'Mug', 8, true, 'red', []],
      ['rug', 'Rug', 120, false, 'green', []],
    ];
    for (const [rowId, name, price, inStock, color, tags] of rows) {
      await tablesDb.createRow({ ...TABLE, rowId, data: { name, price, inStock, color, tags } });
    }
  });
  after(() => fixture?.stop());

  test('filters: built per column type, ANDed, shown as chips, kept in the URL across a reload', async () => {
    await page.goto(`${fixture.server.url}/console/project/${PROJECT}/databases/shop/table/products`);
    await pager().getByText('1–5 of 5').waitFor();

    // A number column offers ranges; a text one prefix matches; enum and boolean choose among their values.
    await page.getByLabel('Filter column').selectOption('price');
    assert.deepEqual(await page.getByLabel('Operator').locator('option').allTextContents(), ['=', '≠', '>', '≥', '<', '≤', 'is null', 'is not null']);
    await page.getByLabel('Operator').selectOption('greaterThanEqual');
    await page.getByLabel('Value').fill('25');
    await page.getByRole('button', { name: 'Add filter' }).click();
    await pager().getByText('1–4 of 4').waitFor();
    assert.deepEqual((await shownIds()).sort(), ['chair', 'ladder', 'lamp', 'rug']);

    await page.getByLabel('Filter column').selectOption('name');
    assert.deepEqual(await page.getByLabel('Operator').locator('option').allTextContents(), ['=', '≠', 'contains', 'starts with', 'ends with', 'is null', 'is not null']);
    await page.getByLabel('Operator').selectOption('startsWith');
    // No value: refused before anything is sent.
    await page.getByRole('button', { name: 'Add filter' }).click();
    await page.getByRole('alert').filter({ hasText: 'name: a value is needed' }).waitFor();
    await page.getByLabel('Value').fill('La');
    await page.getByRole('button', { name: 'Add filter' }).click();
    await pager().getByText('1–2 of 2').waitFor();
    assert.deepEqual((await shownIds()).sort(), ['ladder', 'lamp']);

    await page.getByLabel('Filter column').selectOption('inStock');
    assert.deepEqual(await page.getByLabel('Value').locator('option').allTextContents(), ['true', 'false']);
    await page.getByLabel('Value').selectOption('true');
    await page.getByRole('button', { name: 'Add filter' }).click();
    await pager().getByText('1–1 of 1').waitFor();
    assert.deepEqual(await shownIds(), ['lamp']);
    assert.deepEqual(await chips(), ['price ≥ 25', 'name starts with "La"', 'inStock = true']);
    await checkConsolePage(page, 'rows-filtered');

    // The URL holds the SDK's query strings: a reload shows the same rows and chips.
    const url = new URL(page.url());
    assert.deepEqual(url.searchParams.getAll('filter'), [Query.greaterThanEqual('price', 25), Query.startsWith('name', 'La'), Query.equal('inStock', true)]);
    await page.reload();
    await pager().getByText('1–1 of 1').waitFor();
    assert.deepEqual(await chips(), ['price ≥ 25', 'name starts with "La"', 'inStock = true']);

    await page.getByRole('button', { name: 'Remove filter inStock = true' }).click();
    await pager().getByText('1–2 of 2').waitFor();
    assert.equal(new URL(page.url()).searchParams.getAll('filter').length, 2);

    // An array column is matched by one of its elements; an enum by its values.
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await pager().getByText('1–5 of 5').waitFor();
    await page.getByLabel('Filter column').selectOption('tags');
    await page.getByLabel('Value').fill('desk');
    await page.getByRole('button', { name: 'Add filter' }).click();
    await pager().getByText('1–2 of 2').waitFor();
    assert.deepEqual((await shownIds()).sort(), ['chair', 'lamp']);
    await page.getByLabel('Filter column').selectOption('color');
    await page.getByLabel('Value').selectOption('green');
    await page.getByRole('button', { name: 'Add filter' }).click();
    await pager().getByText('1–1 of 1').waitFor();
    assert.deepEqual(await shownIds(), ['chair']);

    // Nothing matches: said so.
    await page.getByLabel('Filter column').selectOption('$id');
    await page.getByLabel('Value').fill('nothing');
    await page.getByRole('button', { name: 'Add filter' }).click();
    await page.getByText('No row matches the filters.').waitFor();
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await pager().getByText('1–5 of 5').waitFor();
    assert.equal(new URL(page.url()).search, '');
  });

  test('inline editing: type-aware inputs saved with updateRow, a refusal shown in the cell', async () => {
    await rowOf('lamp').getByRole('button', { name: '25', exact: true }).click();
    const price = page.getByLabel('price of row lamp');
    assert.equal(await price.getAttribute('type'), 'number');
    await price.fill('30');
    await price.press('Enter');
    await rowOf('lamp').getByRole('button', { name: '30', exact: true }).waitFor();
    assert.equal((await tablesDb.getRow({ ...TABLE, rowId: 'lamp' })).price, 30);

    // Below the column's minimum: the server's message, the input still open; Escape gives up.
    await rowOf('lamp').getByRole('button', { name: '30', exact: true }).click();
    await price.fill('-5');
    await price.press('Enter');
    await rowOf('lamp').getByRole('alert').filter({ hasText: /Invalid document structure/ }).waitFor();
    assert.equal(await price.isVisible(), true);
    await price.press('Escape');
    await rowOf('lamp').getByRole('button', { name: '30', exact: true }).waitFor();
    assert.equal((await tablesDb.getRow({ ...TABLE, rowId: 'lamp' })).price, 30);

    // A boolean through a select, saved on leaving it; a text through a text input.
    await rowOf('mug').getByRole('button', { name: 'true', exact: true }).click();
    await page.getByLabel('inStock of row mug').selectOption('false');
    await page.getByLabel('inStock of row mug').press('Enter');
    await rowOf('mug').getByRole('button', { name: 'false', exact: true }).waitFor();
    await rowOf('mug').getByRole('button', { name: 'Mug', exact: true }).click();
    await page.getByLabel('name of row mug').fill('Big mug');
    await page.getByLabel('name of row mug').blur();
    await rowOf('mug').getByRole('button', { name: 'Big mug', exact: true }).waitFor();
    const mug = await tablesDb.getRow({ ...TABLE, rowId: 'mug' });
    assert.deepEqual([mug.name, mug.inStock, mug.price], ['Big mug', false, 8]);
    await checkConsolePage(page, 'rows-inline-edit');
  });

  test('bulk delete: the ticked rows, after a typed confirmation, with one deleteRows', async () => {
    await rowOf('ladder').getByRole('checkbox', { name: 'Select row ladder' }).check();
    await rowOf('rug').getByRole('checkbox', { name: 'Select row rug' }).check();
    await page.getByText('2 selected').waitFor();
    await page.getByRole('button', { name: 'Delete selected rows' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Type 2 rows to confirm').fill('2 rows');
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await pager().getByText('1–3 of 3').waitFor();
    const left = await tablesDb.listRows({ ...TABLE, queries: [Query.orderAsc('$id')] });
    assert.deepEqual(left.rows.map((row) => row.$id), ['chair', 'lamp', 'mug']);

    // Every row of the page at once.
    await page.getByRole('checkbox', { name: 'Select every row on this page' }).check();
    await page.getByText('3 selected').waitFor();
    await page.getByRole('button', { name: 'Delete selected rows' }).click();
    await dialog.getByLabel('Type 3 rows to confirm').fill('3 rows');
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByText('No row yet.').waitFor();
    assert.equal((await tablesDb.listRows(TABLE)).total, 0);

    assert.deepEqual(fixture.problems.filter((problem) => !FAILED_REQUEST.test(problem)), []);
  });

  test('a table past the server\'s count of 5000: the total shown as at least that, and Next still pages on', async () => {
    const many = { databaseId: TABLE.databaseId, tableId: 'many' };
    await tablesDb.createTable({ ...many, name: 'Many' });
    await tablesDb.createVarcharColumn({ ...many, key: 'name', size: 16, required: false });
    while ((await tablesDb.getColumn({ ...many, key: 'name' })).status !== 'available') await new Promise((resolve) => setImmediate(resolve));
    for (let start = 0; start < 5010; start += 100) {
      const rows = Array.from({ length: Math.min(100, 5010 - start) }, (_, k) => ({ $id: `r${String(start + k).padStart(4, '0')}`, name: `row ${start + k}` }));
      await tablesDb.createRows({ ...many, rows });
    }
    await page.goto(`${fixture.server.url}/console/project/${PROJECT}/databases/shop/table/many`);
    await pager().getByText('1–25 of 5000+').waitFor();
    const first = await shownIds();
    await pager().getByRole('button', { name: 'Next' }).click();
    await pager().getByText('26–50 of 5000+').waitFor();
    const second = await shownIds();
    assert.equal(second.length, 25);
    assert.deepEqual(second.filter((id) => first.includes(id)), [], 'the second page holds other rows');
    assert.deepEqual(fixture.problems.filter((problem) => !FAILED_REQUEST.test(problem)), []);
  });
});
