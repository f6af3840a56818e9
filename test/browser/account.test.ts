import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { callAccount, launchBrowser, openTestPage, PageServer, readCookieFallback, uniqueId, valueOf, type SdkTarget } from '../support/browser.js';
import { TestServer } from '../support/plinth.js';

const PROJECT = 'browser';

describe('the web SDK in a browser', () => {
  let server: TestServer;
  let pages: PageServer;
  let browser: Browser;
  let target: SdkTarget;

  before(async () => {
    browser = await launchBrowser();
    [server, pages] = await Promise.all([TestServer.start(), PageServer.start()]);
    await server.createProject(PROJECT);
    target = { endpoint: server.endpoint, project: PROJECT };
  });
  after(async () => {
    await browser?.close();
    await pages?.stop();
    await server?.stop();
  });

  test('same-site: signs up, signs in, reads the account from its cookie alone and signs out', async () => {
    const { context, page } = await openTestPage(browser, pages.url('127.0.0.1'));
    try {
      const created = valueOf(
        await callAccount(page, target, 'create', { userId: await uniqueId(page), email: 'grace@example.com', password: 'correct horse', name: 'Grace' }),
      );
      assert.equal(created.email, 'grace@example.com');

      const session = valueOf(await callAccount(page, target, 'createEmailPasswordSession', { email: 'grace@example.com', password: 'correct horse' }));
      assert.equal(session.userId, created.$id);
      assert.equal(session.secret, '', 'a browser never sees the secret');

      // Over plain http Chromium drops the SameSite=None cookie (it needs Secure) and keeps the legacy one.
      const cookies = await context.cookies(server.url);
      const legacy = cookies.find((cookie) => cookie.name === `a_session_${PROJECT}_legacy`);
      assert.ok(legacy, `stored cookies: ${cookies.map((cookie) => cookie.name).join(', ')}`);
      assert.equal(legacy.httpOnly, true);
      assert.equal(legacy.domain, '127.0.0.1');
      assert.equal(await readCookieFallback(page), null, 'a same-site page needs no fallback');

      const me = valueOf(await callAccount(page, target, 'get'));
      assert.equal(me.$id, created.$id);
      assert.equal(me.name, 'Grace');

      valueOf(await callAccount(page, target, 'deleteSession', { sessionId: 'current' }));
      const remaining = await context.cookies(server.url);
      assert.deepEqual(
        remaining.filter((cookie) => cookie.name.startsWith(`a_session_${PROJECT}`)),
        [],
        'signing out removes the cookies',
      );
      const signedOut = await callAccount(page, target, 'get');
      assert.equal(signedOut.ok, false);
      assert.equal(!signedOut.ok && signedOut.error.code, 401);
    } finally {
      await context.close();
    }
  });

  test('cross-site: the session travels in X-Fallback-Cookies kept by the SDK in localStorage', async () => {
    const { context, page } = await openTestPage(browser, pages.url('localhost'));
    try {
      valueOf(await callAccount(page, target, 'create', { userId: await uniqueId(page), email: 'alan@example.com', password: 'correct horse' }));
      const session = valueOf(await callAccount(page, target, 'createEmailPasswordSession', { email: 'alan@example.com', password: 'correct horse' }));

      const stored = await context.cookies(server.url);
      assert.deepEqual(
        stored.filter((cookie) => cookie.name.startsWith(`a_session_${PROJECT}`)),
        [],
        'the browser keeps no cookie from a cross-site API over http',
      );
      const fallback = await readCookieFallback(page);
      assert.ok(fallback, 'the SDK stored the fallback header');
      const token = (JSON.parse(fallback) as Record<string, string>)[`a_session_${PROJECT}`];
      assert.ok(token && token.length > 20, fallback);

      const me = valueOf(await callAccount(page, target, 'get'));
      assert.equal(me.$id, session.userId);
      assert.equal(me.email, 'alan@example.com');

      valueOf(await callAccount(page, target, 'deleteSession', { sessionId: 'current' }));
      assert.equal(await readCookieFallback(page), '[]', 'signing out empties the fallback');
      const signedOut = await callAccount(page, target, 'get');
      assert.equal(signedOut.ok, false);
      assert.equal(!signedOut.ok && signedOut.error.code, 401);
    } finally {
      await context.close();
    }
  });

  test('a wrong password surfaces as an AppwriteException of type user_invalid_credentials', async () => {
    const { context, page } = await openTestPage(browser, pages.url('127.0.0.1'));
    try {
      valueOf(await callAccount(page, target, 'create', { userId: await uniqueId(page), email: 'edsger@example.com', password: 'correct horse' }));
      const outcome = await callAccount(page, target, 'createEmailPasswordSession', { email: 'edsger@example.com', password: 'wrong horse' });
      assert.equal(outcome.ok, false);
      if (outcome.ok) return;
      assert.equal(outcome.error.appwrite, true, 'thrown as the SDK class');
      assert.equal(outcome.error.name, 'AppwriteException');
      assert.equal(outcome.error.code, 401);
      assert.equal(outcome.error.type, 'user_invalid_credentials');
    } finally {
      await context.close();
    }
  });
});
