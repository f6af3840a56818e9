import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Project, Query } from 'node-appwrite';
import { findVariable } from '../../src/data/platform/variables.js';
import { openDatabase } from '../../src/data/open-database.js';
import { jsonOf, TestServer } from '../support/plinth.js';
import { rejectsWith, sdkClient } from '../support/sdk.js';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+00:00$/;

describe('project variables through node-appwrite', () => {
  let server: TestServer;
  let project: Project;
  let key: string;

  before(async () => {
    server = await TestServer.start();
    await server.createProject('vars');
    key = await server.createKey('vars', 'project.read,project.write');
    project = new Project(sdkClient(server, 'vars', key));
  });
  after(() => server.stop());

  it('creates a plain variable and answers 201 with its model', async () => {
    const created = await project.createVariable({ variableId: 'db-host', key: 'DB_HOST', value: 'db.internal:5432', secret: false });
    assert.deepEqual(Object.keys(created).sort(), ['$createdAt', '$id', '$updatedAt', 'key', 'resourceId', 'resourceType', 'secret', 'value']);
    assert.equal(created.$id, 'db-host');
    assert.equal(created.key, 'DB_HOST');
    assert.equal(created.value, 'db.internal:5432');
    assert.equal(created.secret, false);
    assert.equal(created.resourceType, 'project');
    assert.equal(created.resourceId, '');
    assert.match(created.$createdAt, ISO);

    const raw = await server.request('/project/variables', {
      method: 'POST',
      project: 'vars',
      key,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ variableId: 'unique()', key: 'RAW', value: '', secret: false }),
    });
    assert.equal(raw.status, 201);
    const body = await jsonOf(raw);
    assert.match(body.$id, /^[0-9a-f]{20}$/);
    assert.equal(body.value, '');
    await project.deleteVariable({ variableId: body.$id });
  });

  it('makes a variable secret unless told otherwise, and never returns a secret value', async () => {
    const created = await project.createVariable({ variableId: 'api-key', key: 'API_KEY', value: 'sk_live_123' });
    assert.equal(created.secret, true);
    assert.equal(created.value, '');
    assert.equal((await project.getVariable({ variableId: 'api-key' })).value, '');
    const listed = (await project.listVariables()).variables.find((variable) => variable.$id === 'api-key');
    assert.equal(listed?.value, '');
    const updated = await project.updateVariable({ variableId: 'api-key', value: 'sk_live_456' });
    assert.equal(updated.value, '');
    assert.equal(updated.secret, true);
  });

  it('stores values encrypted, secret or not', async () => {
    const db = openDatabase({ url: server.env.PLINTH_DB, dataDir: server.dataDir });
    try {
      for (const [id, plain] of [['db-host', 'db.internal:5432'], ['api-key', 'sk_live_456']] as const) {
        const row = await findVariable(db.platform, 'vars', id);
        assert.ok(row, id);
        assert.ok(!row.value.includes(plain), id);
        assert.match(row.value, /^v1:/);
      }
    } finally {
      await db.close();
    }
  });

  it('gets and lists variables', async () => {
    const one = await project.getVariable({ variableId: 'db-host' });
    assert.equal(one.value, 'db.internal:5432');
    const list = await project.listVariables();
    assert.equal(list.total, 2);
    assert.deepEqual(list.variables.map((variable) => variable.$id), ['db-host', 'api-key']);
    const secrets = await project.listVariables({ queries: [Query.equal('secret', true)] });
    assert.deepEqual(secrets.variables.map((variable) => variable.key), ['API_KEY']);
    const byKey = await project.listVariables({ queries: [Query.equal('key', 'DB_HOST')], total: false });
    assert.equal(byKey.total, 0);
    assert.deepEqual(byKey.variables.map((variable) => variable.$id), ['db-host']);
    const page = await project.listVariables({ queries: [Query.limit(1), Query.offset(1)] });
    assert.equal(page.total, 2);
    assert.deepEqual(page.variables.map((variable) => variable.$id), ['api-key']);
    await rejectsWith(project.listVariables({ queries: [Query.equal('value', 'x')] }), 400, 'general_query_invalid');
    await rejectsWith(project.listVariables({ queries: [Query.cursorAfter('nope')] }), 400, 'general_cursor_not_found');
  });

  it('updates only what is given', async () => {
    const before = await project.getVariable({ variableId: 'db-host' });
    await new Promise((done) => setTimeout(done, 5));
    const renamed = await project.updateVariable({ variableId: 'db-host', key: 'DATABASE_HOST' });
    assert.equal(renamed.key, 'DATABASE_HOST');
    assert.equal(renamed.value, 'db.internal:5432');
    assert.equal(renamed.$createdAt, before.$createdAt);
    assert.ok(renamed.$updatedAt > before.$updatedAt);
    const revalued = await project.updateVariable({ variableId: 'db-host', value: 'db2.internal' });
    assert.equal(revalued.key, 'DATABASE_HOST');
    assert.equal(revalued.value, 'db2.internal');
    assert.equal((await project.getVariable({ variableId: 'db-host' })).value, 'db2.internal');
  });

  it('turns a plain variable secret, but never a secret one back (variable_cannot_unset_secret)', async () => {
    await project.createVariable({ variableId: 'token', key: 'TOKEN', value: 'plain', secret: false });
    const secret = await project.updateVariable({ variableId: 'token', secret: true });
    assert.equal(secret.secret, true);
    assert.equal(secret.value, '');
    await rejectsWith(project.updateVariable({ variableId: 'token', secret: false }), 400, 'variable_cannot_unset_secret');
    await rejectsWith(project.updateVariable({ variableId: 'token', value: 'x', secret: false }), 400, 'variable_cannot_unset_secret');
    assert.equal((await project.getVariable({ variableId: 'token' })).secret, true);
  });

  it('refuses an update that changes nothing with general_argument_invalid', async () => {
    await rejectsWith(project.updateVariable({ variableId: 'db-host' }), 400, 'general_argument_invalid');
    const nulls = await server.request('/project/variables/db-host', {
      method: 'PUT',
      project: 'vars',
      key,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ key: null, value: null, secret: null }),
    });
    assert.equal(nulls.status, 400);
    assert.equal((await jsonOf(nulls)).type, 'general_argument_invalid');
  });

  it('refuses a duplicate id or key with variable_already_exists', async () => {
    await rejectsWith(project.createVariable({ variableId: 'db-host', key: 'OTHER', value: 'x' }), 409, 'variable_already_exists');
    await rejectsWith(project.createVariable({ variableId: 'unique()', key: 'DATABASE_HOST', value: 'x' }), 409, 'variable_already_exists');
    await rejectsWith(project.updateVariable({ variableId: 'token', key: 'DATABASE_HOST' }), 409, 'variable_already_exists');
    assert.equal((await project.getVariable({ variableId: 'token' })).key, 'TOKEN');
    // Keeping its own key is no conflict.
    assert.equal((await project.updateVariable({ variableId: 'token', key: 'TOKEN' })).key, 'TOKEN');
  });

  it('keeps projects apart: the same id and key may exist in another project', async () => {
    await server.createProject('vars2');
    const other = new Project(sdkClient(server, 'vars2', await server.createKey('vars2', 'project.read,project.write')));
    const created = await other.createVariable({ variableId: 'db-host', key: 'DATABASE_HOST', value: 'elsewhere', secret: false });
    assert.equal(created.value, 'elsewhere');
    assert.equal((await project.getVariable({ variableId: 'db-host' })).value, 'db2.internal');
    assert.equal((await other.listVariables()).total, 1);
    await rejectsWith(other.getVariable({ variableId: 'token' }), 404, 'variable_not_found');
    await rejectsWith(other.deleteVariable({ variableId: 'token' }), 404, 'variable_not_found');
  });

  it('answers variable_not_found for an unknown id on every route', async () => {
    await rejectsWith(project.getVariable({ variableId: 'nope' }), 404, 'variable_not_found');
    await rejectsWith(project.updateVariable({ variableId: 'nope', value: 'x' }), 404, 'variable_not_found');
    await rejectsWith(project.deleteVariable({ variableId: 'nope' }), 404, 'variable_not_found');
  });

  it('refuses bad ids, keys, values and types with general_argument_invalid', async () => {
    await rejectsWith(project.createVariable({ variableId: '-bad', key: 'K', value: 'v' }), 400, 'general_argument_invalid');
    await rejectsWith(project.createVariable({ variableId: 'unique()', key: '', value: 'v' }), 400, 'general_argument_invalid');
    await rejectsWith(project.createVariable({ variableId: 'unique()', key: 'K'.repeat(256), value: 'v' }), 400, 'general_argument_invalid');
    await rejectsWith(project.createVariable({ variableId: 'unique()', key: 'BIG', value: 'v'.repeat(8193) }), 400, 'general_argument_invalid');
    await rejectsWith(project.updateVariable({ variableId: 'db-host', value: 'v'.repeat(8193) }), 400, 'general_argument_invalid');
    assert.equal((await project.createVariable({ variableId: 'unique()', key: 'MAX', value: 'v'.repeat(8192), secret: false })).value.length, 8192);

    const post = (body: unknown) =>
      server.request('/project/variables', { method: 'POST', project: 'vars', key, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const missing = await jsonOf(post({ variableId: 'm', key: 'M' }));
    assert.equal(missing.type, 'general_argument_invalid');
    assert.equal(missing.message, 'Param "value" is not optional.');
    const wrongType = await post({ variableId: 'm', key: 'M', value: 'v', secret: 'yes' });
    assert.equal(wrongType.status, 400);
    assert.equal((await jsonOf(wrongType)).type, 'general_argument_invalid');
  });

  it('needs project.read to read and project.write to change (401 otherwise)', async () => {
    const reader = new Project(sdkClient(server, 'vars', await server.createKey('vars', 'project.read')));
    assert.equal((await reader.getVariable({ variableId: 'db-host' })).key, 'DATABASE_HOST');
    await rejectsWith(reader.createVariable({ variableId: 'unique()', key: 'R', value: 'v' }), 401, 'general_unauthorized_scope');
    await rejectsWith(reader.updateVariable({ variableId: 'db-host', value: 'v' }), 401, 'general_unauthorized_scope');
    await rejectsWith(reader.deleteVariable({ variableId: 'db-host' }), 401, 'general_unauthorized_scope');
    const writer = new Project(sdkClient(server, 'vars', await server.createKey('vars', 'project.write')));
    await rejectsWith(writer.listVariables(), 401, 'general_unauthorized_scope');
    await rejectsWith(writer.getVariable({ variableId: 'db-host' }), 401, 'general_unauthorized_scope');
    const platforms = new Project(sdkClient(server, 'vars', await server.createKey('vars', 'platforms.read,platforms.write')));
    await rejectsWith(platforms.listVariables(), 401, 'general_unauthorized_scope');
    await rejectsWith(new Project(sdkClient(server, 'vars')).listVariables(), 401, 'general_unauthorized_scope');
  });

  it('deletes a variable with 204', async () => {
    const response = await server.request('/project/variables/token', { method: 'DELETE', project: 'vars', key });
    assert.equal(response.status, 204);
    assert.equal(await response.text(), '');
    await rejectsWith(project.getVariable({ variableId: 'token' }), 404, 'variable_not_found');
    // Its key is free again.
    assert.equal((await project.createVariable({ variableId: 'token', key: 'TOKEN', value: 'again', secret: false })).value, 'again');
  });
});
