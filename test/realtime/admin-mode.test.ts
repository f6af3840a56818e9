import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Account, Client, Projects, Teams } from '@appwrite.io/console';
import { TablesDB, Teams as ServerTeams, Users as ServerUsers } from 'node-appwrite';
import { waitForSchema } from '../databases/helpers.js';
import { TestMailbox } from '../support/mailbox.js';
import { TestServer } from '../support/plinth.js';
import { sdkClient } from '../support/sdk.js';
import { consoleCookie } from '../console/helpers.js';
import { joinOrganization, signUpAdministrator, type Administrator } from '../console/organization-helpers.js';
import { RealtimeSocket } from './socket.js';

const PROJECT = 'storefront';
const ROW = { databaseId: 'shop', tableId: 'orders' };

describe('realtime in admin mode: administrators of the project’s organization receive every event', () => {
  let server: TestServer;
  let mailbox: TestMailbox;
  let tables: TablesDB;
  let owner: Administrator;
  let outsider: Administrator;
  const open: RealtimeSocket[] = [];

  async function listen(headers: Record<string, string>, query = `project=${PROJECT}`) {
    return listenTo(query, headers);
  }
  async function listenTo(query: string, headers: Record<string, string>) {
    const result = await RealtimeSocket.connect(server.endpoint, query, headers);
    open.push(result.socket);
    const answer = await result.socket.subscribe('orders', ['rows']);
    assert.equal(answer.type, 'response', JSON.stringify(answer));
    return result;
  }
  const adminMode = (admin: Administrator) => ({ Cookie: admin.cookie, 'X-Appwrite-Mode': 'admin' });

  before(async () => {
    mailbox = await TestMailbox.start();
    server = await TestServer.start({
      env: {
        PLINTH_SMTP_URL: `smtp://mailer:mail-secret@127.0.0.1:${mailbox.port}`,
        PLINTH_CONSOLE_SIGNUP: 'open',
        PLINTH_REALTIME_CONNECTIONS_PER_MINUTE: '0',
        PLINTH_RATE_LIMITS: 'off',
      },
    });
    owner = await signUpAdministrator(server, 'owner@example.com');
    outsider = await signUpAdministrator(server, 'otto@example.com');
    await new Teams(owner.client).create({ teamId: 'acme', name: 'Acme' });
    await new Teams(outsider.client).create({ teamId: 'globex', name: 'Globex' });
    await server.createProject(PROJECT, 'Storefront');
    await server.setProjectTeam(PROJECT, 'acme');
    tables = new TablesDB(sdkClient(server, PROJECT, await server.createKey(PROJECT)));
    await tables.create({ databaseId: ROW.databaseId, name: 'Shop' });
    // Row security on and no permission anywhere: only keys and administrators read these rows.
    await tables.createTable({ ...ROW, name: 'Orders', rowSecurity: true, permissions: [] });
    await tables.createStringColumn({ ...ROW, key: 'item', size: 64, required: false });
    await waitForSchema(tables, ROW.databaseId, ROW.tableId);
  });
  after(async () => {
    for (const socket of open) socket.close();
    await server.stop();
    await mailbox.stop();
  });

  test('the console session in admin mode (header, or mode=admin in the URL as a browser sends it) receives private rows whole', async () => {
    const byHeader = await listen(adminMode(owner));
    assert.equal(byHeader.connected.data.user?.email, 'owner@example.com', 'connected names the administrator');
    const byUrl = await listen({ Cookie: owner.cookie }, `project=${PROJECT}&mode=admin`);
    // Without admin mode the console cookie is not the project's: a guest.
    const plain = await listen({ Cookie: owner.cookie });
    assert.equal(plain.connected.data.user, null);

    await tables.createRow({ ...ROW, rowId: 'o1', data: { item: 'lamp' }, permissions: [] });
    for (const { socket } of [byHeader, byUrl]) {
      const event = await socket.nextOf('event');
      assert.ok(event.data.events.includes('databases.shop.tables.orders.rows.o1.create'));
      assert.equal(event.data.payload.item, 'lamp');
      assert.deepEqual(event.data.subscriptions, ['orders']);
    }
    await plain.socket.assertNothingBefore('a guest reads no private row');
  });

  test('an administrator receives a membership whole while the project hides its members’ emails from users', async () => {
    const key = await server.createKey(PROJECT);
    const hidden = await server.request('/project/policies/membership-privacy', {
      method: 'PATCH',
      project: PROJECT,
      key,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userEmail: false }),
    });
    assert.equal(hidden.status, 200, await hidden.text());
    const { socket } = await RealtimeSocket.connect(server.endpoint, `project=${PROJECT}`, adminMode(owner));
    open.push(socket);
    assert.equal((await socket.subscribe('members', ['memberships'])).type, 'response');
    const teams = new ServerTeams(sdkClient(server, PROJECT, key));
    await new ServerUsers(sdkClient(server, PROJECT, key)).create({ userId: 'max', email: 'max@example.com' });
    await teams.create({ teamId: 'crew', name: 'Crew' });
    await teams.createMembership({ teamId: 'crew', roles: ['reader'], userId: 'max' });
    const event = await socket.nextOf('event');
    assert.equal(event.data.payload.userEmail, 'max@example.com');
  });

  test('an administrator of another organization is refused as for a missing project', async () => {
    const socket = await RealtimeSocket.open(server.endpoint, `project=${PROJECT}`, adminMode(outsider));
    const refused = await socket.next();
    assert.deepEqual(refused, { type: 'error', data: { code: 1008, message: 'Missing or unknown project ID' } });
    assert.equal((await socket.closed).code, 1008);
    // A bad console session in admin mode proves nobody: a guest, as over REST.
    const forged = await listen({ Cookie: 'a_session_console=forged', 'X-Appwrite-Mode': 'admin' });
    assert.equal(forged.connected.data.user, null);
  });

  test('signing out of the console ends the connection’s administrator rights', async () => {
    // A second sign-in of the owner, ended while its socket stays open.
    const cookie = (await consoleCookie(server, owner.email, 'console password')).split(';')[0]!;
    const signedIn = await listen({ Cookie: cookie, 'X-Appwrite-Mode': 'admin' });
    await tables.createRow({ ...ROW, rowId: 'o2', data: { item: 'desk' }, permissions: [] });
    assert.equal((await signedIn.socket.nextOf('event')).data.payload.item, 'desk');

    await new Account(new Client().setEndpoint(server.endpoint).setProject('console').setCookie(cookie)).deleteSession({ sessionId: 'current' });
    // The sign-out is judged before the next event reaches the socket.
    const watcher = await listen(adminMode(owner));
    await tables.createRow({ ...ROW, rowId: 'o3', data: { item: 'chair' }, permissions: [] });
    assert.equal((await watcher.socket.nextOf('event')).data.payload.item, 'chair');
    await signedIn.socket.assertNothingBefore('a signed-out administrator reads no private row');
  });

  test('an administrator’s `account` hears every project user, as a key reads them; another user’s `account.<id>` is dropped, as in Appwrite', async () => {
    const key = await server.createKey(PROJECT);
    const users = new ServerUsers(sdkClient(server, PROJECT, key));
    await users.create({ userId: 'mia', email: 'mia@example.com' });
    const { socket } = await RealtimeSocket.connect(server.endpoint, `project=${PROJECT}`, adminMode(owner));
    open.push(socket);
    // Appwrite binds `account` to the connection's own user and drops every other `account.<id>`;
    // an administrator is no user of the project, and reads its users' events through `account` as a key would.
    assert.equal((await socket.subscribe('one', ['account.mia'])).type, 'response');
    assert.equal((await socket.subscribe('all', ['account'])).type, 'response');
    await users.updateName({ userId: 'mia', name: 'Mia' });
    const event = await socket.nextOf('event');
    assert.ok(event.data.events.includes('users.mia.update.name'));
    assert.deepEqual(event.data.subscriptions, ['all']);
  });

  test('a project moved to another organization: the old organization’s administrators stop receiving, the new one’s may connect', async () => {
    const KIOSK = 'kiosk';
    const ann = await signUpAdministrator(server, 'ann@example.com');
    await joinOrganization(mailbox, owner, 'acme', ann, ['developer']);
    // The owner of Acme joins Globex too, so they may move a project there.
    await joinOrganization(mailbox, outsider, 'globex', owner, ['owner']);
    await server.createProject(KIOSK, 'Kiosk');
    await server.setProjectTeam(KIOSK, 'acme');
    const kiosk = new TablesDB(sdkClient(server, KIOSK, await server.createKey(KIOSK)));
    await kiosk.create({ databaseId: ROW.databaseId, name: 'Shop' });
    await kiosk.createTable({ ...ROW, name: 'Orders', rowSecurity: true, permissions: [] });
    await kiosk.createStringColumn({ ...ROW, key: 'item', size: 64, required: false });
    await waitForSchema(kiosk, ROW.databaseId, ROW.tableId);

    const refused = await RealtimeSocket.open(server.endpoint, `project=${KIOSK}`, adminMode(outsider));
    assert.equal((await refused.closed).code, 1008, 'Globex’s administrator has no access yet');
    const old = await listenTo(`project=${KIOSK}`, adminMode(ann));
    await kiosk.createRow({ ...ROW, rowId: 'k1', data: { item: 'till' }, permissions: [] });
    assert.equal((await old.socket.nextOf('event')).data.payload.item, 'till');

    const moved = await new Projects(owner.client).updateTeam({ projectId: KIOSK, teamId: 'globex' });
    assert.equal(moved.teamId, 'globex');
    // The move is judged before the next event reaches Ann's socket.
    const fresh = await listenTo(`project=${KIOSK}`, adminMode(outsider));
    assert.equal(fresh.connected.data.user?.email, 'otto@example.com');
    await kiosk.createRow({ ...ROW, rowId: 'k2', data: { item: 'scale' }, permissions: [] });
    assert.equal((await fresh.socket.nextOf('event')).data.payload.item, 'scale');
    await old.socket.assertNothingBefore('an administrator of the old organization reads no private row');
  });
});
