import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SignJWT } from 'jose';
import { ID, ProjectKeyScopes as Scopes, Query, type Project } from 'node-appwrite';
import { TestServer } from '../support/plinth.js';
import { assertAppwriteError, projectService, readServerSecret, untilPassed } from './keys-helpers.js';

describe('Project keys through node-appwrite', () => {
  let server: TestServer;
  let admin: Project;
  let adminKey: string;
  let otherAdminKey: string;

  before(async () => {
    server = await TestServer.start();
    await server.createProject('keys-app');
    await server.createProject('other-app');
    adminKey = await server.createKey('keys-app');
    admin = projectService(server, 'keys-app', adminKey);
    otherAdminKey = await server.createKey('other-app');
  });
  after(() => server.stop());

  it('creates a key with a custom id and shows its secret only once', async () => {
    const created = await admin.createKey({ keyId: 'backend', name: 'Backend', scopes: [Scopes.UsersRead, Scopes.KeysRead] });
    assert.equal(created.$id, 'backend');
    assert.equal(created.name, 'Backend');
    assert.deepEqual(created.scopes, ['users.read', 'keys.read']);
    assert.equal(created.expire, '');
    assert.match(created.secret, /^standard_[0-9a-f]{128}$/);
    assert.match(created.$createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/);

    const read = await admin.getKey({ keyId: 'backend' });
    assert.deepEqual({ ...read }, { ...created, secret: '' });
    const { total, keys } = await admin.listKeys();
    assert.equal(total, keys.length);
    assert.ok(keys.some((key) => key.$id === 'backend' && key.secret === ''));
  });

  it('generates an id for ID.unique() and keeps an expiry', async () => {
    const created = await admin.createKey({ keyId: ID.unique(), name: 'Temp', scopes: [], expire: '2099-01-02T03:04:05.000+00:00' });
    assert.match(created.$id, /^[0-9a-f]{20}$/);
    assert.equal(created.expire, '2099-01-02T03:04:05.000+00:00');
  });

  it('lets a new key do what its scopes allow, and nothing more', async () => {
    const { secret } = await admin.createKey({ keyId: 'reader', name: 'Reader', scopes: [Scopes.KeysRead] });
    const reader = projectService(server, 'keys-app', secret);
    assert.equal((await reader.getKey({ keyId: 'reader' })).name, 'Reader');
    const refused = await assertAppwriteError(
      reader.createKey({ keyId: 'escalate', name: 'x', scopes: [Scopes.KeysWrite] }),
      401,
      'general_unauthorized_scope',
    );
    assert.match(refused.message, /keys\.write/);
    await assertAppwriteError(reader.get(), 401, 'general_unauthorized_scope');
  });

  it('lets a key that manages keys grant only scopes it holds, on create, update and ephemeral keys', async () => {
    const { secret } = await admin.createKey({ keyId: 'manager', name: 'Manager', scopes: [Scopes.KeysWrite, Scopes.KeysRead, Scopes.UsersRead] });
    const manager = projectService(server, 'keys-app', secret);
    const beyond = [Scopes.UsersRead, Scopes.UsersWrite, Scopes.DatabasesWrite];

    const refused = await assertAppwriteError(manager.createKey({ keyId: 'escalated', name: 'x', scopes: beyond }), 401, 'general_unauthorized_scope');
    assert.match(refused.message, /users\.write/);
    assert.match(refused.message, /databases\.write/);
    await assertAppwriteError(admin.getKey({ keyId: 'escalated' }), 404, 'key_not_found');
    await assertAppwriteError(manager.createEphemeralKey({ scopes: beyond, duration: 60 }), 401, 'general_unauthorized_scope');

    const lesser = await manager.createKey({ keyId: 'lesser', name: 'Lesser', scopes: [Scopes.UsersRead] });
    assert.deepEqual(lesser.scopes, ['users.read']);
    await assertAppwriteError(manager.updateKey({ keyId: 'lesser', name: 'Lesser', scopes: beyond }), 401, 'general_unauthorized_scope');
    // Its own key too: a key cannot raise itself.
    await assertAppwriteError(manager.updateKey({ keyId: 'manager', name: 'Manager', scopes: [Scopes.KeysWrite, Scopes.UsersWrite] }), 401, 'general_unauthorized_scope');
    assert.deepEqual((await admin.getKey({ keyId: 'lesser' })).scopes, ['users.read']);
    assert.deepEqual((await admin.getKey({ keyId: 'manager' })).scopes, ['keys.write', 'keys.read', 'users.read']);

    const ephemeral = await manager.createEphemeralKey({ scopes: [Scopes.KeysRead], duration: 60 });
    assert.deepEqual(ephemeral.scopes, ['keys.read']);
  });

  it('refuses a duplicate id with key_already_exists', async () => {
    await admin.createKey({ keyId: 'twice', name: 'One', scopes: [] });
    await assertAppwriteError(admin.createKey({ keyId: 'twice', name: 'Two', scopes: [] }), 409, 'key_already_exists');
  });

  it('refuses unknown scopes, bad ids and bad names with general_argument_invalid', async () => {
    const bad = (body: Record<string, unknown>) => assertAppwriteError(admin.createKey(body as never), 400, 'general_argument_invalid');
    const error = await bad({ keyId: 'bad-scope', name: 'x', scopes: ['users.read', 'root.everything'] });
    assert.match(error.message, /root\.everything/);
    await bad({ keyId: '_leading', name: 'x', scopes: [] });
    await bad({ keyId: 'a'.repeat(37), name: 'x', scopes: [] });
    await bad({ keyId: 'no-name', name: '', scopes: [] });
    await bad({ keyId: 'long-name', name: 'n'.repeat(129), scopes: [] });
    await bad({ keyId: 'bad-expire', name: 'x', scopes: [], expire: 'next tuesday' });
    await bad({ keyId: 'many', name: 'x', scopes: Array.from({ length: 101 }, () => 'users.read') });
    const missing = await server.request('/project/keys', {
      method: 'POST',
      project: 'keys-app',
      key: adminKey,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ keyId: 'no-scopes', name: 'x' }),
    });
    assert.equal(missing.status, 400);
    assert.match(((await missing.json()) as { message: string }).message, /scopes/);
  });

  it('updates name, scopes and expiry; an update without expiry clears it', async () => {
    const created = await admin.createKey({ keyId: 'changing', name: 'Before', scopes: [Scopes.UsersRead], expire: '2099-01-01T00:00:00.000+00:00' });
    const updated = await admin.updateKey({ keyId: 'changing', name: 'After', scopes: [Scopes.KeysRead, Scopes.KeysWrite], expire: '2098-06-01T00:00:00.000Z' });
    assert.equal(updated.name, 'After');
    assert.deepEqual(updated.scopes, ['keys.read', 'keys.write']);
    assert.equal(updated.expire, '2098-06-01T00:00:00.000+00:00');
    assert.equal(updated.secret, '');
    assert.equal(updated.$createdAt, created.$createdAt);
    // The secret keeps working with the new scopes.
    const changed = projectService(server, 'keys-app', created.secret);
    assert.equal((await changed.getKey({ keyId: 'changing' })).name, 'After');

    const cleared = await admin.updateKey({ keyId: 'changing', name: 'After', scopes: [] });
    assert.equal(cleared.expire, '');
    await assertAppwriteError(changed.getKey({ keyId: 'changing' }), 401, 'general_unauthorized_scope');
    await assertAppwriteError(admin.updateKey({ keyId: 'changing', name: 'x', scopes: ['nope'] as never }), 400, 'general_argument_invalid');
  });

  it('answers key_not_found for an unknown key id on get, update and delete', async () => {
    await assertAppwriteError(admin.getKey({ keyId: 'missing' }), 404, 'key_not_found');
    await assertAppwriteError(admin.updateKey({ keyId: 'missing', name: 'x', scopes: [] }), 404, 'key_not_found');
    await assertAppwriteError(admin.deleteKey({ keyId: 'missing' }), 404, 'key_not_found');
  });

  it('stops a deleted key at once', async () => {
    const { secret } = await admin.createKey({ keyId: 'short-lived', name: 'Gone soon', scopes: [Scopes.KeysRead] });
    const doomed = projectService(server, 'keys-app', secret);
    await doomed.listKeys();
    const deleted = await server.request('/project/keys/short-lived', { method: 'DELETE', project: 'keys-app', key: adminKey });
    assert.equal(deleted.status, 204);
    assert.equal(await deleted.text(), '');
    // A guest now: the scope check fails, not the key lookup.
    await assertAppwriteError(doomed.listKeys(), 401, 'general_unauthorized_scope');
    await assertAppwriteError(admin.getKey({ keyId: 'short-lived' }), 404, 'key_not_found');
  });

  it('refuses an expired key with project_key_expired, from the moment it expires', async () => {
    const past = await admin.createKey({ keyId: 'expired', name: 'Old', scopes: [Scopes.KeysRead], expire: '2001-01-01T00:00:00.000+00:00' });
    await assertAppwriteError(projectService(server, 'keys-app', past.secret).listKeys(), 401, 'project_key_expired');

    const soon = await admin.createKey({
      keyId: 'expiring',
      name: 'Soon',
      scopes: [Scopes.KeysRead],
      expire: new Date(Date.now() + 1000).toISOString(),
    });
    const expiring = projectService(server, 'keys-app', soon.secret);
    await expiring.listKeys();
    await untilPassed(soon.expire);
    await assertAppwriteError(expiring.listKeys(), 401, 'project_key_expired');
  });

  it("keeps one project's keys out of another's reach", async () => {
    const other = projectService(server, 'other-app', otherAdminKey);
    await other.createKey({ keyId: 'other-only', name: 'Other', scopes: [] });
    await assertAppwriteError(admin.getKey({ keyId: 'other-only' }), 404, 'key_not_found');
    await assertAppwriteError(admin.deleteKey({ keyId: 'other-only' }), 404, 'key_not_found');
    assert.ok(!(await admin.listKeys()).keys.some((key) => key.$id === 'other-only'));
    // The other project's secret is an unknown key here: the caller is a guest.
    await assertAppwriteError(projectService(server, 'keys-app', otherAdminKey).listKeys(), 401, 'general_unauthorized_scope');
    assert.equal((await other.getKey({ keyId: 'other-only' })).name, 'Other');
  });

  it('filters, orders and pages the list with queries', async () => {
    const fresh = projectService(server, 'other-app', otherAdminKey);
    for (const name of ['alpha', 'bravo', 'charlie']) await fresh.createKey({ keyId: `q-${name}`, name, scopes: [name === 'bravo' ? Scopes.UsersWrite : Scopes.UsersRead] });
    const byName = await fresh.listKeys({ queries: [Query.equal('name', 'bravo')] });
    assert.equal(byName.total, 1);
    assert.equal(byName.keys[0]?.$id, 'q-bravo');
    const byScope = await fresh.listKeys({ queries: [Query.startsWith('name', 'a'), Query.contains('scopes', 'users.read')] });
    assert.deepEqual(byScope.keys.map((key) => key.$id), ['q-alpha']);
    const notWriters = await fresh.listKeys({ queries: [Query.notEqual('scopes', 'users.write'), Query.isNull('expire'), Query.orderDesc('name')] });
    assert.ok(!notWriters.keys.some((key) => key.$id === 'q-bravo'));
    assert.deepEqual(notWriters.keys.filter((key) => key.$id.startsWith('q-')).map((key) => key.$id), ['q-charlie', 'q-alpha']);
    const page = await fresh.listKeys({ queries: [Query.startsWith('name', ''), Query.orderDesc('name'), Query.limit(1), Query.offset(1)] });
    assert.ok(page.total >= 3);
    assert.equal(page.keys.length, 1);
    const noTotal = await fresh.listKeys({ queries: [Query.limit(2)], total: false });
    assert.equal(noTotal.total, 0);
    assert.equal(noTotal.keys.length, 2);
    await assertAppwriteError(fresh.listKeys({ queries: [Query.equal('secret', 'x')] }), 400, 'general_argument_invalid');
    await assertAppwriteError(fresh.listKeys({ queries: ['not json'] }), 400, 'general_argument_invalid');
    const after = await fresh.listKeys({ queries: [Query.orderAsc('name'), Query.cursorAfter('q-alpha'), Query.limit(1)] });
    assert.deepEqual(after.keys.map((key) => key.$id), ['q-bravo']);
    const before = await fresh.listKeys({ queries: [Query.orderAsc('name'), Query.cursorBefore('q-charlie'), Query.limit(1)] });
    assert.deepEqual(before.keys.map((key) => key.$id), ['q-bravo']);
    await assertAppwriteError(fresh.listKeys({ queries: [Query.cursorAfter('nope')] }), 400, 'general_cursor_not_found');
    // An order naming no attribute is the stored order, as the CLI sends it.
    const storedOrder = async (query: object) =>
      (await fresh.listKeys({ queries: [Query.startsWith('name', ''), JSON.stringify(query)] })).keys.map((key) => key.$id).filter((id) => id.startsWith('q-'));
    assert.deepEqual(await storedOrder({ method: 'orderDesc', values: ['$id'] }), ['q-charlie', 'q-bravo', 'q-alpha']);
    assert.deepEqual(await storedOrder({ method: 'orderAsc' }), ['q-alpha', 'q-bravo', 'q-charlie']);
  });
});

