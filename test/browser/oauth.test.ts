import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { callAccount, launchBrowser, openTestPage, PageServer, readCookieFallback, valueOf, waitForSdk, type SdkTarget } from '../support/browser.js';
import { TestOidcProvider } from '../support/oidc-provider.js';
import { TestServer } from '../support/plinth.js';

const PROJECT = 'browser-oauth';

describe('OAuth2 sign-in from a browser page', () => {
  let server: TestServer;
  let pages: PageServer;
  let idp: TestOidcProvider;
  let browser: Browser;
  let target: SdkTarget;

  before(async () => {
    browser = await launchBrowser();
    [server, pages] = await Promise.all([TestServer.start(), PageServer.start()]);
    await server.createProject(PROJECT);
    idp = await TestOidcProvider.start({
      clientId: 'browser-app',
      clientSecret: 'browser-app-secret',
      redirectUris: [`${server.endpoint}/account/sessions/oauth2/callback/oidc/${PROJECT}`],
    });
    await server.configureOidc(PROJECT, { clientId: 'browser-app', clientSecret: 'browser-app-secret', wellKnownUrl: idp.wellKnownUrl });
    target = { endpoint: server.endpoint, project: PROJECT };
  });
  after(async () => {
    await browser?.close();
    await idp?.stop();
    await pages?.stop();
    await server?.stop();
  });

  test('createOAuth2Session goes through the provider and lands signed in on the success page', async () => {
    idp.account = { sub: 'oidc-barbara', email: 'Barbara@Example.com', emailVerified: true, name: 'Barbara Liskov' };
    const success = pages.url('127.0.0.1', '/ok');
    const failure = pages.url('127.0.0.1', '/fail');
    const { context, page } = await openTestPage(browser, pages.url('127.0.0.1'));
    try {
      const visited: string[] = [];
      // Every hop of the redirect chain is a navigation request of its own.
      page.on('request', (request) => {
        if (request.isNavigationRequest() && request.frame() === page.mainFrame()) visited.push(request.url());
      });
      const landed = page.waitForURL((url) => url.href.startsWith(success) || url.href.startsWith(failure));
      // The SDK navigates the page away itself (window.location), so the call returns nothing.
      await page.evaluate(
        ({ endpoint, project, success, failure }) => {
          const sdk = (globalThis as any).appwrite;
          new sdk.Account(new sdk.Client().setEndpoint(endpoint).setProject(project)).createOAuth2Session({ provider: 'oidc', success, failure });
        },
        { endpoint: target.endpoint, project: PROJECT, success, failure },
      );
      await landed;
      assert.ok(page.url().startsWith(success), `ended on ${page.url()} after ${visited.join(' → ')}`);
      assert.ok(
        visited.some((url) => url.startsWith(idp.issuer)),
        `the browser went through the provider: ${visited.join(' → ')}`,
      );

      await waitForSdk(page);
      const cookies = await context.cookies(server.url);
      const legacy = cookies.find((cookie) => cookie.name === `a_session_${PROJECT}_legacy`);
      assert.ok(legacy?.httpOnly, `stored cookies: ${cookies.map((cookie) => cookie.name).join(', ')}`);
      assert.equal(await readCookieFallback(page), null);

      const me = valueOf(await callAccount(page, target, 'get'));
      assert.equal(me.email, 'barbara@example.com');
      assert.equal(me.name, 'Barbara Liskov');
      assert.equal(me.emailVerification, true);
      const session = valueOf(await callAccount(page, target, 'getSession', { sessionId: 'current' }));
      assert.equal(session.provider, 'oidc');
      assert.equal(session.providerUid, 'oidc-barbara');
    } finally {
      await context.close();
    }
  });
});
