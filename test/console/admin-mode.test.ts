import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Account, AppwriteException, ID, Messaging, TablesDB, Teams, Users } from '@appwrite.io/console';
import type { PlinthEvent } from '../../src/infra/events/event-bus.js';
import { TestMailbox } from '../support/mailbox.js';
import { jsonOf, TestServer } from '../support/plinth.js';
import { acceptInvitation, CONSOLE, consoleClient, consoleCookie, INVITE_URL, sessionOf } from './helpers.js';

const PROJECT = 'storefront';

async function rejects(call: Promise<unknown>, code: number, type: string): Promise<void> {
  await assert.rejects(call, (error: AppwriteException) => {
    assert.ok(error instanceof AppwriteException, String(error));
    assert.equal(error.code, code, error.message);
    assert.equal(error.type, type, error.message);
    return true;
  });
}

describe('admin mode: an administrator’s console session acting on a project of their organization', () => {
  let server: TestServer;
  let mailbox: TestMailbox;
  let owner: string;
  let ownerId: string;
  let analyst: string;
  let outsider: string;
  let events: PlinthEvent[];

  before(async () => {
    mailbox = await TestMailbox.start();
    server = await TestServer.start({ env: { PLINTH_SMTP_URL: `smtp://mailer:mail-secret@127.0.0.1:${mailbox.port}`, PLINTH_RATE_LIMITS: 'off' } });
    const created = await server.cli(['admin', 'create', '--email', 'owner@example.com', '--password', 'owner password', '--name', 'Olive', '--json']);
    assert.equal(created.code, 0, created.stderr);
    ownerId = (JSON.parse(created.stdout) as { $id: string }).$id;
    owner = await consoleCookie(server, 'owner@example.com', 'owner password');

    // Organizations are teams of the console project; their creator is their owner.
    const teams = new Teams(consoleClient(server, owner));
    await teams.create({ teamId: 'acme', name: 'Acme' });
    await teams.create({ teamId: 'globex', name: 'Globex' });
    await teams.createMembership({ teamId: 'acme', roles: ['analyst'], email: 'ana@example.com', url: INVITE_URL });
    analyst = await acceptInvitation(server, mailbox, 1);
    await teams.createMembership({ teamId: 'globex', roles: ['owner'], email: 'otto@example.com', url: INVITE_URL });
    outsider = await acceptInvitation(server, mailbox, 2);

    await server.createProject(PROJECT, 'Storefront');
    await server.setProjectTeam(PROJECT, 'acme');
    events = server.recordEvents();
  });
  after(async () => {
    await server.stop();
    await mailbox.stop();
  });

  test('an owner reads and writes the project; row permissions do not limit them', async () => {
    const tables = new TablesDB(consoleClient(server, owner, PROJECT));
    await tables.create({ databaseId: 'shop', name: 'Shop' });
    await tables.createTable({ databaseId: 'shop', tableId: 'orders', name: 'Orders', rowSecurity: true, permissions: [] });
    await tables.createStringColumn({ databaseId: 'shop', tableId: 'orders', key: 'item', size: 64, required: false });
    await waitForColumn(tables, 'item');
    const row = await tables.createRow({ databaseId: 'shop', tableId: 'orders', rowId: 'o1', data: { item: 'lamp' }, permissions: [] });
    assert.deepEqual(row.$permissions, []);
    const listed = await tables.listRows({ databaseId: 'shop', tableId: 'orders' });
    assert.equal(listed.total, 1);

    const users = await new Users(consoleClient(server, owner, PROJECT)).list();
    assert.equal(users.total, 0, 'the project’s own users, not the administrators');

    // The change records who made it, for the audit log.
    const created = events.find((event) => event.names.includes('databases.shop.tables.orders.rows.o1.create'));
    assert.ok(created, 'the row event was published');
    assert.deepEqual(created.actor, { type: 'admin', userId: ownerId, email: 'owner@example.com' });
  });

  test('the CLI’s cookie line, or the session header, with X-Appwrite-Mode: admin', async () => {
    const asCli = await server.request('/tablesdb/shop/tables/orders/rows', {
      project: PROJECT,
      headers: { cookie: owner, 'x-appwrite-mode': 'admin' },
    });
    assert.equal(asCli.status, 200);
    assert.equal((await jsonOf(asCli)).total, 1);

    const byHeader = await server.request('/users', { project: PROJECT, headers: { 'x-appwrite-session': sessionOf(owner), 'x-appwrite-mode': 'admin' } });
    assert.equal(byHeader.status, 200);

    // Without admin mode the console session means nothing to the project: its caller is a guest.
    const plain = await jsonOf(server.request('/users', { project: PROJECT, headers: { cookie: owner } }));
    assert.equal(plain.type, 'general_unauthorized_scope');
  });

  test('an analyst reads but may not write', async () => {
    const tables = new TablesDB(consoleClient(server, analyst, PROJECT));
    assert.equal((await tables.listRows({ databaseId: 'shop', tableId: 'orders' })).total, 1);
    await rejects(tables.createRow({ databaseId: 'shop', tableId: 'orders', rowId: ID.unique(), data: { item: 'chair' } as object }), 401, 'general_unauthorized_scope');
    await rejects(tables.delete({ databaseId: 'shop' }), 401, 'general_unauthorized_scope');
  });

  test('a member of another organization gets the answer of a missing project', async () => {
    const tables = new TablesDB(consoleClient(server, outsider, PROJECT));
    await rejects(tables.list(), 404, 'project_not_found');
    await rejects(new TablesDB(consoleClient(server, owner, 'no-such-project')).list(), 404, 'project_not_found');
    // A project in no organization is nobody's in admin mode.
    await server.createProject('loose');
    await rejects(new TablesDB(consoleClient(server, owner, 'loose')).list(), 404, 'project_not_found');
  });

  test('owners manage their organization’s members; others may not', async () => {
    const asAnalyst = new Teams(consoleClient(server, analyst));
    await rejects(asAnalyst.createMembership({ teamId: 'acme', roles: ['owner'], email: 'mallory@example.com', url: INVITE_URL }), 401, 'user_unauthorized');
    // Each administrator lists the organizations they belong to.
    assert.deepEqual((await asAnalyst.list()).teams.map((team) => team.$id), ['acme']);
    assert.deepEqual((await new Teams(consoleClient(server, owner)).list()).teams.map((team) => team.$id).sort(), ['acme', 'default', 'globex']);
    const members = await new Teams(consoleClient(server, owner)).listMemberships({ teamId: 'acme' });
    assert.deepEqual(members.memberships.map((member) => member.roles).sort(), [['analyst'], ['owner']]);
  });

  test('developers change the structure, editors only the content, billing members nothing', async () => {
    const teams = new Teams(consoleClient(server, owner));
    const member = async (email: string, role: string, mail: number) => {
      await teams.createMembership({ teamId: 'acme', roles: [role], email, url: INVITE_URL });
      return acceptInvitation(server, mailbox, mail);
    };
    const developer = await member('dev@example.com', 'developer', 3);
    const editor = await member('ed@example.com', 'editor', 4);
    const billing = await member('bill@example.com', 'billing', 5);

    const asDeveloper = new TablesDB(consoleClient(server, developer, PROJECT));
    await asDeveloper.createTable({ databaseId: 'shop', tableId: 'notes', name: 'Notes' });
    await rejects(new Teams(consoleClient(server, developer)).createMembership({ teamId: 'acme', roles: ['owner'], email: 'eve@example.com', url: INVITE_URL }), 401, 'user_unauthorized');

    const asEditor = new TablesDB(consoleClient(server, editor, PROJECT));
    const row = await asEditor.createRow({ databaseId: 'shop', tableId: 'orders', rowId: 'o2', data: { item: 'desk' } as object });
    assert.equal(row.$id, 'o2');
    await rejects(asEditor.createTable({ databaseId: 'shop', tableId: 'drafts', name: 'Drafts' }), 401, 'general_unauthorized_scope');

    await rejects(new TablesDB(consoleClient(server, billing, PROJECT)).listRows({ databaseId: 'shop', tableId: 'orders' }), 401, 'general_unauthorized_scope');
  });

  test('the audit log names the administrator who made a change in admin mode', async () => {
    const messaging = new Messaging(consoleClient(server, owner, PROJECT));
    await messaging.createTopic({ topicId: 'news', name: 'News' });
    const [entry] = (await messaging.listTopicLogs({ topicId: 'news' })).logs;
    assert.deepEqual([entry?.event, entry?.userId, entry?.userEmail, entry?.mode], ['topic.create', ownerId, 'owner@example.com', 'admin']);
    assert.equal((entry as { userType?: string } | undefined)?.userType, 'admin');
  });

  test('an invitee who accepted sets a password and signs in with it', async () => {
    await new Account(consoleClient(server, analyst)).updatePassword({ password: 'analyst password' });
    const cookie = await consoleCookie(server, 'ana@example.com', 'analyst password');
    assert.equal((await new Account(consoleClient(server, cookie)).get()).email, 'ana@example.com');
  });

  test('a wrong password signs nobody in', async () => {
    const account = new Account(consoleClient(server, '', CONSOLE));
    await rejects(account.createEmailPasswordSession({ email: 'owner@example.com', password: 'not the password' }), 401, 'user_invalid_credentials');
  });
});

async function waitForColumn(tables: TablesDB, key: string): Promise<void> {
  for (;;) {
    const column = (await tables.getColumn({ databaseId: 'shop', tableId: 'orders', key })) as { status: string };
    if (column.status === 'available') return;
    assert.notEqual(column.status, 'failed');
    await new Promise((resolve) => setImmediate(resolve));
  }
}
