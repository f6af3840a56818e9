import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Permission, Role, Storage } from 'node-appwrite';
import type { Browser } from 'playwright-core';
import sharp from 'sharp';
import { callAccount, launchBrowser, openTestPage, PageServer, uniqueId, valueOf, type SdkTarget } from '../support/browser.js';
import { TestServer } from '../support/plinth.js';
import { sdkClient } from '../support/sdk.js';

const PROJECT = 'storagebrowser';

describe('storage from a page with the web SDK', () => {
  let server: TestServer;
  let pages: PageServer;
  let browser: Browser;
  let target: SdkTarget;
  let photo: Buffer;

  before(async () => {
    browser = await launchBrowser();
    [server, pages] = await Promise.all([TestServer.start(), PageServer.start()]);
    await server.createProject(PROJECT);
    const storage = new Storage(sdkClient(server, PROJECT, await server.createKey(PROJECT)));
    await storage.createBucket({ bucketId: 'photos', name: 'Photos', permissions: [Permission.create(Role.users())], fileSecurity: true });
    target = { endpoint: server.endpoint, project: PROJECT };
    photo = await sharp({ create: { width: 800, height: 600, channels: 3, background: { r: 200, g: 80, b: 40 } } }).jpeg().toBuffer();
  });
  after(async () => {
    await browser?.close();
    await pages?.stop();
    await server?.stop();
  });

  test('a signed-in page uploads from a file input and shows the preview in an <img> with its cookie', async () => {
    // 127.0.0.1 is a local origin, which the server accepts for every project like a registered web platform.
    const { context, page } = await openTestPage(browser, pages.url('127.0.0.1'));
    try {
      valueOf(await callAccount(page, target, 'create', { userId: await uniqueId(page), email: 'ansel@example.com', password: 'correct horse' }));
      valueOf(await callAccount(page, target, 'createEmailPasswordSession', { email: 'ansel@example.com', password: 'correct horse' }));

      await page.evaluate(() => {
        const dom = (globalThis as any).document;
        const input = dom.createElement('input');
        input.type = 'file';
        input.id = 'picker';
        dom.body.append(input);
      });
      await page.setInputFiles('#picker', { name: 'sunset.jpg', mimeType: 'image/jpeg', buffer: photo });

      const shown = await page.evaluate(
        async ({ endpoint, project }) => {
          const sdk = (globalThis as any).appwrite;
          const dom = (globalThis as any).document;
          const storage = new sdk.Storage(new sdk.Client().setEndpoint(endpoint).setProject(project));
          const picked = dom.getElementById('picker').files[0];
          const file = await storage.createFile({ bucketId: 'photos', fileId: sdk.ID.unique(), file: picked });
          const src = storage.getFilePreview({ bucketId: 'photos', fileId: file.$id, width: 240 }) as string;
          const image = dom.createElement('img');
          const loaded = new Promise<boolean>((resolve) => {
            image.onload = () => resolve(true);
            image.onerror = () => resolve(false);
          });
          image.src = src;
          dom.body.append(image);
          return { file: { name: file.name, size: file.sizeOriginal, mimeType: file.mimeType }, src, loaded: await loaded, width: image.naturalWidth, height: image.naturalHeight };
        },
        { endpoint: target.endpoint, project: target.project },
      );
      assert.deepEqual(shown.file, { name: 'sunset.jpg', size: photo.length, mimeType: 'image/jpeg' });
      assert.ok(shown.loaded, `the preview did not load: ${shown.src}`);
      assert.equal(shown.width, 240);
      assert.equal(shown.height, 180);
      // Only the session cookie grants the read: the URL carries the project and nothing else.
      const url = new URL(shown.src);
      assert.equal(url.searchParams.get('project'), PROJECT);
      assert.equal(url.searchParams.has('token'), false);
      const anonymous = await fetch(shown.src);
      assert.equal(anonymous.status, 404);
    } finally {
      await context.close();
    }
  });
});
