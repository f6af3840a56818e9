// @engine-independent: the pages drive the same API on either engine; the API tests cover both.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { Client, ID, Query, Storage, TablesDB } from 'node-appwrite';
import { InputFile } from 'node-appwrite/file';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { checkConsolePage, openConsoleProject, type ConsoleFixture } from '../support/console-ui.js';

const PROJECT = 'data';

describe('the console’s databases and storage pages in Chromium', () => {
  let fixture: ConsoleFixture;
  let page: Page;
  /** The project seen from outside the console, to check what the pages did. */
  let tablesDb: TablesDB;
  let storage: Storage;
  let problems: string[] = [];

  before(async () => {
    fixture = await openConsoleProject({ projectId: PROJECT, projectName: 'Data', organization: 'Data team', context: { acceptDownloads: true } });
    ({ page, problems } = fixture);
    const client = new Client().setEndpoint(fixture.server.endpoint).setProject(PROJECT).setKey(fixture.key);
    tablesDb = new TablesDB(client);
    storage = new Storage(client);
  });
  after(() => fixture?.stop());

  const heading = (level: number, name: string) => page.getByRole('heading', { level, name, exact: true });
  const dialog = () => page.getByRole('dialog');

  /** A screenshot, and axe-core finding no serious or critical violation on the page as it stands. */
  const shot = (name: string) => checkConsolePage(page, name);

  /** The typed-name confirmation every delete goes through. */
  const confirmDelete = async (name: string) => {
    await dialog().getByRole('textbox').fill(name);
    await dialog().getByRole('button', { name: 'Delete', exact: true }).click();
    await dialog().waitFor({ state: 'hidden' });
    assert.equal(await page.getByRole('alert').count(), 0, 'no error after deleting');
  };

  test('a database and a table with columns of several types, a relationship and an index', async () => {
    await page.getByRole('link', { name: 'Databases' }).click();
    await page.getByText('No database yet.').waitFor();
    await page.getByLabel('Name').fill('Shop');
    await page.getByLabel('Database ID (optional)').fill('shop');
    await page.getByRole('button', { name: 'Create database' }).click();
    await page.getByRole('link', { name: 'Shop' }).click();
    await heading(2, 'Database Shop').waitFor();
    assert.equal(new URL(page.url()).pathname, `/console/project/${PROJECT}/databases/shop`);
    await shot('databases');

    await page.getByLabel('Name', { exact: true }).fill('Categories');
    await page.getByLabel('Table ID (optional)').fill('categories');
    await page.getByRole('button', { name: 'Create table' }).click();
    await heading(2, 'Table Categories').waitFor();
    await page.getByRole('link', { name: '← Tables' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Products');
    await page.getByLabel('Table ID (optional)').fill('products');
    await page.getByRole('button', { name: 'Create table' }).click();
    await heading(2, 'Table Products').waitFor();
    assert.equal(new URL(page.url()).pathname, `/console/project/${PROJECT}/databases/shop/table/products/columns`);
    await page.getByText('No column yet.').waitFor();

    const addColumn = async (type: string, key: string, fill: () => Promise<unknown> = async () => {}) => {
      await page.getByLabel('Type', { exact: true }).selectOption(type);
      await page.getByLabel('Key', { exact: true }).fill(key);
      await fill();
      await page.getByRole('button', { name: 'Create column' }).click();
      await page.getByRole('row', { name: new RegExp(`^${key} `) }).waitFor();
    };
    await addColumn('varchar', 'name', async () => {
      await page.getByLabel('Size').fill('64');
      await page.getByLabel('Required').check();
    });
    await addColumn('integer', 'price', () => page.getByLabel('Minimum (optional)').fill('0'));
    await addColumn('boolean', 'inStock', () => page.getByLabel('Default').selectOption('true'));
    await addColumn('enum', 'color', () => page.getByLabel('Elements (comma-separated)').fill('red, green, blue'));
    await addColumn('float', 'weight');
    await addColumn('datetime', 'releasedAt');
    await addColumn('email', 'contact');
    await addColumn('varchar', 'tags', async () => {
      await page.getByLabel('Size').fill('32');
      await page.getByLabel('Array').check();
    });
    await page.getByLabel('Type', { exact: true }).selectOption('relationship');
    await page.getByLabel('Related table').selectOption('categories');
    await page.getByLabel('Relation').selectOption('manyToOne');
    await page.getByLabel('Key (optional)').fill('category');
    await page.getByRole('button', { name: 'Create column' }).click();

    // Statuses update on the page until every column is ready.
    await page.waitForFunction(() => {
      const cells = [...(globalThis as any).document.querySelectorAll('[data-testid="column-status"]')] as { textContent: string }[];
      return cells.length === 9 && cells.every((cell) => cell.textContent.startsWith('available'));
    });
    assert.match((await page.getByRole('row', { name: /^color / }).textContent()) ?? '', /enum \(red, green, blue\)/);
    assert.match((await page.getByRole('row', { name: /^tags / }).textContent()) ?? '', /varchar\(32\)\[\]/);
    assert.match((await page.getByRole('row', { name: /^category / }).textContent()) ?? '', /relationship \(manyToOne → categories\)/);
    await shot('table-columns');

    const columns = (await tablesDb.listColumns({ databaseId: 'shop', tableId: 'products' })).columns as unknown as { key: string; type: string; required: boolean; default?: unknown }[];
    assert.deepEqual(
      columns.map((column) => [column.key, column.type]),
      [
        ['name', 'varchar'],
        ['price', 'integer'],
        ['inStock', 'boolean'],
        ['color', 'string'],
        ['weight', 'double'],
        ['releasedAt', 'datetime'],
        ['contact', 'string'],
        ['tags', 'varchar'],
        ['category', 'relationship'],
      ],
    );
    assert.equal(columns.find((column) => column.key === 'inStock')?.default, true);

    // A column the server refuses: its message is shown.
    await page.getByLabel('Type', { exact: true }).selectOption('integer');
    await page.getByLabel('Key', { exact: true }).fill('price');
    await page.getByRole('button', { name: 'Create column' }).click();
    await page.getByRole('alert').filter({ hasText: /already exists/i }).waitFor();
    await page.getByRole('alert').getByRole('button', { name: 'Dismiss' }).click();

    await page.getByRole('link', { name: 'Indexes' }).click();
    await page.getByText('No index yet.').waitFor();
    await page.getByLabel('Key', { exact: true }).fill('by_price');
    await page.getByLabel('Column 1').selectOption('price');
    await page.getByLabel('Order 1').selectOption('desc');
    await page.getByRole('button', { name: 'Add a column' }).click();
    await page.getByLabel('Column 2').selectOption('name');
    await page.getByRole('button', { name: 'Create index' }).click();
    const indexRow = page.getByRole('row', { name: /^by_price / });
    await indexRow.getByRole('cell', { name: 'available', exact: true }).waitFor();
    assert.deepEqual((await indexRow.getByRole('cell').allTextContents()).slice(0, 3), ['by_price', 'key', 'price DESC, name ASC']);
    await shot('table-indexes');
    const index = await tablesDb.getIndex({ databaseId: 'shop', tableId: 'products', key: 'by_price' });
    assert.deepEqual([index.columns, index.orders], [['price', 'name'], ['DESC', 'ASC']]);
  });

  test('table settings: permissions and row security', async () => {
    await page.getByRole('navigation', { name: 'Table' }).getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('Row security').check();
    await page.getByLabel('Role', { exact: true }).fill('users');
    await page.getByRole('button', { name: 'Add role' }).click();
    await page.getByLabel('create for users').check();
    await page.getByLabel('Role', { exact: true }).fill('any');
    await page.getByLabel('Role', { exact: true }).press('Enter');
    await page.getByLabel('read for any').waitFor();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').filter({ hasText: 'Table settings saved' }).waitFor();
    await shot('table-settings');

    const table = await tablesDb.getTable({ databaseId: 'shop', tableId: 'products' });
    assert.equal(table.rowSecurity, true);
    assert.deepEqual([...table.$permissions].sort(), ['create("users")', 'read("any")', 'read("users")']);

    // Reloaded, the page shows what was saved.
    await page.reload();
    assert.equal(await page.getByLabel('Row security').isChecked(), true);
    assert.equal(await page.getByLabel('create for users').isChecked(), true);
    assert.equal(await page.getByLabel('update for users').isChecked(), false);
  });

  test('rows: create through the form and as JSON, an invalid structure refused, edit, sort, page, delete', async () => {
    await page.getByRole('link', { name: 'Rows' }).click();
    await page.getByText('No row yet.').waitFor();

    await page.getByRole('button', { name: 'New row' }).click();
    await heading(2, 'New row').waitFor();
    await page.getByLabel('Row ID (optional)').fill('lamp');
    await page.getByLabel('name (required)').fill('Lamp');
    await page.getByLabel('price').fill('25');
    await page.getByLabel('color').selectOption('red');
    await page.getByLabel('weight').fill('1.5');
    await page.getByLabel('releasedAt').fill('2026-03-04T05:06:07.000');
    await page.getByLabel('tags (JSON)').fill('["desk", "light"]');
    await shot('row-form');
    await page.getByRole('button', { name: 'Create row' }).click();
    await page.getByRole('cell', { name: 'lamp', exact: true }).waitFor();

    const lamp = await tablesDb.getRow({ databaseId: 'shop', tableId: 'products', rowId: 'lamp' });
    assert.equal(lamp.name, 'Lamp');
    assert.equal(lamp.price, 25);
    assert.equal(lamp.inStock, true, 'a field left empty takes its default');
    assert.equal(lamp.color, 'red');
    assert.equal(lamp.weight, 1.5);
    assert.equal(new Date(lamp.releasedAt).getTime(), new Date(2026, 2, 4, 5, 6, 7).getTime());
    assert.deepEqual(lamp.tags, ['desk', 'light']);
    assert.equal(lamp.contact, null);

    // As JSON; then a key the table lacks, refused with the API's message in the dialog.
    await page.getByRole('button', { name: 'New row' }).click();
    await page.getByRole('button', { name: 'JSON' }).click();
    await page.getByLabel('Row data (JSON)').fill('{"name": "Chair", "size": 3}');
    await page.getByRole('button', { name: 'Create row' }).click();
    const problem = dialog().getByRole('alert');
    await problem.waitFor();
    assert.equal(await problem.textContent(), 'Invalid document structure: Unknown attribute: "size"');
    await page.getByLabel('Row data (JSON)').fill('{"name": "Chair", "price": 40, "inStock": false}');
    await page.getByRole('button', { name: 'Form' }).click();
    assert.equal(await page.getByLabel('price').inputValue(), '40', 'the JSON carried over to the form');
    assert.equal(await page.getByLabel('inStock').inputValue(), 'false');
    await page.getByRole('button', { name: 'Create row' }).click();
    await dialog().waitFor({ state: 'hidden' });
    await page.getByRole('cell', { name: 'Chair', exact: true }).waitFor();

    // Missing a required value: refused too.
    await page.getByRole('button', { name: 'New row' }).click();
    await page.getByLabel('price').fill('5');
    await page.getByRole('button', { name: 'Create row' }).click();
    await dialog().getByRole('alert').filter({ hasText: 'Missing required attribute "name"' }).waitFor();
    await dialog().getByRole('button', { name: 'Cancel' }).click();

    await page.getByRole('button', { name: 'Edit row lamp' }).click();
    await heading(2, 'Edit row lamp').waitFor();
    assert.equal(await page.getByLabel('name (required)').inputValue(), 'Lamp');
    await page.getByLabel('price').fill('30');
    await page.getByLabel('color').selectOption('green');
    await page.getByRole('button', { name: 'Save row' }).click();
    await dialog().waitFor({ state: 'hidden' });
    await page.getByRole('row', { name: /^Select row lamp lamp Lamp 30 true green/ }).waitFor();
    await shot('table-rows');

    // Thirty more rows from outside: two pages of 25; sorting by price is done by the server.
    for (let at = 0; at < 30; at++) {
      await tablesDb.createRow({ databaseId: 'shop', tableId: 'products', rowId: `item-${at}`, data: { name: `Item ${at}`, price: 100 + at } });
    }
    await page.reload();
    const pager = page.getByRole('navigation', { name: 'Pages of rows' });
    await pager.getByText('1–25 of 32').waitFor();
    await pager.getByRole('button', { name: 'Next' }).click();
    await pager.getByText('26–32 of 32').waitFor();
    assert.equal(await page.locator('tbody tr').count(), 7);
    await pager.getByRole('button', { name: 'Previous' }).click();
    await pager.getByText('1–25 of 32').waitFor();

    await page.getByRole('button', { name: 'price' }).click();
    await page.locator('th[aria-sort="ascending"]', { hasText: 'price' }).waitFor();
    // The header turns before the sorted page arrives; the first row says when it has.
    const firstName = (name: string) => page.locator('tbody tr').first().getByRole('cell', { name, exact: true }).waitFor();
    await firstName('Lamp');
    const names = async () => (await page.locator('tbody tr td:nth-child(3)').allTextContents()).map((name) => name.trim());
    assert.deepEqual((await names()).slice(0, 3), ['Lamp', 'Chair', 'Item 0']);
    await page.getByRole('button', { name: 'price' }).click();
    await page.locator('th[aria-sort="descending"]', { hasText: 'price' }).waitFor();
    await firstName('Item 29');
    assert.deepEqual((await names()).slice(0, 2), ['Item 29', 'Item 28']);

    await page.getByRole('row', { name: /^Select row item-29 / }).getByRole('button', { name: 'Delete row' }).click();
    await confirmDelete('item-29');
    await pager.getByText('1–25 of 31').waitFor();
    await assert.rejects(tablesDb.getRow({ databaseId: 'shop', tableId: 'products', rowId: 'item-29' }), (error: { code?: number }) => error.code === 404);
  });

  test('a table and a database are deleted', async () => {
    await page.getByRole('navigation', { name: 'Table' }).getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('button', { name: 'Delete table' }).click();
    await confirmDelete('Products');
    await heading(2, 'Database Shop').waitFor();
    await page.getByRole('row', { name: /Categories/ }).waitFor();
    assert.equal(await page.getByRole('row', { name: /Products/ }).count(), 0);
    await page.getByRole('button', { name: 'Delete database' }).last().click();
    await confirmDelete('Shop');
    await page.getByText('No database yet.').waitFor();
    assert.equal((await tablesDb.list()).total, 0);
  });

  test('a bucket with its settings', async () => {
    await page.getByRole('link', { name: 'Storage' }).click();
    await page.getByText('No bucket yet.').waitFor();
    await page.getByLabel('Name').fill('Media');
    await page.getByLabel('Bucket ID (optional)').fill('media');
    await page.getByRole('button', { name: 'Create bucket' }).click();
    await heading(2, 'Bucket Media').waitFor();
    assert.equal(new URL(page.url()).pathname, `/console/project/${PROJECT}/storage/media/settings`);

    await page.getByLabel('File security').check();
    await page.getByLabel('Role', { exact: true }).fill('users');
    await page.getByRole('button', { name: 'Add role' }).click();
    await page.getByLabel('create for users').check();
    await page.getByLabel('Largest file (MB)').fill('20');
    await page.getByLabel(/Allowed extensions/).fill('png, .bin, txt');
    await page.getByLabel('Compression').selectOption('gzip');
    await page.getByLabel('Antivirus scan').uncheck();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').filter({ hasText: 'Bucket settings saved' }).waitFor();
    await shot('bucket-settings');

    const bucket = await storage.getBucket({ bucketId: 'media' });
    assert.equal(bucket.fileSecurity, true);
    assert.deepEqual([...bucket.$permissions].sort(), ['create("users")', 'read("users")']);
    assert.equal(bucket.maximumFileSize, 20 * 1024 * 1024);
    assert.deepEqual(bucket.allowedFileExtensions, ['png', 'bin', 'txt']);
    assert.equal(bucket.compression, 'gzip');
    assert.equal(bucket.encryption, true);
    assert.equal(bucket.antivirus, false);
  });

  test('files: a 12 MB upload with progress, an image previewed, a download, a refused extension, search, pages, delete', async () => {
    await page.getByRole('link', { name: 'Files' }).click();
    await page.getByText('No file yet.').waitFor();

    // Every percentage the page shows while the upload runs, as it shows it.
    await page.evaluate(() => {
      const doc = (globalThis as any).document;
      const seen: string[] = [];
      (globalThis as any).percentagesSeen = seen;
      new (globalThis as any).MutationObserver(() => {
        const text = doc.querySelector('[data-testid="upload-percent"]')?.textContent;
        if (text && seen.at(-1) !== text) seen.push(text);
      }).observe(doc.body, { subtree: true, childList: true, characterData: true });
    });
    const big = randomBytes(12 * 1024 * 1024);
    await page.getByLabel('Upload files').setInputFiles({ name: 'big.bin', mimeType: 'application/octet-stream', buffer: big });
    await page.getByRole('cell', { name: 'big.bin', exact: true }).waitFor();
    assert.deepEqual(await page.evaluate(() => (globalThis as any).percentagesSeen), ['0%', '42%', '83%', '100%']);
    const [stored] = (await storage.listFiles({ bucketId: 'media', search: 'big' })).files;
    assert.equal(stored?.sizeOriginal, big.length);

    const image = await sharp({ create: { width: 1600, height: 1200, channels: 3, background: '#2050d0' } }).png().toBuffer();
    await page.getByLabel('Upload files').setInputFiles({ name: 'blue.png', mimeType: 'image/png', buffer: image });
    await page.getByRole('cell', { name: 'blue.png', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Preview blue.png' }).click();
    const preview = dialog().getByRole('img', { name: 'Preview of blue.png' });
    await preview.waitFor();
    await page.waitForFunction(() => ((globalThis as any).document.querySelector('dialog img')?.naturalWidth ?? 0) > 0);
    // The preview is scaled down to 800 pixels wide by the server.
    assert.deepEqual(await preview.evaluate((img: any) => [img.naturalWidth, img.naturalHeight]), [800, 600]);
    await shot('file-preview');
    await dialog().getByRole('button', { name: 'Close' }).click();
    await dialog().waitFor({ state: 'hidden' });

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download blue.png' }).click()]);
    assert.equal(download.suggestedFilename(), 'blue.png');
    assert.deepEqual(await readFile((await download.path())!), image);

    await page.getByLabel('Upload files').setInputFiles({ name: 'tool.exe', mimeType: 'application/octet-stream', buffer: Buffer.from('MZ') });
    await page.getByRole('alert').filter({ hasText: 'Files with this extension are not accepted.' }).waitFor();
    await page.getByRole('alert').getByRole('button', { name: 'Dismiss' }).click();

    for (let at = 0; at < 25; at++) {
      await storage.createFile({ bucketId: 'media', fileId: ID.unique(), file: InputFile.fromBuffer(Buffer.from(`note ${at}`), `note-${at}.txt`) });
    }
    await page.reload();
    const pager = page.getByRole('navigation', { name: 'Pages of files' });
    await pager.getByText('1–25 of 27').waitFor();
    await pager.getByRole('button', { name: 'Next' }).click();
    await pager.getByText('26–27 of 27').waitFor();
    await page.getByRole('cell', { name: 'big.bin', exact: true }).waitFor();
    await shot('bucket-files');

    await page.getByLabel('Search files').fill('blue');
    await page.getByRole('button', { name: 'Search' }).click();
    await pager.getByText('1–1 of 1').waitFor();
    await page.getByRole('row', { name: /blue\.png/ }).getByRole('button', { name: 'Delete file' }).click();
    await confirmDelete('blue.png');
    await page.getByText('No file matches.').waitFor();
    assert.equal((await storage.listFiles({ bucketId: 'media', queries: [Query.equal('name', 'blue.png')] })).total, 0);
  });

  test('a bucket is deleted', async () => {
    await page.getByRole('navigation', { name: 'Bucket' }).getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('button', { name: 'Delete bucket' }).click();
    await confirmDelete('Media');
    await page.getByText('No bucket yet.').waitFor();
    assert.equal((await storage.listBuckets()).total, 0);
  });

  test('no page error, and no console error but those of the refused requests', () => {
    // Chromium logs each 4xx answer as a console error (401: the first visit, signed out); the pages log none.
    assert.deepEqual(
      problems.filter((problem) => !/Failed to load resource: the server responded with a status of (400|401|409)/.test(problem)),
      [],
    );
  });
});
