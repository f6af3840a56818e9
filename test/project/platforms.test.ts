import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Project, Query } from 'node-appwrite';
import { jsonOf, TestServer } from '../support/plinth.js';
import { rejectsWith, sdkClient } from '../support/sdk.js';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+00:00$/;

describe('project platforms through node-appwrite', () => {
  let server: TestServer;
  let project: Project;
  let key: string;

  before(async () => {
    server = await TestServer.start();
    await server.createProject('plat');
    key = await server.createKey('plat', 'platforms.read,platforms.write');
    project = new Project(sdkClient(server, 'plat', key));
  });
  after(() => server.stop());

  it('creates a platform of each type, each in the model of its type', async () => {
    const web = await project.createWebPlatform({ platformId: 'site', name: 'Site', hostname: 'App.Example.com' });
    assert.deepEqual(Object.keys(web).sort(), ['$createdAt', '$id', '$updatedAt', 'hostname', 'name', 'type']);
    assert.equal(web.$id, 'site');
    assert.equal(web.type, 'web');
    assert.equal(web.hostname, 'app.example.com');
    assert.match(web.$createdAt, ISO);
    assert.equal(web.$updatedAt, web.$createdAt);

    const apple = await project.createApplePlatform({ platformId: 'ios', name: 'iOS', bundleIdentifier: 'com.example.ios' });
    assert.deepEqual(Object.keys(apple).sort(), ['$createdAt', '$id', '$updatedAt', 'bundleIdentifier', 'name', 'type']);
    assert.equal(apple.bundleIdentifier, 'com.example.ios');
    const android = await project.createAndroidPlatform({ platformId: 'droid', name: 'Android', applicationId: 'com.example.droid' });
    assert.equal(android.applicationId, 'com.example.droid');
    assert.equal(android.type, 'android');
    const windows = await project.createWindowsPlatform({ platformId: 'win', name: 'Windows', packageIdentifierName: 'Example.Win' });
    assert.equal(windows.packageIdentifierName, 'Example.Win');
    const linux = await project.createLinuxPlatform({ platformId: 'tux', name: 'Linux', packageName: 'example-linux' });
    assert.equal(linux.packageName, 'example-linux');
    assert.equal(linux.type, 'linux');
  });

  it('answers 201 to a creation and generates an id for unique()', async () => {
    const response = await server.request('/project/platforms/web', {
      method: 'POST',
      project: 'plat',
      key,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ platformId: 'unique()', name: 'Generated', hostname: 'gen.example.com' }),
    });
    assert.equal(response.status, 201);
    const body = await jsonOf(response);
    assert.match(body.$id, /^[0-9a-f]{20}$/);
    await project.deletePlatform({ platformId: body.$id });
  });

  it('lists every platform in the model of its own type', async () => {
    const list = await project.listPlatforms();
    assert.equal(list.total, 5);
    const byId = new Map(list.platforms.map((platform) => [platform.$id, platform as unknown as Record<string, string>]));
    assert.deepEqual([...byId.keys()], ['site', 'ios', 'droid', 'win', 'tux']);
    assert.equal(byId.get('site')!.hostname, 'app.example.com');
    assert.equal(byId.get('ios')!.bundleIdentifier, 'com.example.ios');
    assert.equal(byId.get('ios')!.hostname, undefined);
    assert.equal(byId.get('droid')!.applicationId, 'com.example.droid');
    assert.equal(byId.get('win')!.packageIdentifierName, 'Example.Win');
    assert.equal(byId.get('tux')!.packageName, 'example-linux');
  });

  it('filters and pages the list with queries, and skips the count on total=false', async () => {
    const apps = await project.listPlatforms({ queries: [Query.notEqual('type', 'web'), Query.limit(2)] });
    assert.equal(apps.total, 4);
    assert.deepEqual(apps.platforms.map((p) => p.$id), ['ios', 'droid']);
    const next = await project.listPlatforms({ queries: [Query.notEqual('type', 'web'), Query.cursorAfter('droid')] });
    assert.deepEqual(next.platforms.map((p) => p.$id), ['win', 'tux']);
    const byIdentifier = await project.listPlatforms({ queries: [Query.equal('bundleIdentifier', 'com.example.ios')] });
    assert.deepEqual(byIdentifier.platforms.map((p) => p.$id), ['ios']);
    const uncounted = await project.listPlatforms({ queries: [Query.offset(4)], total: false });
    assert.equal(uncounted.total, 0);
    assert.deepEqual(uncounted.platforms.map((p) => p.$id), ['tux']);
    await rejectsWith(project.listPlatforms({ queries: [Query.equal('secret', 'x')] }), 400, 'general_query_invalid');
    await rejectsWith(project.listPlatforms({ queries: ['not json'] }), 400, 'general_query_invalid');
  });

  it('gets one platform by id', async () => {
    const android = await project.getPlatform({ platformId: 'droid' });
    assert.equal(android.type, 'android');
    assert.equal((android as unknown as Record<string, string>).applicationId, 'com.example.droid');
  });

  it('updates a platform through the route of its type', async () => {
    const before = await project.getPlatform({ platformId: 'site' });
    await new Promise((done) => setTimeout(done, 5));
    const web = await project.updateWebPlatform({ platformId: 'site', name: 'Website', hostname: 'www.example.com' });
    assert.equal(web.name, 'Website');
    assert.equal(web.hostname, 'www.example.com');
    assert.equal(web.$createdAt, before.$createdAt);
    assert.ok(web.$updatedAt > before.$updatedAt);
    assert.equal(((await project.getPlatform({ platformId: 'site' })) as unknown as Record<string, string>).hostname, 'www.example.com');

    assert.equal((await project.updateApplePlatform({ platformId: 'ios', name: 'iPhone', bundleIdentifier: 'com.example.iphone' })).bundleIdentifier, 'com.example.iphone');
    assert.equal((await project.updateAndroidPlatform({ platformId: 'droid', name: 'A', applicationId: 'com.example.a' })).applicationId, 'com.example.a');
    assert.equal((await project.updateWindowsPlatform({ platformId: 'win', name: 'W', packageIdentifierName: 'Example.W' })).packageIdentifierName, 'Example.W');
    assert.equal((await project.updateLinuxPlatform({ platformId: 'tux', name: 'L', packageName: 'example-l' })).packageName, 'example-l');
  });

  it('refuses to update a platform through another type\'s route with platform_method_unsupported', async () => {
    await rejectsWith(project.updateApplePlatform({ platformId: 'site', name: 'X', bundleIdentifier: 'com.x' }), 400, 'platform_method_unsupported');
    await rejectsWith(project.updateWebPlatform({ platformId: 'ios', name: 'X', hostname: 'x.example.com' }), 400, 'platform_method_unsupported');
    assert.equal((await project.getPlatform({ platformId: 'ios' })).name, 'iPhone');
  });

  it('refuses a duplicate id with platform_already_exists, even in another project', async () => {
    await rejectsWith(project.createAndroidPlatform({ platformId: 'site', name: 'Dup', applicationId: 'com.dup' }), 409, 'platform_already_exists');
    await server.createProject('other');
    const other = new Project(sdkClient(server, 'other', await server.createKey('other', 'platforms.read,platforms.write')));
    await rejectsWith(other.createWebPlatform({ platformId: 'site', name: 'Dup', hostname: 'dup.example.com' }), 409, 'platform_already_exists');
    // Nor can one project read, change or delete another's platform.
    await rejectsWith(other.getPlatform({ platformId: 'site' }), 404, 'platform_not_found');
    await rejectsWith(other.updateWebPlatform({ platformId: 'site', name: 'X', hostname: 'x.example.com' }), 404, 'platform_not_found');
    await rejectsWith(other.deletePlatform({ platformId: 'site' }), 404, 'platform_not_found');
    assert.equal((await other.listPlatforms()).total, 0);
  });

  it('answers platform_not_found for an unknown id on every route', async () => {
    await rejectsWith(project.getPlatform({ platformId: 'nope' }), 404, 'platform_not_found');
    await rejectsWith(project.deletePlatform({ platformId: 'nope' }), 404, 'platform_not_found');
    await rejectsWith(project.updateWebPlatform({ platformId: 'nope', name: 'X', hostname: 'x.example.com' }), 404, 'platform_not_found');
    await rejectsWith(project.updateLinuxPlatform({ platformId: 'nope', name: 'X', packageName: 'x' }), 404, 'platform_not_found');
  });

  it('accepts hostnames and *. wildcards, and refuses schemes, ports, paths and junk', async () => {
    for (const hostname of ['localhost', '127.0.0.1', '*.example.org', 'a-b.c_d.example']) {
      const created = await project.createWebPlatform({ platformId: 'unique()', name: 'Ok', hostname });
      assert.equal(created.hostname, hostname);
      await project.deletePlatform({ platformId: created.$id });
    }
    for (const hostname of ['https://example.com', 'example.com:3000', 'example.com/app', '', '*', 'exa mple.com', '-bad.example.com', 'a..b', '*.*.example.com', 'x'.repeat(254)]) {
      await rejectsWith(project.createWebPlatform({ platformId: 'unique()', name: 'Bad', hostname }), 400, 'general_argument_invalid');
    }
    await rejectsWith(project.updateWebPlatform({ platformId: 'site', name: 'Bad', hostname: 'http://example.com' }), 400, 'general_argument_invalid');
  });

  it('refuses bad ids, names and identifiers with general_argument_invalid', async () => {
    await rejectsWith(project.createWebPlatform({ platformId: '_bad', name: 'X', hostname: 'x.example.com' }), 400, 'general_argument_invalid');
    await rejectsWith(project.createWebPlatform({ platformId: 'a'.repeat(37), name: 'X', hostname: 'x.example.com' }), 400, 'general_argument_invalid');
    await rejectsWith(project.createApplePlatform({ platformId: 'unique()', name: '', bundleIdentifier: 'com.x' }), 400, 'general_argument_invalid');
    await rejectsWith(project.createApplePlatform({ platformId: 'unique()', name: 'x'.repeat(129), bundleIdentifier: 'com.x' }), 400, 'general_argument_invalid');
    await rejectsWith(project.createAndroidPlatform({ platformId: 'unique()', name: 'X', applicationId: '' }), 400, 'general_argument_invalid');
    await rejectsWith(project.createLinuxPlatform({ platformId: 'unique()', name: 'X', packageName: 'p'.repeat(257) }), 400, 'general_argument_invalid');
  });

  it('names a missing or mistyped parameter', async () => {
    const post = (path: string, body: unknown) =>
      server.request(path, { method: 'POST', project: 'plat', key, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const missing = await jsonOf(post('/project/platforms/web', { platformId: 'm', name: 'M' }));
    assert.equal(missing.type, 'general_argument_invalid');
    assert.equal(missing.message, 'Param "hostname" is not optional.');
    const wrongField = await jsonOf(post('/project/platforms/apple', { platformId: 'm', name: 'M', hostname: 'm.example.com' }));
    assert.equal(wrongField.message, 'Param "bundleIdentifier" is not optional.');
    const wrongType = await post('/project/platforms/android', { platformId: 'm', name: 42, applicationId: 'com.m' });
    assert.equal(wrongType.status, 400);
    assert.equal((await jsonOf(wrongType)).type, 'general_argument_invalid');
    const noName = await server.request('/project/platforms/linux/tux', {
      method: 'PUT', project: 'plat', key, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ packageName: 'x' }),
    });
    assert.equal((await jsonOf(noName)).message, 'Param "name" is not optional.');
    const unknownType = await post('/project/platforms/flutter', { platformId: 'm', name: 'M' });
    assert.equal(unknownType.status, 404);
    assert.equal((await jsonOf(unknownType)).type, 'general_route_not_found');
  });

  it('needs platforms.read to read and platforms.write to change (401 otherwise)', async () => {
    const reader = new Project(sdkClient(server, 'plat', await server.createKey('plat', 'platforms.read')));
    assert.equal((await reader.getPlatform({ platformId: 'site' })).$id, 'site');
    await rejectsWith(reader.createWebPlatform({ platformId: 'unique()', name: 'X', hostname: 'x.example.com' }), 401, 'general_unauthorized_scope');
    await rejectsWith(reader.updateWebPlatform({ platformId: 'site', name: 'X', hostname: 'x.example.com' }), 401, 'general_unauthorized_scope');
    await rejectsWith(reader.deletePlatform({ platformId: 'site' }), 401, 'general_unauthorized_scope');

    const writer = new Project(sdkClient(server, 'plat', await server.createKey('plat', 'platforms.write')));
    await rejectsWith(writer.listPlatforms(), 401, 'general_unauthorized_scope');
    await rejectsWith(writer.getPlatform({ platformId: 'site' }), 401, 'general_unauthorized_scope');

    const projectScopes = new Project(sdkClient(server, 'plat', await server.createKey('plat', 'project.read,project.write')));
    await rejectsWith(projectScopes.listPlatforms(), 401, 'general_unauthorized_scope');
    const guest = new Project(sdkClient(server, 'plat'));
    await rejectsWith(guest.listPlatforms(), 401, 'general_unauthorized_scope');
  });

  it('deletes a platform with 204', async () => {
    const response = await server.request('/project/platforms/tux', { method: 'DELETE', project: 'plat', key });
    assert.equal(response.status, 204);
    assert.equal(await response.text(), '');
    await rejectsWith(project.getPlatform({ platformId: 'tux' }), 404, 'platform_not_found');
    assert.equal((await project.listPlatforms()).total, 4);
  });

  it('grants CORS to a web platform\'s origin only while the platform exists', async () => {
    const origin = 'https://shop.example.net';
    const call = () => server.request('/locale/continents', { project: 'plat', headers: { Origin: origin } });

    const before = await call();
    assert.equal(before.status, 403);
    assert.equal(before.headers.get('access-control-allow-origin'), null);
    assert.equal((await jsonOf(before)).type, 'general_unknown_origin');

    await project.createWebPlatform({ platformId: 'shop', name: 'Shop', hostname: 'shop.example.net' });
    const during = await call();
    assert.equal(during.status, 200);
    assert.equal(during.headers.get('access-control-allow-origin'), origin);
    assert.equal(during.headers.get('access-control-allow-credentials'), 'true');

    await project.updateWebPlatform({ platformId: 'shop', name: 'Shop', hostname: 'store.example.net' });
    assert.equal((await call()).status, 403);
    await project.updateWebPlatform({ platformId: 'shop', name: 'Shop', hostname: 'shop.example.net' });
    assert.equal((await call()).status, 200);

    await project.deletePlatform({ platformId: 'shop' });
    const afterDelete = await call();
    assert.equal(afterDelete.status, 403);
    assert.equal(afterDelete.headers.get('access-control-allow-origin'), null);
  });

  it('grants no CORS for an app platform\'s identifier', async () => {
    await project.createApplePlatform({ platformId: 'hosty', name: 'Looks like a host', bundleIdentifier: 'looks.example.net' });
    const response = await server.request('/locale/continents', { project: 'plat', headers: { Origin: 'https://looks.example.net' } });
    assert.equal(response.status, 403);
  });
});
