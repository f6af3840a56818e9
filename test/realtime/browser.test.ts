import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TablesDB } from 'node-appwrite';
import type { Browser, Page } from 'playwright-core';
import { waitForSchema } from '../databases/helpers.js';
import { callAccount, launchBrowser, openTestPage, PageServer, uniqueId, valueOf, type SdkTarget } from '../support/browser.js';
import { TestServer } from '../support/plinth.js';
import { sdkClient } from '../support/sdk.js';

const PROJECT = 'livebrowser';
const DB = 'main';

/** Records every frame the page's websockets receive, so a test can wait for the server's answers. */
async function watchSockets(page: Page): Promise<void> {
  await page.evaluate(() => {
    const g = globalThis as any;
    const Native = g.WebSocket;
    g.frames = [];
    g.WebSocket = class extends Native {
      constructor(...args: any[]) {
        super(...args);
        this.addEventListener('message', (event: any) => g.frames.push(JSON.parse(event.data)));
      }
    };
  });
}

async function waitForResponse(page: Page, to: string): Promise<void> {
  await page.waitForFunction((to) => (globalThis as any).frames.some((f: any) => f.type === 'response' && f.data.to === to), to);
}

/** Subscribes with the SDK's Realtime service; events land in `globalThis.received`. */
async function subscribe(page: Page, target: SdkTarget, channels: string[], queries: string[] = []): Promise<void> {
  await page.evaluate(
    async ({ endpoint, project, channels, queries }) => {
      const g = globalThis as any;
      g.received = [];
      const client = new g.appwrite.Client().setEndpoint(endpoint).setProject(project);
      g.subscription = await new g.appwrite.Realtime(client).subscribe(channels, (event: any) => g.received.push(event), queries);
    },
    { ...target, channels, queries },
  );
  await waitForResponse(page, 'subscribe');
}

async function waitForEvent(page: Page, id: string): Promise<any> {
  const handle = await page.waitForFunction((id) => (globalThis as any).received.find((e: any) => e.payload?.$id === id), id);
  return handle.jsonValue();
}

describe('the web SDK subscribes in a browser', () => {
  let server: TestServer;
  let pages: PageServer;
  let browser: Browser;
  let target: SdkTarget;
  let tables: TablesDB;

  before(async () => {
    browser = await launchBrowser();
    [server, pages] = await Promise.all([TestServer.start(), PageServer.start()]);
    await server.createProject(PROJECT);
    target = { endpoint: server.endpoint, project: PROJECT };
    tables = new TablesDB(sdkClient(server, PROJECT, await server.createKey(PROJECT)));
    await tables.create({ databaseId: DB, name: 'Main' });
    await tables.createTable({ databaseId: DB, tableId: 'notes', name: 'Notes', rowSecurity: true, permissions: [] });
    await tables.createStringColumn({ databaseId: DB, tableId: 'notes', key: 'text', size: 50, required: false });
    await waitForSchema(tables, DB, 'notes');
  });
  after(async () => {
    await browser?.close();
    await pages?.stop();
    await server?.stop();
  });

  async function signUp(page: Page, name: string): Promise<string> {
    const email = `${name}-${Date.now()}@example.com`;
    const user = valueOf(await callAccount(page, target, 'create', { userId: await uniqueId(page), email, password: 'correct horse', name }));
    valueOf(await callAccount(page, target, 'createEmailPasswordSession', { email, password: 'correct horse' }));
    return user.$id as string;
  }

  test('same-site: the session cookie signs the socket in; private rows, account events and queries arrive', async () => {
    const { context, page } = await openTestPage(browser, pages.url('127.0.0.1'));
    try {
      const userId = await signUp(page, 'grace');
      await watchSockets(page);
      await subscribe(page, target, ['account', 'rows'], ['{"method":"notEqual","attribute":"text","values":["skip"]}']);
      const connected = await page.evaluate(() => (globalThis as any).frames.find((f: any) => f.type === 'connected'));
      assert.equal(connected.data.user.$id, userId, 'the cookie travelled with the upgrade');

      await tables.createRow({ databaseId: DB, tableId: 'notes', rowId: 'someoneElse', data: { text: 'no' }, permissions: ['read("user:nobody")'] });
      await tables.createRow({ databaseId: DB, tableId: 'notes', rowId: 'skipped', data: { text: 'skip' }, permissions: [`read("user:${userId}")`] });
      await tables.createRow({ databaseId: DB, tableId: 'notes', rowId: 'mine', data: { text: 'yes' }, permissions: [`read("user:${userId}")`] });
      const event = await waitForEvent(page, 'mine');
      assert.ok(event.events.includes('tablesdb.main.tables.notes.rows.mine.create'));
      assert.ok(event.channels.includes('rows'));
      const seen = await page.evaluate(() => (globalThis as any).received.map((e: any) => e.payload.$id));
      assert.deepEqual(seen, ['mine'], 'neither another user’s row nor a filtered one');

      valueOf(await callAccount(page, target, 'updateName', { name: 'Grace H.' }));
      const account = await waitForEvent(page, userId);
      assert.equal(account.payload.name, 'Grace H.');
      assert.ok(account.channels.includes(`account.${userId}`));
    } finally {
      await context.close();
    }
  });

  test('cross-site: the SDK authenticates in-band with its fallback session', async () => {
    const { context, page } = await openTestPage(browser, pages.url('localhost'));
    try {
      const userId = await signUp(page, 'alan');
      await watchSockets(page);
      await subscribe(page, target, ['rows']);
      await waitForResponse(page, 'authentication');
      const connected = await page.evaluate(() => (globalThis as any).frames.find((f: any) => f.type === 'connected'));
      assert.equal(connected.data.user, null, 'no cookie crossed sites');
      await tables.createRow({ databaseId: DB, tableId: 'notes', rowId: 'alans', data: { text: 'hi' }, permissions: [`read("user:${userId}")`] });
      assert.equal((await waitForEvent(page, 'alans')).payload.text, 'hi');

      // unsubscribe(): the SDK tells the server, which stops sending.
      await page.evaluate(async () => (globalThis as any).subscription.unsubscribe());
      await page.waitForFunction(() => (globalThis as any).frames.some((f: any) => f.type === 'response' && f.data.to === 'unsubscribe'));
    } finally {
      await context.close();
    }
  });

  test('the deprecated client.subscribe still works', async () => {
    const { context, page } = await openTestPage(browser, pages.url('127.0.0.1'));
    try {
      await watchSockets(page);
      await page.evaluate(({ endpoint, project }) => {
        const g = globalThis as any;
        g.received = [];
        const client = new g.appwrite.Client().setEndpoint(endpoint).setProject(project);
        g.stop = client.subscribe('rows', (event: any) => g.received.push(event));
      }, target);
      await waitForResponse(page, 'subscribe');
      await tables.createRow({ databaseId: DB, tableId: 'notes', rowId: 'public', data: { text: 'all' }, permissions: ['read("any")'] });
      assert.equal((await waitForEvent(page, 'public')).payload.text, 'all');
    } finally {
      await context.close();
    }
  });
});
