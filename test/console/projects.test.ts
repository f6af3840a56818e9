import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Console, Projects, Proxy, Query, Scopes, Teams } from '@appwrite.io/console';
import { startDnsServer, type TestDnsServer } from '../support/dns-server.js';
import { TestMailbox } from '../support/mailbox.js';
import { jsonOf, TestServer } from '../support/plinth.js';
import { adminModeClient, CONSOLE, joinOrganization, signUpAdministrator, type Administrator } from './organization-helpers.js';
import { rejectsWith } from '../support/sdk.js';

describe('the console’s projects', () => {
  let server: TestServer;
  let mailbox: TestMailbox;
  let dns: TestDnsServer;
  let owner: Administrator;
  let analyst: Administrator;
  let outsider: Administrator;
  let projects: Projects;

  before(async () => {
    mailbox = await TestMailbox.start();
    dns = await startDnsServer();
    server = await TestServer.start({
      env: { PLINTH_SMTP_URL: `smtp://mailer:mail-secret@127.0.0.1:${mailbox.port}`, PLINTH_CONSOLE_SIGNUP: 'open', PLINTH_DNS: dns.address, PLINTH_DOMAIN_TARGET_A: '203.0.113.7', PLINTH_DOMAIN_DENY_LIST: 'denied.example' },
    });
    owner = await signUpAdministrator(server, 'owner@example.com');
    analyst = await signUpAdministrator(server, 'analyst@example.com');
    outsider = await signUpAdministrator(server, 'outsider@example.com');
    await new Teams(owner.client).create({ teamId: 'acme', name: 'Acme' });
    await new Teams(outsider.client).create({ teamId: 'other', name: 'Other' });
    await joinOrganization(mailbox, owner, 'acme', analyst, ['analyst']);
    projects = new Projects(owner.client);
  });
  after(async () => {
    await server.stop();
    await mailbox.stop();
    await dns.stop();
  });

  test('an owner creates a project in their organization, and reads, lists, renames and describes it', async () => {
    const created = await projects.create({ projectId: 'shop', name: 'Shop', teamId: 'acme', description: 'The web shop' });
    assert.equal(created.$id, 'shop');
    assert.equal(created.teamId, 'acme');
    assert.equal(created.description, 'The web shop');

    const listed = await projects.list({ queries: [Query.equal('teamId', 'acme'), Query.orderDesc('$id')] });
    assert.deepEqual(listed.projects.map((project) => project.$id), ['shop']);
    assert.equal(listed.total, 1);
    const searched = await projects.list({ search: 'sho' });
    assert.deepEqual(searched.projects.map((project) => project.$id), ['shop']);

    const updated = await projects.update({ projectId: 'shop', name: 'Shop 2', legalCity: 'Lyon' });
    assert.equal(updated.name, 'Shop 2');
    assert.equal(updated.legalCity, 'Lyon');
    assert.equal(updated.description, 'The web shop', 'fields left out keep their value');
    assert.equal((await projects.get({ projectId: 'shop' })).name, 'Shop 2');
  });

  test('an analyst reads the organization’s projects but may not create, change or delete one', async () => {
    const asAnalyst = new Projects(analyst.client);
    assert.equal((await asAnalyst.get({ projectId: 'shop' })).$id, 'shop');
    assert.deepEqual((await asAnalyst.list()).projects.map((project) => project.$id), ['shop']);
    await rejectsWith(asAnalyst.create({ projectId: 'mine', name: 'Mine', teamId: 'acme' }), 401, 'general_unauthorized_scope');
    await rejectsWith(asAnalyst.update({ projectId: 'shop', name: 'Taken' }), 401, 'general_unauthorized_scope');
    await rejectsWith(asAnalyst.delete({ projectId: 'shop' }), 401, 'general_unauthorized_scope');
    await rejectsWith(asAnalyst.createDevKey({ projectId: 'shop', name: 'dev', expire: new Date(Date.now() + 3600_000).toISOString() }), 401, 'general_unauthorized_scope');
  });

  test('a non-member neither sees nor touches another organization’s projects', async () => {
    const asOutsider = new Projects(outsider.client);
    assert.deepEqual((await asOutsider.list()).projects, []);
    await rejectsWith(asOutsider.get({ projectId: 'shop' }), 401, 'user_unauthorized');
    await rejectsWith(asOutsider.update({ projectId: 'shop', name: 'Mine now' }), 401, 'user_unauthorized');
    await rejectsWith(asOutsider.create({ projectId: 'sneaky', name: 'Sneaky', teamId: 'acme' }), 401, 'user_unauthorized');
    await rejectsWith(asOutsider.listDevKeys({ projectId: 'shop' }), 401, 'user_unauthorized');
    // A project moves only to an organization its mover may create projects in.
    await rejectsWith(projects.updateTeam({ projectId: 'shop', teamId: 'other' }), 401, 'user_unauthorized');
  });

  test('refuses a duplicate project id, a missing project, a signed-out caller and an app project’s user', async () => {
    await rejectsWith(projects.create({ projectId: 'shop', name: 'Again', teamId: 'acme' }), 409, 'project_already_exists');
    await rejectsWith(projects.create({ projectId: CONSOLE, name: 'Console', teamId: 'acme' }), 400, 'project_reserved_project');
    await rejectsWith(projects.get({ projectId: 'missing' }), 404, 'project_not_found');
    const signedOut = await server.request('/projects', { project: CONSOLE });
    assert.equal(signedOut.status, 401);
    assert.equal((await jsonOf(signedOut)).type, 'general_unauthorized_scope');
    // A user of an app project holds `projects.read` there, but none of the console's.
    const withKey = await server.request('/projects', { project: 'shop', key: await server.createKey('shop') });
    assert.equal(withKey.status, 401);
  });

  test('dev keys: created with their secret once, listed, renamed, deleted; they lift abuse limits until they expire', async () => {
    const expire = new Date(Date.now() + 3600_000).toISOString();
    const key = await projects.createDevKey({ projectId: 'shop', name: 'laptop', expire });
    assert.equal(key.name, 'laptop');
    assert.match(key.secret, /^[0-9a-f]{128}$/);
    assert.equal(Date.parse(key.expire), Date.parse(expire));

    const listed = await projects.listDevKeys({ projectId: 'shop' });
    assert.equal(listed.total, 1);
    assert.equal(listed.devKeys[0]!.secret, '', 'the secret is shown once');
    assert.equal((await projects.getDevKey({ projectId: 'shop', keyId: key.$id })).name, 'laptop');
    const renamed = await projects.updateDevKey({ projectId: 'shop', keyId: key.$id, name: 'desktop', expire });
    assert.equal(renamed.name, 'desktop');
    assert.equal((await projects.get({ projectId: 'shop' })).devKeys.length, 1);

    // Sign-in attempts are limited per IP and email; a dev key lifts the limit for its project.
    const attempt = (headers: Record<string, string>) =>
      server.request('/account/sessions/email', {
        method: 'POST',
        project: 'shop',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ email: 'nobody@example.com', password: 'wrong password' }),
      });
    let limited = 0;
    for (let i = 0; i < 12; i += 1) if ((await attempt({})).status === 429) limited += 1;
    assert.ok(limited > 0, 'the limit holds without a dev key');
    assert.equal((await attempt({ 'x-appwrite-dev-key': key.secret })).status, 401);
    assert.equal((await attempt({ 'x-appwrite-dev-key': 'not a key' })).status, 429, 'an unknown dev key lifts nothing');

    const expired = await projects.updateDevKey({ projectId: 'shop', keyId: key.$id, name: 'desktop', expire: new Date(Date.now() - 1000).toISOString() });
    assert.ok(Date.parse(expired.expire) < Date.now());
    assert.equal((await attempt({ 'x-appwrite-dev-key': key.secret })).status, 429, 'an expired dev key lifts nothing');

    await projects.deleteDevKey({ projectId: 'shop', keyId: key.$id });
    await rejectsWith(projects.getDevKey({ projectId: 'shop', keyId: key.$id }), 404, 'key_not_found');
    await rejectsWith(projects.deleteDevKey({ projectId: 'shop', keyId: key.$id }), 404, 'key_not_found');
    await rejectsWith(projects.createDevKey({ projectId: 'shop', name: 'bad', expire: 'tomorrow' }), 400, 'general_argument_invalid');
  });

  test('the 1.8 settings routes the CLI sends act on the project in the path', async () => {
    await projects.updateAuthDuration({ projectId: 'shop', duration: 3600 });
    await projects.updateAuthLimit({ projectId: 'shop', limit: 0 });
    await projects.updateAuthSessionsLimit({ projectId: 'shop', limit: 5 });
    await projects.updateAuthPasswordHistory({ projectId: 'shop', limit: 3 });
    await projects.updateAuthPasswordDictionary({ projectId: 'shop', enabled: true });
    await projects.updatePersonalDataCheck({ projectId: 'shop', enabled: true });
    await projects.updateSessionAlerts({ projectId: 'shop', alerts: true });
    await projects.updateMockNumbers({ projectId: 'shop', numbers: [{ phone: '+15555550100', otp: '123456' }] });
    await projects.updateAuthStatus({ projectId: 'shop', method: 'anonymous' as never, status: false });
    await projects.updateServiceStatus({ projectId: 'shop', service: 'teams' as never, status: false });
    const project = await projects.get({ projectId: 'shop' });
    assert.equal(project.authDuration, 3600);
    assert.equal(project.authLimit, 0);
    assert.equal(project.authSessionsLimit, 5);
    assert.equal(project.authPasswordHistory, 3);
    assert.equal(project.authPasswordDictionary, true);
    assert.equal(project.authPersonalDataCheck, true);
    assert.equal(project.authSessionAlerts, true);
    // The console SDK asks for the 1.8 response format, where a mock number is `{phone, otp}`.
    assert.deepEqual(project.authMockNumbers.map((number) => ({ ...number })), [{ phone: '+15555550100', otp: '123456' }]);
    const current = await jsonOf(server.request('/projects/shop', { project: CONSOLE, headers: { cookie: owner.cookie } }));
    assert.deepEqual(current.authMockNumbers.map((number: { number: string; otp: string }) => [number.number, number.otp]), [['+15555550100', '123456']]);
    assert.equal(project.authAnonymous, false);
    assert.equal(project.serviceStatusForTeams, false);
    await rejectsWith(new Projects(analyst.client).updateAuthDuration({ projectId: 'shop', duration: 60 }), 401, 'general_unauthorized_scope');
    await rejectsWith(new Projects(outsider.client).updateAuthDuration({ projectId: 'shop', duration: 60 }), 401, 'user_unauthorized');
  });

  test('the 1.8 key, platform, SMTP, OAuth2 and template routes act on the project in the path', async () => {
    const key = await projects.createKey({ projectId: 'shop', keyId: 'ci', name: 'CI', scopes: [Scopes.UsersRead] });
    assert.equal(key.$id, 'ci');
    assert.ok(key.secret.length > 0);
    assert.ok((await projects.listKeys({ projectId: 'shop' })).keys.some((listed) => listed.$id === 'ci'));
    assert.equal((await projects.updateKey({ projectId: 'shop', keyId: 'ci', name: 'Deploys', scopes: [Scopes.UsersRead, Scopes.UsersWrite] })).name, 'Deploys');
    assert.deepEqual((await projects.getKey({ projectId: 'shop', keyId: 'ci' })).scopes, ['users.read', 'users.write']);
    await projects.deleteKey({ projectId: 'shop', keyId: 'ci' });
    await rejectsWith(projects.getKey({ projectId: 'shop', keyId: 'ci' }), 404, 'key_not_found');

    // 1.8's platform types are kept as the current type naming the app the same way.
    const web = await projects.createPlatform({ projectId: 'shop', type: 'web' as never, name: 'Site', hostname: 'shop.example.com' });
    const ios = await projects.createPlatform({ projectId: 'shop', type: 'flutter-ios' as never, name: 'iPhone', key: 'com.example.shop' });
    assert.equal(ios.type as string, 'apple');
    assert.equal((ios as unknown as { bundleIdentifier: string }).bundleIdentifier, 'com.example.shop');
    // 1.8 reads an app's identifier as `key`, and a few fields since dropped.
    assert.deepEqual([ios.key, ios.hostname, ios.store, ios.httpUser, ios.httpPass], ['com.example.shop', '', '', '', '']);
    assert.deepEqual([web.key, web.hostname], ['', 'shop.example.com']);
    assert.equal((await projects.get({ projectId: 'shop' })).platforms.find((platform) => platform.$id === ios.$id)?.key, 'com.example.shop');
    assert.equal((await projects.listPlatforms({ projectId: 'shop' })).total, 2);
    const renamed = await projects.updatePlatform({ projectId: 'shop', platformId: web.$id, name: 'Shop site', hostname: 'www.example.com' });
    assert.equal(renamed.hostname, 'www.example.com');
    assert.equal((await projects.getPlatform({ projectId: 'shop', platformId: ios.$id })).name, 'iPhone');
    await projects.deletePlatform({ projectId: 'shop', platformId: ios.$id });
    await rejectsWith(projects.getPlatform({ projectId: 'shop', platformId: ios.$id }), 404, 'platform_not_found');
    await rejectsWith(projects.createPlatform({ projectId: 'shop', type: 'unity' as never, name: 'Game', key: 'game' }), 400, 'general_argument_invalid');
    await rejectsWith(projects.createPlatform({ projectId: 'shop', type: 'web' as never, name: 'Bad', hostname: 'http://bad/' }), 400, 'general_argument_invalid');

    const smtp = { host: '127.0.0.1', port: mailbox.port, username: 'mailer', password: 'mail-secret', senderName: 'Shop', senderEmail: 'shop@example.com', replyTo: 'help@example.com' };
    const withSmtp = await projects.updateSmtp({ projectId: 'shop', enabled: true, ...smtp });
    assert.equal(withSmtp.smtpEnabled, true);
    assert.equal(withSmtp.smtpReplyTo, 'help@example.com', '1.8 names the reply-to address smtpReplyTo');
    // 1.8 tests the server its body names, before any is saved: the project's own is off here.
    await projects.updateSmtp({ projectId: 'shop', enabled: false });
    const before = mailbox.received.length;
    await projects.createSmtpTest({ projectId: 'shop', emails: ['tester@example.com'], ...smtp, senderName: 'Body Sender', senderEmail: 'body@example.com' });
    const mails = await mailbox.waitFor(before + 1);
    assert.equal(mails[before]!.subject, 'Custom SMTP email sample');
    assert.deepEqual([mails[before]!.from?.value[0]?.name, mails[before]!.from?.value[0]?.address], ['Body Sender', 'body@example.com']);
    await rejectsWith(projects.createSmtpTest({ projectId: 'shop', emails: ['tester@example.com'], ...smtp, password: 'wrong' }), 400, 'project_smtp_config_invalid');
    await rejectsWith(projects.createSmtpTest({ projectId: 'shop', emails: ['tester@example.com'], senderName: 'x', senderEmail: 'not an email', host: '127.0.0.1' }), 400, 'general_argument_invalid');

    const withGithub = await projects.updateOAuth2({ projectId: 'shop', provider: 'github' as never, appId: 'gh-app', secret: 'gh-secret', enabled: true });
    const github = withGithub.oAuthProviders.find((provider) => provider.key === 'github');
    assert.equal(github?.appId, 'gh-app');
    assert.equal(github?.enabled, true);

    const template = await projects.updateEmailTemplate({ projectId: 'shop', type: 'recovery' as never, locale: 'de' as never, subject: 'Neues Passwort', message: 'Hallo {{user}}' });
    assert.equal(template.subject, 'Neues Passwort');
    assert.equal(template.type, 'recovery');
    assert.equal((await projects.getEmailTemplate({ projectId: 'shop', type: 'recovery' as never, locale: 'de' as never })).message, 'Hallo {{user}}');
    const reset = await projects.deleteEmailTemplate({ projectId: 'shop', type: 'recovery' as never, locale: 'de' as never });
    assert.notEqual(reset.subject, 'Neues Passwort');

    await rejectsWith(new Projects(analyst.client).createKey({ projectId: 'shop', name: 'Mine', scopes: [] }), 401, 'general_unauthorized_scope');
    assert.equal((await new Projects(analyst.client).listPlatforms({ projectId: 'shop' })).total, 1, 'an analyst reads');
    await rejectsWith(new Projects(outsider.client).listKeys({ projectId: 'shop' }), 401, 'user_unauthorized');
    await rejectsWith(projects.listKeys({ projectId: 'missing' }), 404, 'project_not_found');
  });

  test('the 1.8 webhook routes act on the project in the path, with 1.8’s field names', async () => {
    const created = await projects.createWebhook({ projectId: 'shop', name: 'Orders', events: ['users.*.create'], url: 'https://hooks.example.com/orders', security: true, httpUser: 'hook', httpPass: 'hook-pass' });
    assert.deepEqual([created.name, created.security, created.httpUser, created.httpPass, created.enabled], ['Orders', true, 'hook', 'hook-pass', true]);
    assert.ok(created.signatureKey.length >= 8, 'the signature key is shown on creation');
    const read = await projects.getWebhook({ projectId: 'shop', webhookId: created.$id });
    assert.deepEqual([read.url, read.events, read.signatureKey], ['https://hooks.example.com/orders', ['users.*.create'], '']);
    const updated = await projects.updateWebhook({ projectId: 'shop', webhookId: created.$id, name: 'Orders 2', events: ['users.*'], url: 'https://hooks.example.com/v2', security: false, enabled: false });
    assert.deepEqual([updated.name, updated.security, updated.enabled, updated.httpUser], ['Orders 2', false, false, '']);
    const signed = await projects.updateWebhookSignature({ projectId: 'shop', webhookId: created.$id });
    assert.ok(signed.signatureKey.length >= 8 && signed.signatureKey !== created.signatureKey);
    const listed = await projects.listWebhooks({ projectId: 'shop' });
    assert.deepEqual([listed.total, listed.webhooks.map((webhook) => webhook.$id)], [1, [created.$id]]);

    // The project lists its webhooks: 1.8 shape for the console SDK, the current one otherwise, passwords hidden both ways.
    const inProject = (await projects.get({ projectId: 'shop' })).webhooks.find((webhook) => webhook.$id === created.$id);
    assert.deepEqual([inProject?.name, inProject?.security, inProject?.signatureKey], ['Orders 2', false, '']);
    await projects.updateWebhook({ projectId: 'shop', webhookId: created.$id, name: 'Orders 2', events: ['users.*'], url: 'https://hooks.example.com/v2', security: true, httpUser: 'u', httpPass: 'p' });
    const current = await jsonOf(server.request('/projects/shop', { project: CONSOLE, headers: { cookie: owner.cookie } }));
    assert.deepEqual(
      current.webhooks.map((webhook: { $id: string; tls: boolean; authUsername: string; authPassword: string }) => [webhook.$id, webhook.tls, webhook.authUsername, webhook.authPassword]),
      [[created.$id, true, 'u', '']],
    );

    await rejectsWith(projects.createWebhook({ projectId: 'shop', name: 'Bad', events: [], url: 'ftp://example.com', security: true }), 400, 'general_argument_invalid');
    await rejectsWith(projects.createWebhook({ projectId: 'shop', name: 'Bad', events: ['account.unknown'], url: 'https://example.com', security: true }), 400, 'general_argument_invalid');
    await rejectsWith(projects.createWebhook({ projectId: 'shop', name: 'Bad', events: [], url: 'http://localhost/webhook', security: false }), 400, 'general_argument_invalid');
    await rejectsWith(new Projects(analyst.client).createWebhook({ projectId: 'shop', name: 'Mine', events: [], url: 'https://example.com', security: true }), 401, 'general_unauthorized_scope');
    assert.equal((await new Projects(analyst.client).listWebhooks({ projectId: 'shop' })).total, 1, 'an analyst reads');
    await rejectsWith(new Projects(outsider.client).listWebhooks({ projectId: 'shop' }), 401, 'user_unauthorized');
    await projects.deleteWebhook({ projectId: 'shop', webhookId: created.$id });
    await rejectsWith(projects.getWebhook({ projectId: 'shop', webhookId: created.$id }), 404, 'webhook_not_found');
    await rejectsWith(projects.deleteWebhook({ projectId: 'shop', webhookId: created.$id }), 404, 'webhook_not_found');
  });

  test('the 1.8 SMS template routes answer, as Appwrite’s, that custom SMS templates are not implemented', async () => {
    await rejectsWith(projects.getSmsTemplate({ projectId: 'shop', type: 'login' as never, locale: 'en' as never }), 405, 'general_not_implemented');
    await rejectsWith(projects.updateSmsTemplate({ projectId: 'shop', type: 'login' as never, locale: 'en' as never, message: 'Code {{code}}' }), 405, 'general_not_implemented');
    await rejectsWith(projects.deleteSmsTemplate({ projectId: 'shop', type: 'login' as never, locale: 'en' as never }), 405, 'general_not_implemented');
    await rejectsWith(projects.getSmsTemplate({ projectId: 'shop', type: 'postcard' as never, locale: 'en' as never }), 400, 'general_argument_invalid');
    await rejectsWith(new Projects(outsider.client).getSmsTemplate({ projectId: 'shop', type: 'login' as never, locale: 'en' as never }), 401, 'user_unauthorized');
  });

  test('CE 1.9.6’s organization projects name the organization by header', async () => {
    const call = (path: string, init: RequestInit & { as?: Administrator; organization?: string } = {}) =>
      server.request(path, {
        ...init,
        project: CONSOLE,
        headers: { 'content-type': 'application/json', cookie: (init.as ?? owner).cookie, 'x-appwrite-organization': init.organization ?? 'acme' },
      });
    const created = await call('/organization/projects', { method: 'POST', body: JSON.stringify({ projectId: 'blog', name: 'Blog' }) });
    assert.equal(created.status, 201);
    assert.equal((await jsonOf(created)).teamId, 'acme');
    const listed = await jsonOf(call('/organization/projects'));
    assert.deepEqual(listed.projects.map((project: { $id: string }) => project.$id).sort(), ['blog', 'shop']);
    assert.equal((await jsonOf(call('/organization/projects/blog', { method: 'PATCH', body: JSON.stringify({ name: 'Journal' }) }))).name, 'Journal');
    assert.equal((await call('/organization/projects/blog', { organization: 'other', as: outsider })).status, 404);
    assert.equal((await call('/organization/projects', { as: outsider })).status, 401);
    assert.equal((await call('/organization/projects/blog', { method: 'DELETE' })).status, 204);
    assert.equal((await call('/organization/projects/blog')).status, 404);
  });

  test('an owner moves a project to another organization they own, then deletes it', async () => {
    await new Teams(owner.client).create({ teamId: 'acme-labs', name: 'Acme Labs' });
    await projects.create({ projectId: 'lab', name: 'Lab', teamId: 'acme' });
    const moved = await projects.updateTeam({ projectId: 'lab', teamId: 'acme-labs' });
    assert.equal(moved.teamId, 'acme-labs');
    // The analyst of Acme no longer sees it.
    await rejectsWith(new Projects(analyst.client).get({ projectId: 'lab' }), 401, 'user_unauthorized');
    await projects.delete({ projectId: 'lab' });
    await rejectsWith(projects.get({ projectId: 'lab' }), 404, 'project_not_found');
  });

  test('the console’s variables, scopes, OAuth2 providers and default templates', async () => {
    const consoleApi = new Console(owner.client);
    const variables = await consoleApi.variables();
    assert.equal(variables._APP_DOMAIN_FUNCTIONS, 'functions.localhost');
    assert.equal(variables._APP_DOMAIN_SITES, 'sites.localhost');
    assert.equal(typeof variables._APP_STORAGE_LIMIT, 'number');
    const scopes = await jsonOf(server.request('/console/scopes/project', { project: CONSOLE }));
    assert.ok(scopes.scopes.some((scope: { $id: string; category: string; description: string }) => scope.$id === 'users.read' && scope.category === 'Auth' && scope.description !== ''));
    const providers = await jsonOf(server.request('/console/oauth2-providers', { project: CONSOLE }));
    const github = providers.oAuth2Providers.find((provider: { $id: string }) => provider.$id === 'github');
    assert.deepEqual(github?.parameters.map((parameter: { $id: string }) => parameter.$id), ['clientId', 'clientSecret']);
    const template = await jsonOf(server.request('/console/templates/email/recovery?locale=en', { project: CONSOLE }));
    assert.equal(template.templateId, 'recovery');
    assert.ok(template.subject.length > 0);
    await consoleApi.getResource({ value: 'shop.example.com', type: 'rules' as never });
    await rejectsWith(consoleApi.getResource({ value: 'functions.localhost', type: 'rules' as never }), 400, 'general_argument_invalid');
    await rejectsWith(consoleApi.getResource({ value: 'a.b.functions.localhost', type: 'rules' as never }), 400, 'general_argument_invalid');
    // A domain some project's rule holds is taken, whatever its case.
    await new Proxy(adminModeClient(server, owner, 'shop')).createAPIRule({ domain: 'api.shop.example' });
    await rejectsWith(consoleApi.getResource({ value: 'API.shop.example', type: 'rules' as never }), 409, 'resource_already_exists');
    await consoleApi.getResource({ value: 'www.shop.example', type: 'rules' as never });
    await rejectsWith(consoleApi.getResource({ value: 'denied.example', type: 'rules' as never }), 400, 'general_argument_invalid');
    const signedOut = await server.request('/console/variables', { project: CONSOLE });
    assert.equal(signedOut.status, 401);
  });

  test('`plinth project create` puts the project in the default organization, which the first administrator owns', async () => {
    const made = await server.cliJson(['project', 'create', '--id', 'from-cli', '--name', 'From CLI']);
    assert.equal(made.$id, 'from-cli');
    const team = await jsonOf(server.request('/teams/default', { project: CONSOLE, headers: { cookie: owner.cookie } }));
    assert.equal(team.$id, 'default');
    const members = await new Teams(owner.client).listMemberships({ teamId: 'default' });
    assert.deepEqual(members.memberships.map((member) => [member.userEmail, member.roles, member.confirm]), [['owner@example.com', ['owner'], true]]);
    assert.equal((await projects.get({ projectId: 'from-cli' })).teamId, 'default');
    // Later administrators join it as any organization, through its owners.
    await rejectsWith(new Projects(analyst.client).get({ projectId: 'from-cli' }), 401, 'user_unauthorized');
    const later = await signUpAdministrator(server, 'later@example.com');
    await rejectsWith(new Projects(later.client).get({ projectId: 'from-cli' }), 401, 'user_unauthorized');
    assert.equal((await server.cliJson(['project', 'create', '--id', 'from-cli-2', '--name', 'Again'])).$id, 'from-cli-2');
  });
});
