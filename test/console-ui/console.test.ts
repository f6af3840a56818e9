// @engine-independent: the pages drive the same API on either engine; the API tests cover both.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client, Users } from 'node-appwrite';
import { generate } from 'otplib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser.js';
import { checkConsolePage, collectProblems, FAILED_REQUEST } from '../support/console-ui.js';
import { TestServer } from '../support/plinth.js';
import { TestMailbox } from '../support/mailbox.js';

const EMAIL = 'root@example.com';
const PASSWORD = 'console password';
const NEW_PASSWORD = 'a new console password';

describe('the web console in Chromium', () => {
  let server: TestServer;
  let mailbox: TestMailbox;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  /** Every uncaught page error and console error of the whole run: there must be none. */
  let problems: string[] = [];

  before(async () => {
    mailbox = await TestMailbox.start();
    [browser, server] = await Promise.all([launchBrowser(), TestServer.start({ env: { PLINTH_SMTP_URL: `smtp://mailer:mail-secret@127.0.0.1:${mailbox.port}` } })]);
    context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
    page = await context.newPage();
    problems = collectProblems(page);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    await mailbox?.stop();
  });

  /** Expected API failures show up as console errors of the failed request; those are allowed by text. */
  function unexpectedProblems(allowed: RegExp[] = []): string[] {
    return problems.filter((problem) => !allowed.some((pattern) => pattern.test(problem)));
  }

  const heading = (name: string | RegExp) => page.getByRole('heading', { level: 1, name });
  const shot = (name: string) => checkConsolePage(page, name);

  test('first run: the setup link creates the first administrator and signs them in', async () => {
    const line = server.logs.find((logged) => logged.includes('/console/setup?token='));
    assert.ok(line, 'the server prints the setup link');
    const link = /http:\/\/\S+\/console\/setup\?token=\S+/.exec(line)![0];

    await page.goto(link);
    await heading('Create the first administrator').waitFor();
    await shot('setup');
    await page.getByLabel('Name').fill('Root');
    await page.getByLabel('Email').fill(EMAIL);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create administrator' }).click();

    await heading('Organizations').waitFor();
    assert.equal(new URL(page.url()).pathname, '/console/organizations');
    assert.ok(await page.getByText(EMAIL).isVisible());

    // The link worked once.
    await page.goto(link);
    await heading('Organizations').waitFor();
  });

  test('organizations and projects: create, rename, open by URL, go back', async () => {
    await page.getByLabel('Name').fill('Acme');
    await page.getByRole('button', { name: 'Create organization' }).click();
    await heading('Acme').waitFor();
    const organizationUrl = page.url();

    await page.getByLabel('Organization name').fill('Acme Inc');
    await page.getByRole('button', { name: 'Rename' }).click();
    await heading('Acme Inc').waitFor();

    await page.getByLabel('Name', { exact: true }).fill('Shop');
    await page.getByLabel('Project ID (optional)').fill('shop');
    await page.getByRole('button', { name: 'Create project' }).click();
    await heading('Shop').waitFor();
    assert.equal(new URL(page.url()).pathname, '/console/project/shop');
    assert.equal(await page.getByTestId('project-id').textContent(), 'shop');
    assert.equal(await page.getByTestId('endpoint').textContent(), `${server.endpoint}`);
    await page.getByRole('button', { name: 'Copy the project ID' }).click();
    assert.equal(await page.evaluate(() => (globalThis as any).navigator.clipboard.readText() as Promise<string>), 'shop');
    await shot('project-overview');

    await page.getByLabel('Project name').fill('Shop front');
    await page.getByRole('button', { name: 'Rename' }).click();
    await heading('Shop front').waitFor();

    // The back button returns to the organization, which lists the project.
    await page.goBack();
    await heading('Acme Inc').waitFor();
    assert.equal(page.url(), organizationUrl);
    await page.getByRole('link', { name: 'Shop front' }).waitFor();
    await shot('organization');

    await page.goto(`${server.url}/console/organizations`);
    await page.getByRole('link', { name: 'Acme Inc' }).waitFor();
    await shot('organizations');
  });

  test('an API key made with chosen scopes works from node-appwrite, its secret shown once, then deleted', async () => {
    await page.goto(`${server.url}/console/project/shop/keys`);
    await heading('Shop front').waitFor();
    await page.getByLabel('Name').fill('backend');
    await page.getByRole('checkbox', { name: 'users.read' }).check();
    await page.getByRole('checkbox', { name: 'users.write' }).check();
    await page.getByRole('button', { name: 'Create key' }).click();
    const secret = (await page.getByTestId('key-secret').textContent())?.trim() ?? '';
    assert.match(secret, /^standard_/);
    await shot('api-keys');

    const client = new Client().setEndpoint(server.endpoint).setProject('shop').setKey(secret);
    const users = new Users(client);
    await users.create({ userId: 'alice', email: 'alice@example.com', password: 'alice password', name: 'Alice' });
    assert.equal((await users.list()).total, 1);

    await page.getByRole('button', { name: 'Done' }).click();
    assert.equal(await page.getByTestId('key-secret').count(), 0, 'the secret is gone once dismissed');
    const row = page.getByRole('row', { name: /backend/ });
    assert.match((await row.textContent()) ?? '', /backend\s*2/);

    await row.getByRole('button', { name: 'Delete key' }).click();
    const dialog = page.getByRole('dialog');
    const confirm = dialog.getByRole('button', { name: 'Delete', exact: true });
    assert.equal(await confirm.isDisabled(), true, 'deleting waits for the typed name');
    await dialog.getByLabel('Type backend to confirm').fill('backend');
    await confirm.click();
    await page.getByText('No API key yet.').waitFor();
    await assert.rejects(users.list(), (error: { code?: number }) => error.code === 401, 'the deleted key no longer works');
  });

  test('platforms and users of the project', async () => {
    await page.getByRole('link', { name: 'Platforms' }).click();
    await page.getByRole('heading', { name: 'Add a platform' }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Storefront');
    await page.getByLabel('Hostname', { exact: true }).fill('shop.example.com');
    await page.getByRole('button', { name: 'Add platform' }).click();
    await page.getByRole('cell', { name: 'shop.example.com' }).waitFor();
    await shot('platforms');

    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByRole('cell', { name: 'alice@example.com' }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Bob');
    await page.getByLabel('Email', { exact: true }).fill('bob@example.com');
    await page.getByLabel('Password', { exact: true }).fill('bob password');
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByRole('cell', { name: 'bob@example.com' }).waitFor();
    await page.getByLabel('Search').fill('bob');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('cell', { name: 'alice@example.com' }).waitFor({ state: 'detached' });
    await shot('users');

    await page.getByRole('row', { name: /bob@example.com/ }).getByRole('button', { name: 'Delete user' }).click();
    await page.getByRole('dialog').getByRole('textbox').fill('bob@example.com');
    await page.getByRole('dialog').getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByText('No user matches.').waitFor();
  });

  test('an API error is shown with its message', async () => {
    await page.getByRole('link', { name: 'Overview' }).click();
    await page.goto(`${server.url}/console/organization/no-such-org`);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match((await alert.textContent()) ?? '', /No team exists with the given ID/);
  });

  test('a project and an organization are deleted after typing their names', async () => {
    await page.goto(`${server.url}/console/project/shop`);
    await heading('Shop front').waitFor();
    await page.getByRole('button', { name: 'Delete project' }).click();
    await page.getByRole('dialog').getByRole('textbox').fill('Shop front');
    await page.getByRole('dialog').getByRole('button', { name: 'Delete', exact: true }).click();
    await heading('Acme Inc').waitFor();
    await page.getByText('No project in this organization yet.').waitFor();

    await page.getByRole('button', { name: 'Delete organization' }).click();
    await page.getByRole('dialog').getByRole('textbox').fill('Acme Inc');
    await page.getByRole('dialog').getByRole('button', { name: 'Delete', exact: true }).click();
    await heading('Organizations').waitFor();
    // The first administrator's own default organization stays; the deleted one is gone.
    await page.getByRole('list', { name: 'Organizations' }).getByRole('link').first().waitFor();
    assert.equal(await page.getByRole('link', { name: 'Acme Inc' }).count(), 0);
  });

  let totpSecret = '';
  let recoveryCodes: string[] = [];

  test('the account page: name, and two-step verification with an authenticator app', async () => {
    await page.getByRole('link', { name: EMAIL }).click();
    await heading('Your account').waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Root Admin');
    await page.getByRole('button', { name: 'Save name' }).click();
    await page.getByRole('status').filter({ hasText: 'Name saved' }).waitFor();

    await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
    totpSecret = ((await page.getByTestId('totp-secret').textContent()) ?? '').trim();
    assert.match(totpSecret, /^[A-Z2-7]{16,}$/);
    // The code of the previous window, so the sign-in below may use the current one.
    await page.getByLabel('Code from the app').fill(await generate({ secret: totpSecret, epoch: Math.floor(Date.now() / 1000) - 30 }));
    await page.getByRole('button', { name: 'Turn on' }).click();
    await page.getByText('On: signing in asks for a code').waitFor();
    recoveryCodes = await page.getByTestId('recovery-codes').locator('li').allTextContents();
    assert.ok(recoveryCodes.length >= 6, `recovery codes: ${recoveryCodes.join(', ')}`);
    await shot('account');
    await page.getByRole('button', { name: 'Done' }).click();
    assert.equal(await page.getByTestId('recovery-codes').count(), 0);
  });

  test('sign-out, a wrong password, then sign-in with a second factor', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await heading('Sign in to Plinth').waitFor();
    await page.goto(`${server.url}/console/organizations`);
    await heading('Sign in to Plinth').waitFor();

    await page.getByLabel('Email').fill(EMAIL);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'The email or password is incorrect.' }).waitFor();
    await shot('sign-in');

    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await heading('Two-step verification').waitFor();
    await page.getByLabel('Verification code').fill('000000');
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('alert').waitFor();
    await page.getByLabel('Verification code').fill(await generate({ secret: totpSecret }));
    await page.getByRole('button', { name: 'Verify' }).click();
    await heading('Organizations').waitFor();
    assert.ok(await page.getByRole('link', { name: EMAIL }).isVisible());
  });

  test('a forgotten password is reset through the mailed link, then a recovery code stands in for the app', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await heading('Reset your password').waitFor();
    await shot('recover');
    await page.getByLabel('Email').fill(EMAIL);
    await page.getByRole('button', { name: 'Send a reset link' }).click();
    await page.getByRole('status').filter({ hasText: 'a link to reset the password is on its way' }).waitFor();

    const mail = (await mailbox.waitFor(1))[0]!;
    const href = /http:\/\/\S+\/console\/recover\?\S+/.exec(mail.text ?? '')?.[0];
    assert.ok(href, mail.text);
    await page.goto(href);
    await page.getByLabel('New password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Set the new password' }).click();
    await heading('Sign in to Plinth').waitFor();

    await page.getByLabel('Email').fill(EMAIL);
    await page.getByLabel('Password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await heading('Two-step verification').waitFor();
    await page.getByRole('button', { name: 'Use a recovery code' }).click();
    await page.getByLabel('Verification code').fill(recoveryCodes[0]!);
    await page.getByRole('button', { name: 'Verify' }).click();
    await heading('Organizations').waitFor();
  });

  test('no page error, and no console error but those of the failed requests above', () => {
    // Chromium logs each 4xx answer to a request as a console error; the page itself logs none.
    assert.deepEqual(unexpectedProblems([FAILED_REQUEST]), []);
  });
});