describe('Ephemeral keys through node-appwrite', () => {
  let server: TestServer;
  let admin: Project;

  before(async () => {
    server = await TestServer.start();
    await server.createProject('eph-app');
    await server.createProject('eph-other');
    admin = projectService(server, 'eph-app', await server.createKey('eph-app'));
  });
  after(() => server.stop());

  it('creates a key that works for its scopes until it expires, then gets api_key_expired', async () => {
    const key = await admin.createEphemeralKey({ scopes: [Scopes.KeysRead], duration: 1 });
    assert.match(key.secret, /^ephemeral_[\w-]+\.[\w-]+\.[\w-]+$/);
    assert.deepEqual(key.scopes, ['keys.read']);
    assert.ok(Date.parse(key.expire) - Date.now() >= 900, 'lives at least the duration asked for');
    assert.ok(Date.parse(key.expire) - Date.now() <= 2100);

    const ephemeral = projectService(server, 'eph-app', key.secret);
    const listed = await ephemeral.listKeys();
    assert.ok(!listed.keys.some((stored) => stored.$id === key.$id), 'ephemeral keys are not stored');
    // `dynamic_` is the older name of the same key type.
    await projectService(server, 'eph-app', key.secret.replace(/^ephemeral_/, 'dynamic_')).listKeys();
    await assertAppwriteError(ephemeral.get(), 401, 'general_unauthorized_scope');

    await untilPassed(key.expire);
    await assertAppwriteError(ephemeral.listKeys(), 401, 'api_key_expired');
  });

  it('is a guest in another project', async () => {
    const key = await admin.createEphemeralKey({ scopes: [Scopes.KeysRead], duration: 60 });
    await assertAppwriteError(projectService(server, 'eph-other', key.secret).listKeys(), 401, 'general_unauthorized_scope');
  });

  it('refuses forged and tampered tokens as unknown keys', async () => {
    const claims = { projectId: 'eph-app', scopes: ['keys.read'] };
    const sign = (payload: Record<string, unknown>, secret: Uint8Array, aud = 'plinth:ephemeral-key', exp: number | string = '1h') =>
      new SignJWT(payload).setProtectedHeader({ alg: 'HS256' }).setAudience(aud).setIssuedAt().setExpirationTime(exp).sign(secret);

    const wrongSecret = await sign(claims, new Uint8Array(32).fill(7));
    await assertAppwriteError(projectService(server, 'eph-app', `ephemeral_${wrongSecret}`).listKeys(), 401, 'general_unauthorized_scope');
    // Expired and forged: unknown, not expired.
    const forgedExpired = await sign(claims, new Uint8Array(32).fill(7), undefined, Math.floor(Date.now() / 1000) - 10);
    await assertAppwriteError(projectService(server, 'eph-app', `ephemeral_${forgedExpired}`).listKeys(), 401, 'general_unauthorized_scope');

    const genuine = (await admin.createEphemeralKey({ scopes: [Scopes.KeysRead], duration: 60 })).secret.slice('ephemeral_'.length);
    const [header, , signature] = genuine.split('.');
    const widened = Buffer.from(JSON.stringify({ ...claims, scopes: ['keys.read', 'keys.write'], aud: 'plinth:ephemeral-key', exp: 9999999999 })).toString('base64url');
    const tampered = `ephemeral_${header}.${widened}.${signature}`;
    await assertAppwriteError(projectService(server, 'eph-app', tampered).createKey({ keyId: 'x', name: 'x', scopes: [] }), 401, 'general_unauthorized_scope');

    // Signed with the server secret but not an ephemeral key (another token's audience): refused.
    const otherToken = await sign(claims, await readServerSecret(server), 'plinth:user-jwt');
    await assertAppwriteError(projectService(server, 'eph-app', `ephemeral_${otherToken}`).listKeys(), 401, 'general_unauthorized_scope');
    // The same with the right audience is a key: the test signs it as the server would.
    const serverSigned = await sign(claims, await readServerSecret(server));
    await projectService(server, 'eph-app', `ephemeral_${serverSigned}`).listKeys();
    await assertAppwriteError(projectService(server, 'eph-app', 'ephemeral_not-a-jwt').listKeys(), 401, 'general_unauthorized_scope');
    await assertAppwriteError(projectService(server, 'eph-app', 'organization_abc').listKeys(), 401, 'general_unauthorized_scope');
  });

  it('validates scopes and duration (1 to 3600 seconds)', async () => {
    const bad = (scopes: string[], duration: number) => assertAppwriteError(admin.createEphemeralKey({ scopes: scopes as never, duration }), 400, 'general_argument_invalid');
    await bad(['keys.read'], 0);
    await bad(['keys.read'], 3601);
    await bad(['keys.read'], 1.5);
    await bad(['root'], 60);
    const longest = await admin.createEphemeralKey({ scopes: [], duration: 3600 });
    assert.ok(Date.parse(longest.expire) - Date.now() > 3599_000);
  });

  it('needs keys.write', async () => {
    const { secret } = await admin.createKey({ keyId: 'reader', name: 'Reader', scopes: [Scopes.KeysRead] });
    await assertAppwriteError(
      projectService(server, 'eph-app', secret).createEphemeralKey({ scopes: [Scopes.KeysRead], duration: 60 }),
      401,
      'general_unauthorized_scope',
    );
  });
});
