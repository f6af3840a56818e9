// @engine-independent: the pages drive the same API on either engine; the API tests cover both.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Account, Client, ID, Teams } from 'node-appwrite';
import type { Browser, Page } from 'playwright-core';
import { NODE_STARTER, packFunction } from '../functions/fixtures.js';
import { SANDBOX_PATIENCE_MS } from '../functions/deploy.js';
import { checkConsolePage, collectProblems, CONSOLE_ADMIN as ADMIN, FAILED_REQUEST, openConsoleProject, type ConsoleFixture } from '../support/console-ui.js';
import { TestMailbox } from '../support/mailbox.js';
import { TestServer } from '../support/plinth.js';

const MEMBER = { email: 'dev@example.com', password: 'member password' };
const PROJECT = 'shop';

describe('the web console: members, dev keys, auth settings, functions, webhooks and project settings', () => {
  let fixture: ConsoleFixture;
  let server: TestServer;
  let mailbox: TestMailbox;
  let browser: Browser;
  let page: Page;
  let organizationUrl = '';
  const problems: string[][] = [];

  const heading = (name: string | RegExp, on = page) => on.getByRole('heading', { level: 1, name });
  const status = (text: string | RegExp) => page.getByRole('status').filter({ hasText: text }).waitFor();
  /** Waits for the error toast with the API's message, then dismisses it so later checks see only their own. */
  async function expectError(message: RegExp): Promise<void> {
    const toast = page.getByRole('alert').filter({ hasText: message });
    await toast.waitFor();
    await toast.getByRole('button', { name: 'Dismiss' }).click();
  }
  /** Confirms the open delete dialog by typing the name it asks for. */
  async function confirmDelete(name: string): Promise<void> {
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(`Type ${name} to confirm`).fill(name);
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
  }
  /** A client of the project as an app would be: no key, no session. */
  const appClient = () => new Client().setEndpoint(server.endpoint).setProject(PROJECT);

  before(async () => {
    mailbox = await TestMailbox.start();
    fixture = await openConsoleProject({ projectId: PROJECT, projectName: 'Shop', server: { env: { PLINTH_SMTP_URL: `smtp://mailer:mail-secret@127.0.0.1:${mailbox.port}` } } });
    ({ server, browser, page, organizationUrl } = fixture);
    problems.push(fixture.problems);
  });
  after(async () => {
    await fixture?.stop();
    await mailbox?.stop();
  });

  test('members: invite by email, accept through the mailed link, change the role, remove', async () => {
    await page.goto(organizationUrl);
    await page.getByRole('heading', { name: 'Members' }).waitFor();
    await page.getByRole('cell', { name: ADMIN.email }).waitFor();
    await page.getByLabel('Email').fill(MEMBER.email);
    // The label of a wrapped select includes the option shown, so the name is matched by its start.
    await page.getByRole('combobox', { name: /^Role(?! of)/ }).selectOption('developer');
    await page.getByRole('button', { name: 'Send invitation' }).click();
    await status(`Invitation sent to ${MEMBER.email}`);
    const invited = page.getByRole('row', { name: new RegExp(MEMBER.email) });
    await invited.getByRole('cell', { name: 'Invited' }).waitFor();
    await checkConsolePage(page, 'organization-members');

    const mail = (await mailbox.waitFor(1)).find((received) => received.subject?.startsWith('Invitation to Acme'));
    const link = /http:\/\/\S+\/console\/invite\?\S+/.exec(mail?.text ?? '')?.[0];
    assert.ok(link, mail?.text);

    // The invitee has no account yet: accepting signs them in, and they choose a password.
    const invitee = await (await browser.newContext()).newPage();
    problems.push(collectProblems(invitee));
    await invitee.goto(link);
    await heading('Join Acme', invitee).waitFor();
    await checkConsolePage(invitee, 'invitation');
    await invitee.getByRole('button', { name: 'Accept the invitation' }).click();
    await invitee.getByLabel('Password').fill(MEMBER.password);
    await invitee.getByRole('button', { name: 'Save the password' }).click();
    await heading(/^Acme$/, invitee).waitFor();
    assert.ok(await invitee.getByRole('link', { name: MEMBER.email }).isVisible(), 'the invitee is signed in');
    await invitee.context().close();
    const memberSession = await new Account(new Client().setEndpoint(server.endpoint).setProject('console')).createEmailPasswordSession(MEMBER);
    assert.ok(memberSession.$id, 'the chosen password signs the member in');

    // The invitation link works once: inviting a member again is refused with the API's message.
    await page.reload();
    await invited.getByRole('cell', { name: /^Joined/ }).waitFor();
    await page.getByLabel('Email').fill(MEMBER.email);
    await page.getByRole('button', { name: 'Send invitation' }).click();
    await expectError(/already been confirmed/);

    await invited.getByLabel(`Role of ${MEMBER.email}`).selectOption('analyst');
    await status(`${MEMBER.email} is now analyst`);
    await page.reload();
    assert.equal(await invited.getByLabel(`Role of ${MEMBER.email}`).inputValue(), 'analyst');

    await invited.getByRole('button', { name: 'Delete member' }).click();
    await confirmDelete(MEMBER.email);
    await invited.waitFor({ state: 'detached' });
  });

  test('dev keys: made with an expiry, the secret shown once, then deleted', async () => {
    await page.goto(`${server.url}/console/project/${PROJECT}/dev-keys`);
    await page.getByText('No dev key yet.').waitFor();
    await page.getByLabel('Name').fill('laptop');
    await page.getByLabel('Expires on').fill('2031-01-31');
    await page.getByRole('button', { name: 'Create dev key' }).click();
    assert.ok(((await page.getByTestId('key-secret').textContent()) ?? '').trim().length > 20);
    await checkConsolePage(page, 'dev-keys');
    await page.getByRole('button', { name: 'Done' }).click();
    const row = page.getByRole('row', { name: /laptop/ });
    assert.match((await row.textContent()) ?? '', /2031/);
    await row.getByRole('button', { name: 'Delete dev key' }).click();
    await confirmDelete('laptop');
    await page.getByText('No dev key yet.').waitFor();
  });

  test('auth settings: a method off is refused to apps, limits and password policy are enforced', async () => {
    await page.goto(`${server.url}/console/project/${PROJECT}/auth`);
    const emailPassword = page.getByRole('checkbox', { name: 'Email and password' });
    assert.equal(await emailPassword.isChecked(), true);
    await emailPassword.uncheck();
    await status('Email and password off');
    await assert.rejects(
      new Account(appClient()).createEmailPasswordSession({ email: 'nobody@example.com', password: 'some password' }),
      (error: { type?: string }) => error.type === 'user_auth_method_unsupported',
    );
    await emailPassword.check();
    await status('Email and password on');

    // A session shorter than the API allows is refused with its message; a valid one is kept.
    await page.getByLabel('Session length in days').fill('0.00001');
    await page.getByRole('button', { name: 'Save limits' }).click();
    await expectError(/valid range between 5 and 31536000/);
    await page.getByLabel('Session length in days').fill('7');
    await page.getByLabel('Sessions per user').fill('3');
    await page.getByRole('button', { name: 'Save limits' }).click();
    await status('Limits saved');

    await page.getByLabel('Shortest password').fill('14');
    await page.getByRole('checkbox', { name: 'Refuse common passwords' }).check();
    await page.getByRole('button', { name: 'Save password policy' }).click();
    await status('Password policy saved');
    const signUp = (password: string) => new Account(appClient()).create({ userId: ID.unique(), email: `${ID.unique()}@example.com`, password });
    await assert.rejects(signUp('twelve chars'), (error: { code?: number }) => error.code === 400, 'a password shorter than the policy is refused');
    assert.ok((await signUp('long enough passphrase')).$id);

    await page.getByLabel('Provider').selectOption('github');
    await page.getByLabel('App ID').fill('gh-app-id');
    await page.getByLabel('App secret').fill('gh-app-secret');
    await page.getByRole('checkbox', { name: 'Users may sign in with GitHub' }).check();
    await page.getByRole('button', { name: 'Save GitHub' }).click();
    await status('GitHub saved');
    await page.getByRole('row', { name: /GitHub\s*gh-app-id\s*On/ }).waitFor();
    assert.equal(await page.getByLabel('App secret').inputValue(), '', 'the secret is write-only');

    await page.getByLabel('Phone number').fill('5550100');
    await page.getByLabel('Code (6 digits)').fill('123456');
    await page.getByRole('button', { name: 'Add number' }).click();
    await expectError(/E\.164/);
    await page.getByLabel('Phone number').fill('+15550100123');
    await page.getByRole('button', { name: 'Add number' }).click();
    await page.getByRole('cell', { name: '+15550100123' }).waitFor();
    await checkConsolePage(page, 'auth-settings');

    // What the page saved is what a fresh load shows.
    await page.reload();
    assert.equal(await page.getByLabel('Session length in days').inputValue(), '7');
    assert.equal(await page.getByLabel('Shortest password').inputValue(), '14');
    await page.getByRole('row', { name: /\+15550100123/ }).getByRole('button', { name: 'Delete mock number' }).click();
    await confirmDelete('+15550100123');
    await page.getByText('No mock number yet.').waitFor();
  });

  test('functions: create with a runtime, deploy an archive, read the build log, execute, list executions, variables, settings', async () => {
    await page.goto(`${server.url}/console/project/${PROJECT}/functions`);
    await page.getByText('No function yet.').waitFor();
    await page.getByLabel('Name').fill('Hello');
    await page.getByLabel('Runtime').selectOption('node-20.0');
    await page.getByRole('checkbox', { name: 'Anyone may execute it' }).check();
    await page.getByLabel('Function ID (optional)').fill('-bad');
    await page.getByRole('button', { name: 'Create function' }).click();
    await expectError(/functionId/);
    await page.getByLabel('Function ID (optional)').fill('hello');
    await page.getByRole('button', { name: 'Create function' }).click();
    await page.getByRole('heading', { name: /Hello/, level: 2 }).waitFor();
    assert.equal(new URL(page.url()).pathname, `/console/project/${PROJECT}/functions/hello`);

    await page.getByLabel('Code archive (.tar.gz)').setInputFiles({ name: 'code.tar.gz', mimeType: 'application/gzip', buffer: await packFunction(NODE_STARTER) });
    await page.getByLabel('Entrypoint', { exact: true }).fill('src/main.js');
    await page.getByRole('button', { name: 'Deploy' }).click();
    await status('Code uploaded: building');
    // The page follows the build on its own until it is ready.
    await page.getByTestId('deployment-status').filter({ hasText: /^ready/ }).waitFor({ timeout: SANDBOX_PATIENCE_MS });
    await page.getByText('active', { exact: true }).waitFor();
    const deploymentId = ((await page.getByRole('row').nth(1).locator('code').textContent()) ?? '').trim();
    const log = page.getByLabel(`Build log of ${deploymentId}`);
    if (!(await log.isVisible())) await page.getByRole('button', { name: `Build log of ${deploymentId}` }).click();
    await log.waitFor();

    // A second upload, left inactive, is activated by hand once built; the form kept the entrypoint.
    assert.equal(await page.getByLabel('Entrypoint', { exact: true }).inputValue(), 'src/main.js');
    await page.getByLabel('Code archive (.tar.gz)').setInputFiles({ name: 'code.tar.gz', mimeType: 'application/gzip', buffer: await packFunction(NODE_STARTER) });
    await page.getByRole('checkbox', { name: 'Activate once built' }).uncheck();
    await page.getByRole('button', { name: 'Deploy' }).click();
    await page.getByTestId('deployment-status').nth(1).waitFor();
    const newest = page.getByRole('row').nth(1);
    await newest.getByTestId('deployment-status').filter({ hasText: /^ready/ }).waitFor({ timeout: SANDBOX_PATIENCE_MS });
    const secondId = ((await newest.locator('code').textContent()) ?? '').trim();
    assert.notEqual(secondId, deploymentId);
    await page.getByRole('button', { name: `Activate ${secondId}` }).click();
    await status('Deployment activated');
    await newest.getByText('active', { exact: true }).waitFor();

    await page.getByLabel('Path').fill('/hello');
    await page.getByLabel(/^Headers/).fill('X-Console-Test: yes');
    await page.getByLabel('Body').fill('ping');
    await page.getByRole('button', { name: 'Execute', exact: true }).click();
    const response = page.getByTestId('execution-response');
    await response.waitFor();
    assert.deepEqual(JSON.parse((await response.textContent()) ?? ''), { greeting: 'Hello from Plinth', path: '/hello' });
    assert.match((await page.getByTestId('execution-logs').textContent()) ?? '', /Starter called: POST \/hello/);
    const executions = page.getByRole('table', { name: 'Executions' });
    await executions.getByRole('cell', { name: 'POST /hello' }).waitFor();
    await executions.getByRole('button', { name: /^Logs/ }).first().click();
    await executions.getByText(/Starter called: POST \/hello/).waitFor();

    await page.getByLabel('Key', { exact: true }).fill('GREETING');
    await page.getByLabel('Value', { exact: true }).fill('hi');
    await page.getByRole('button', { name: 'Save variable' }).click();
    await page.getByRole('table', { name: 'Variables' }).getByRole('cell', { name: 'GREETING', exact: true }).waitFor();

    await page.getByLabel('Timeout in seconds').fill('30');
    await page.getByRole('checkbox', { name: 'users.read', exact: true }).check();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await status('Function settings saved');
    await page.reload();
    assert.equal(await page.getByLabel('Timeout in seconds').inputValue(), '30');
    assert.equal(await page.getByRole('checkbox', { name: 'users.read', exact: true }).isChecked(), true, 'the execution key gets the scope');
    await checkConsolePage(page, 'function');

    await page.getByRole('link', { name: '← Functions' }).click();
    await page.getByRole('row', { name: /Hello\s*node-20\.0\s*ready\s*Live/ }).waitFor();
    await checkConsolePage(page, 'functions');
  });

  test('webhooks: a bad URL is refused, then create, edit, rotate the secret and delete', async () => {
    await page.goto(`${server.url}/console/project/${PROJECT}/webhooks`);
    await page.getByText('No webhook yet.').waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Orders');
    await page.getByLabel('URL').fill('ftp://example.com/hook');
    await page.getByLabel('Events, one per line').fill('users.*.create\nteams.*');
    await page.getByRole('button', { name: 'Create webhook' }).click();
    await expectError(/http, https/);
    await page.getByLabel('URL').fill('https://example.com/hook');
    await page.getByRole('button', { name: 'Create webhook' }).click();
    const first = ((await page.getByTestId('key-secret').textContent()) ?? '').trim();
    assert.ok(first.length > 10);
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('cell', { name: 'users.*.create, teams.*' }).waitFor();

    await page.getByRole('button', { name: 'Edit Orders' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Orders v2');
    await page.getByRole('button', { name: 'Save webhook' }).click();
    await page.getByRole('cell', { name: 'Orders v2', exact: true }).waitFor();

    await page.getByRole('button', { name: 'Rotate secret of Orders v2' }).click();
    const second = ((await page.getByTestId('key-secret').textContent()) ?? '').trim();
    assert.ok(second.length > 10 && second !== first, 'a new secret');
    await checkConsolePage(page, 'webhooks');
    await page.getByRole('button', { name: 'Done' }).click();

    await page.getByRole('row', { name: /Orders v2/ }).getByRole('button', { name: 'Delete webhook' }).click();
    await confirmDelete('Orders v2');
    await page.getByText('No webhook yet.').waitFor();
  });

  test('project settings: a service turned off is refused to apps; SMTP is checked before saving and sends a test mail', async () => {
    await page.goto(`${server.url}/console/project/${PROJECT}/settings`);
    const teamsSwitch = page.getByRole('checkbox', { name: 'Teams' });
    await teamsSwitch.uncheck();
    await status('Teams off');
    await assert.rejects(new Teams(appClient()).list(), (error: { type?: string }) => error.type === 'general_service_disabled');
    await teamsSwitch.check();
    await status('Teams on');

    await page.getByRole('checkbox', { name: /Send the project's mail/ }).check();
    await page.getByLabel('Host').fill('127.0.0.1');
    await page.getByLabel('Port').fill(String(mailbox.port));
    await page.getByLabel('Username').fill('mailer');
    await page.getByLabel('Password', { exact: true }).fill('not the password');
    await page.getByLabel('Sender email').fill('shop@example.com');
    await page.getByRole('button', { name: 'Save SMTP settings' }).click();
    await expectError(/Could not authenticate/);
    await page.getByLabel('Password', { exact: true }).fill('mail-secret');
    await page.getByRole('button', { name: 'Save SMTP settings' }).click();
    await status('SMTP settings saved');
    await checkConsolePage(page, 'project-settings');

    const before = mailbox.received.length;
    await page.getByLabel('To', { exact: true }).fill('ops@example.com');
    await page.getByRole('button', { name: 'Send test mail' }).click();
    await status('Test mail sent to ops@example.com');
    const mail = (await mailbox.waitFor(before + 1)).at(-1);
    assert.equal(mail?.subject, 'Custom SMTP email sample');
    assert.equal(mail?.from?.value[0]?.address, 'shop@example.com');
  });

  test('no page error, and no console error but those of the failed requests above', () => {
    assert.deepEqual(problems.flat().filter((problem) => !FAILED_REQUEST.test(problem)), []);
  });
});
