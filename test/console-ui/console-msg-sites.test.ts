// @engine-independent: the pages drive the same API on either engine; the API tests cover both.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { MessagePriority, Messaging, Permission, Role, Storage, Users } from 'node-appwrite';
import { InputFile } from 'node-appwrite/file';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { SANDBOX_PATIENCE_MS } from '../functions/deploy.js';
import { packFunction } from '../functions/fixtures.js';
import { TINY_APP } from '../sites/fixtures.js';
import { checkConsolePage, collectProblems, FAILED_REQUEST, openConsoleProject, type ConsoleFixture } from '../support/console-ui.js';
import { TestMailbox } from '../support/mailbox.js';
import { TestServer } from '../support/plinth.js';
import { sdkClient } from '../support/sdk.js';

const PROJECT = 'shop';

describe('the web console: messaging and sites', () => {
  let fixture: ConsoleFixture;
  let server: TestServer;
  let mailbox: TestMailbox;
  let page: Page;
  let key = '';
  const problems: string[][] = [];

  const heading = (name: string | RegExp, level = 2) => page.getByRole('heading', { level, name });
  const status = (text: string | RegExp) => page.getByRole('status').filter({ hasText: text }).waitFor();

  before(async () => {
    mailbox = await TestMailbox.start();
    fixture = await openConsoleProject({ projectId: PROJECT, projectName: 'Shop', server: { env: { PLINTH_MESSAGING_RETRY_DELAY_MS: '10' } } });
    ({ server, page, key } = fixture);
    problems.push(fixture.problems);
  });
  after(async () => {
    await fixture?.stop();
    await mailbox?.stop();
  });

  test('messaging: providers with write-only secrets, a topic with a subscriber, an email with a copy and an attachment sent and received, a draft edited and sent, an SMS scheduled, a push draft with its options', async () => {
    const users = new Users(sdkClient(server, PROJECT, key));
    const ada = await users.create({ userId: 'ada', email: 'ada@example.com', name: 'Ada' });
    const bob = await users.create({ userId: 'bob', email: 'bob@example.com', name: 'Bob' });
    const bobEmail = bob.targets.find((target) => target.providerType === 'email')!.$id;
    // Files the composer offers: an attachment, and an image anyone may read for the push.
    const storage = new Storage(sdkClient(server, PROJECT, key));
    await storage.createBucket({ bucketId: 'files', name: 'Files', permissions: [Permission.read(Role.any())] });
    await storage.createFile({ bucketId: 'files', fileId: 'invoice', file: InputFile.fromBuffer(Buffer.from('Invoice 42: paid\n'), 'invoice.txt') });
    const png = await sharp({ create: { width: 64, height: 32, channels: 3, background: '#d02050' } }).png().toBuffer();
    await storage.createFile({ bucketId: 'files', fileId: 'banner', file: InputFile.fromBuffer(png, 'banner.png') });
    const adaEmail = ada.targets.find((target) => target.providerType === 'email')!.$id;

    await page.goto(`${server.url}/console/project/${PROJECT}/messaging/providers`);
    await page.getByText('No provider yet.').waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Mail');
    await page.getByLabel('Provider ID (optional)').fill('mail');
    await page.getByRole('combobox', { name: /^Service/ }).selectOption('smtp');
    await page.getByLabel('Host').fill('127.0.0.1');
    await page.getByLabel('Port').fill(String(mailbox.port));
    await page.getByLabel('Username').fill('mailer');
    await page.getByLabel('Password').fill('mail-secret');
    await page.getByLabel('Sender email').fill('shop@example.com');
    await page.getByRole('button', { name: 'Create provider' }).click();
    await heading(/^Mail/).waitFor();
    assert.equal(new URL(page.url()).pathname, `/console/project/${PROJECT}/messaging/providers/mail`);
    // The password is kept but never shown back; the other settings are.
    assert.equal(await page.getByLabel('Password').inputValue(), '');
    assert.equal(await page.getByLabel('Host').inputValue(), '127.0.0.1');
    assert.equal(await page.getByRole('checkbox', { name: 'Enabled' }).isChecked(), true);
    await page.getByLabel('Sender name').fill('Shop');
    await page.getByRole('button', { name: 'Save provider' }).click();
    await status('Provider “Mail” saved');
    const saved = await new Messaging(sdkClient(server, PROJECT, key)).getProvider({ providerId: 'mail' });
    assert.equal((saved.credentials as Record<string, unknown>).password, '********', 'an empty secret field kept the password');
    await page.getByRole('table', { name: 'Logs of the provider' }).getByRole('cell', { name: 'provider.update' }).waitFor();
    await checkConsolePage(page, 'messaging-provider');

    // Another type's form: an SMS provider, its token kept write-only too.
    await page.getByRole('link', { name: '← Providers' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Texts');
    await page.getByRole('combobox', { name: /^Service/ }).selectOption('twilio');
    await page.getByLabel('Account SID').fill('AC123');
    await page.getByLabel('Auth token').fill('twilio-secret');
    await page.getByLabel('Sender number or name').fill('+15550100999');
    await page.getByRole('button', { name: 'Create provider' }).click();
    await heading(/^Texts/).waitFor();
    assert.equal(await page.getByLabel('Auth token').inputValue(), '');
    assert.equal(await page.getByLabel('Account SID').inputValue(), 'AC123');
    await page.getByRole('link', { name: '← Providers' }).click();
    await page.getByRole('row', { name: /Texts\s*Twilio\s*sms\s*Enabled/ }).waitFor();
    await page.getByRole('row', { name: /Mail\s*SMTP\s*email\s*Enabled/ }).waitFor();
    await checkConsolePage(page, 'messaging-providers');

    await page.getByRole('link', { name: 'Topics', exact: true }).click();
    await page.getByText('No topic yet.').waitFor();
    await page.getByLabel('Name', { exact: true }).fill('News');
    await page.getByLabel('Topic ID (optional)').fill('news');
    await page.getByRole('button', { name: 'Create topic' }).click();
    await page.getByRole('link', { name: 'News' }).click();
    await heading('News').waitFor();
    await page.getByRole('combobox', { name: /^Target/ }).selectOption({ label: 'email: ada@example.com' });
    await page.getByRole('button', { name: 'Add subscriber' }).click();
    await page.getByRole('table', { name: 'Subscribers' }).getByRole('cell', { name: 'ada@example.com' }).waitFor();
    await page.getByText('1 email, 0 SMS and 0 push subscribers.').waitFor();
    await checkConsolePage(page, 'messaging-topic');

    await page.getByRole('link', { name: 'Messages', exact: true }).click();
    await page.getByText('No message yet.').waitFor();
    await page.getByRole('link', { name: 'New message' }).click();
    await page.getByLabel('Subject').fill('Spring sale');
    await page.getByLabel('Content', { exact: true }).fill('Everything is half price.');
    await page.getByRole('checkbox', { name: 'News' }).check();
    await page.getByRole('group', { name: 'Cc', exact: true }).getByRole('checkbox', { name: 'bob@example.com' }).check();
    const attachments = page.getByRole('group', { name: 'Attachments' });
    await attachments.getByRole('combobox', { name: /^Bucket/ }).selectOption({ label: 'Files' });
    await attachments.getByRole('combobox', { name: /^File/ }).selectOption({ label: 'invoice.txt' });
    await attachments.getByRole('button', { name: 'Add attachment' }).click();
    await attachments.getByText('files:invoice').waitFor();
    await checkConsolePage(page, 'messaging-composer');
    await page.getByRole('button', { name: 'Send message' }).click();
    await heading(/Spring sale/).waitFor();
    // The page follows the delivery on its own.
    await page.getByTestId('message-status').filter({ hasText: /^sent$/ }).waitFor();
    assert.equal(await page.getByTestId('message-delivered').textContent(), '1');
    assert.equal(await page.getByTestId('message-attachments').textContent(), 'files:invoice');
    assert.equal(await page.getByTestId('message-cc').textContent(), bobEmail);
    const mail = (await mailbox.waitFor(1)).find((received) => received.subject === 'Spring sale');
    assert.ok(mail, 'the mail reached the SMTP server');
    assert.match(mail.text ?? '', /Everything is half price\./);
    assert.equal(mail.from?.value[0]?.address, 'shop@example.com');
    // The copy reaches Bob; over SMTP every recipient goes in Bcc, as Appwrite's worker sends them, so no header names him.
    assert.deepEqual(mailbox.recipientsOf(mail).sort(), ['ada@example.com', 'bob@example.com']);
    assert.equal(mail.cc, undefined);
    assert.deepEqual(mail.attachments.map((file) => [file.filename, file.content.toString()]), [['invoice.txt', 'Invoice 42: paid\n']]);
    await checkConsolePage(page, 'messaging-message');

    // A draft to a target named by its ID waits until it is sent from its page.
    await page.getByRole('link', { name: '← Messages' }).click();
    await page.getByRole('row', { name: /Spring sale\s*email\s*sent\s*1/ }).waitFor();
    await page.getByRole('link', { name: 'New message' }).click();
    await page.getByLabel('Subject').fill('Later');
    await page.getByLabel('Content', { exact: true }).fill('Kept for now.');
    await page.getByLabel('Target IDs (optional, comma separated)').fill(adaEmail);
    await page.getByRole('radio', { name: 'Keep as a draft' }).check();
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByTestId('message-status').filter({ hasText: /^draft$/ }).waitFor();
    await page.getByRole('table', { name: 'Targets' }).getByRole('cell', { name: 'ada@example.com' }).waitFor();
    assert.equal(mailbox.received.length, 1, 'a draft is not sent');
    // Edited, it comes back with its fields and stays a draft.
    await page.getByRole('link', { name: 'Edit draft' }).click();
    await heading('Edit draft').waitFor();
    assert.equal(await page.getByLabel('Content', { exact: true }).inputValue(), 'Kept for now.');
    assert.equal(await page.getByLabel('Target IDs (optional, comma separated)').inputValue(), adaEmail);
    await page.getByLabel('Subject').fill('Later, edited');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await heading(/^Later, edited/).waitFor();
    await page.getByTestId('message-status').filter({ hasText: /^draft$/ }).waitFor();
    await page.getByRole('button', { name: 'Send now' }).click();
    await page.getByTestId('message-status').filter({ hasText: /^sent$/ }).waitFor();
    assert.ok((await mailbox.waitFor(2)).some((received) => received.subject === 'Later, edited'));

    // A message scheduled for tomorrow waits as scheduled.
    await page.getByRole('link', { name: '← Messages' }).click();
    await page.getByRole('link', { name: 'New message' }).click();
    await page.getByRole('radio', { name: 'SMS' }).check();
    await page.getByLabel('Content', { exact: true }).fill('See you tomorrow');
    await page.getByRole('checkbox', { name: 'Ada' }).check();
    await page.getByRole('radio', { name: 'Schedule' }).check();
    const tomorrow = new Date(Date.now() + 86_400_000);
    const local = new Date(tomorrow.getTime() - tomorrow.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    await page.getByLabel('Send at').fill(local);
    await page.getByRole('button', { name: 'Schedule message' }).click();
    await page.getByTestId('message-status').filter({ hasText: /^scheduled$/ }).waitFor();
    await page.getByText('Scheduled for').waitFor();

    // A push kept as a draft keeps every option, read back through the API and in the form again.
    await page.getByRole('link', { name: '← Messages' }).click();
    await page.getByRole('link', { name: 'New message' }).click();
    await page.getByRole('radio', { name: 'Push' }).check();
    await page.getByLabel('Title').fill('Order shipped');
    await page.getByLabel('Body', { exact: true }).fill('It is on its way.');
    await page.getByLabel('Data, one “key: value” a line').fill('orderId: 42\nscreen: orders');
    await page.getByLabel('Action (optional)').fill('OPEN_ORDER');
    const image = page.getByRole('group', { name: 'Image' });
    await image.getByRole('combobox', { name: /^Bucket/ }).selectOption({ label: 'Files' });
    await image.getByRole('combobox', { name: /^File/ }).selectOption({ label: 'banner.png' });
    await image.getByRole('button', { name: 'Add image' }).click();
    await page.getByLabel('Icon (optional)').fill('ic_truck');
    await page.getByLabel('Sound (optional)').fill('chime');
    await page.getByLabel('Color (optional)').fill('#d02050');
    await page.getByLabel('Tag (optional)').fill('orders');
    await page.getByLabel('Badge (optional)').fill('3');
    await page.getByRole('combobox', { name: 'Priority' }).selectOption('normal');
    await page.getByRole('checkbox', { name: /^Content available/ }).check();
    await page.getByRole('checkbox', { name: /^Critical/ }).check();
    await page.getByRole('radio', { name: 'Keep as a draft' }).check();
    await checkConsolePage(page, 'messaging-composer-push');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await heading(/^Order shipped/).waitFor();
    await page.getByTestId('message-status').filter({ hasText: /^draft$/ }).waitFor();
    const pushId = new URL(page.url()).pathname.split('/').pop()!;
    const push = await new Messaging(sdkClient(server, PROJECT, key)).getMessage({ messageId: pushId });
    // The SDK's parsed JSON has objects without a prototype; compared as plain JSON.
    const { image: storedImage, ...options } = JSON.parse(JSON.stringify(push.data)) as Record<string, unknown>;
    assert.deepEqual(options, {
      title: 'Order shipped',
      body: 'It is on its way.',
      data: { orderId: '42', screen: 'orders' },
      action: 'OPEN_ORDER',
      icon: 'ic_truck',
      sound: 'chime',
      color: '#d02050',
      tag: 'orders',
      badge: 3,
      contentAvailable: true,
      critical: true,
      priority: MessagePriority.Normal,
    });
    assert.deepEqual([(storedImage as Record<string, unknown>).bucketId, (storedImage as Record<string, unknown>).fileId], ['files', 'banner']);
    // The message page lists the options it was drafted with.
    const shown = await page.getByTestId('push-options').locator('dt, dd').allTextContents();
    assert.deepEqual(Object.fromEntries(shown.flatMap((text, index) => (index % 2 === 0 ? [[text, shown[index + 1]]] : []))), {
      Data: 'orderId: 42\nscreen: orders',
      Action: 'OPEN_ORDER',
      Image: 'files:banner',
      Icon: 'ic_truck',
      Sound: 'chime',
      Color: '#d02050',
      Tag: 'orders',
      Badge: '3',
      'Content available': 'yes',
      Critical: 'yes',
      Priority: 'normal',
    });
    await checkConsolePage(page, 'messaging-push');
    await page.getByRole('link', { name: 'Edit draft' }).click();
    await heading('Edit draft').waitFor();
    assert.equal(await page.getByLabel('Data, one “key: value” a line').inputValue(), 'orderId: 42\nscreen: orders');
    assert.equal(await page.getByLabel('Badge (optional)').inputValue(), '3');
    assert.equal(await page.getByRole('combobox', { name: 'Priority' }).inputValue(), 'normal');
    assert.equal(await page.getByRole('checkbox', { name: /^Critical/ }).isChecked(), true);
    await page.getByRole('group', { name: 'Image' }).getByText('files:banner').waitFor();
  });

  test('sites: create with a framework, set a variable, deploy an archive and a folder, watch the builds, open the site', async () => {
    await page.goto(`${server.url}/console/project/${PROJECT}/sites`);
    await page.getByText('No site yet.').waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Tiny');
    await page.getByLabel('Site ID (optional)').fill('tiny');
    await page.getByRole('combobox', { name: /^Framework/ }).selectOption('vite');
    await page.getByRole('combobox', { name: /^Build runtime/ }).selectOption('node-20.0');
    await checkConsolePage(page, 'sites');
    await page.getByRole('button', { name: 'Create site' }).click();
    await heading(/^Tiny/).waitFor();
    assert.equal(new URL(page.url()).pathname, `/console/project/${PROJECT}/sites/tiny`);

    await page.getByLabel('Key', { exact: true }).fill('GREETING');
    await page.getByLabel('Value', { exact: true }).fill('Hello from the console');
    await page.getByRole('button', { name: 'Save variable' }).click();
    await page.getByRole('table', { name: 'Variables' }).getByRole('cell', { name: 'GREETING', exact: true }).waitFor();

    // The build is one script: nothing to install.
    await page.getByLabel('Code archive (.tar.gz)').setInputFiles({ name: 'code.tar.gz', mimeType: 'application/gzip', buffer: await packFunction(TINY_APP) });
    await page.getByLabel('Install command (optional)').fill('');
    await page.getByLabel('Build command (optional)').fill('node build.mjs');
    await page.getByRole('button', { name: 'Deploy' }).click();
    await status('Code uploaded: building');
    await page.getByTestId('deployment-status').filter({ hasText: /^ready/ }).waitFor({ timeout: SANDBOX_PATIENCE_MS });
    await page.getByText('active', { exact: true }).waitFor();
    await page.getByText(/built tiny/).waitFor();
    const firstId = ((await page.getByRole('row').nth(1).locator('code').textContent()) ?? '').trim();

    const siteLink = page.getByTestId('site-link');
    const href = (await siteLink.getAttribute('href')) ?? '';
    assert.match(href, /^http:\/\/tiny\.sites\.localhost:\d+\/$/);
    const [site] = await Promise.all([page.context().waitForEvent('page'), siteLink.click()]);
    await site.getByText('Hello from the console').waitFor();
    await site.close();

    // A folder is packed in the browser; left inactive, it is activated by hand once built.
    const folder = await mkdtemp(join(tmpdir(), 'plinth-site-'));
    try {
      const app = join(folder, 'tiny');
      for (const [path, content] of Object.entries({ ...TINY_APP, 'build.mjs': TINY_APP['build.mjs'].replace("'no greeting'", "'x'").replace("'</p>'", "' second</p>'") + "\nconsole.log('second build');\n" })) {
        await mkdir(dirname(join(app, path)), { recursive: true });
        await writeFile(join(app, path), content);
      }
      await page.getByLabel('Or a folder').setInputFiles(app);
      await page.getByRole('checkbox', { name: 'Activate once built' }).uncheck();
      await page.getByRole('button', { name: 'Deploy' }).click();
      await page.getByTestId('deployment-status').nth(1).waitFor();
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
    const newest = page.getByRole('row').nth(1);
    await newest.getByTestId('deployment-status').filter({ hasText: /^ready/ }).waitFor({ timeout: SANDBOX_PATIENCE_MS });
    await page.getByText(/second build/).waitFor();
    const secondId = ((await newest.locator('code').textContent()) ?? '').trim();
    await page.getByRole('button', { name: `Activate ${secondId}` }).click();
    await status('Deployment activated');
    await newest.getByText('active', { exact: true }).waitFor();
    const again = await page.context().newPage();
    problems.push(collectProblems(again));
    await again.goto(href);
    await again.getByText('Hello from the console second').waitFor();
    await again.close();

    // The first deployment, no longer live, still has its own preview host.
    const firstRow = page.getByRole('row').filter({ has: page.locator('code', { hasText: firstId }) });
    const preview = firstRow.getByTestId('preview-link');
    assert.equal(await preview.getAttribute('href'), `http://${firstId}-tiny.sites.localhost:${new URL(href).port}/`);
    const [previewPage] = await Promise.all([page.context().waitForEvent('page'), preview.click()]);
    await previewPage.getByText('Hello from the console').waitFor();
    assert.doesNotMatch((await previewPage.textContent('p')) ?? '', /second/);
    await previewPage.close();

    // A custom domain waits for its DNS check.
    await page.getByLabel('Domain', { exact: true }).fill('www.tiny-shop.test');
    await page.getByRole('button', { name: 'Add domain' }).click();
    await status('Domain www.tiny-shop.test added');
    const domain = page.getByRole('table', { name: 'Domains' }).getByRole('row', { name: /www\.tiny-shop\.test/ });
    await domain.waitFor();
    await domain.getByRole('cell', { name: /^unverified/ }).waitFor();
    await domain.getByRole('button', { name: 'Delete domain' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Type www.tiny-shop.test to confirm').fill('www.tiny-shop.test');
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByText('No custom domain yet.').waitFor();

    await page.getByLabel('Default build command').fill('node build.mjs');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await status('Site settings saved');
    await page.getByText('No request logged yet.').waitFor();
    await checkConsolePage(page, 'site');

    await page.getByRole('link', { name: '← Sites' }).click();
    await page.getByRole('row', { name: /Tiny\s*Vite\s*ready\s*Live/ }).waitFor();
  });

  test('no page error, and no console error but the signed-out session check before setup', () => {
    assert.deepEqual(problems.flat().filter((problem) => !FAILED_REQUEST.test(problem)), []);
  });
});
