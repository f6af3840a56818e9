import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AppwriteException, ID, Project, TablesDB, Users } from 'node-appwrite';
import { TestServer } from '../support/plinth.js';
import { rejectsWith, sdkClient } from '../support/sdk.js';

describe('Routes accept any of the scope names Appwrite lists for them', () => {
  let server: TestServer;
  let userId: string;

  before(async () => {
    server = await TestServer.start();
    await server.createProject('scopes-app');
    const admin = sdkClient(server, 'scopes-app', await server.createKey('scopes-app'));
    userId = (await new Users(admin).create({ userId: ID.unique(), email: 'scoped@example.com', password: 'password-123' })).$id;
    await new TablesDB(admin).create({ databaseId: 'db', name: 'DB' });
  });
  after(() => server.stop());

  async function clientWith(scopes: string) {
    return sdkClient(server, 'scopes-app', await server.createKey('scopes-app', scopes));
  }

  it('updates and reads the policies with project.policies.* as with policies.*', async () => {
    const newer = new Project(await clientWith('project.policies.write,project.policies.read'));
    const older = new Project(await clientWith('policies.write'));
    await newer.updatePasswordDictionaryPolicy({ enabled: true });
    await older.updatePasswordDictionaryPolicy({ enabled: true });
    const policies = await newer.listPolicies();
    assert.ok(policies.total > 0);
  });

  it('names every accepted scope when a key holds none of them', async () => {
    const project = new Project(await clientWith('users.read'));
    try {
      await project.updatePasswordDictionaryPolicy({ enabled: true });
      assert.fail('the call succeeded');
    } catch (error) {
      assert.ok(error instanceof AppwriteException);
      assert.equal(error.code, 401);
      assert.equal(error.type, 'general_unauthorized_scope');
      assert.match(error.message, /missing scopes \(\["policies\.write","project\.policies\.write"\]\)/);
    }
  });

  it("lists and deletes a user's sessions with the sessions scopes alone", async () => {
    const users = new Users(await clientWith('sessions.read,sessions.write'));
    await users.createSession({ userId });
    assert.equal((await users.listSessions({ userId })).total, 1);
    await users.deleteSessions({ userId });
    assert.equal((await users.listSessions({ userId })).total, 0);
    await rejectsWith(users.get({ userId }), 401, 'general_unauthorized_scope');
  });

  it('manages tables, columns, indexes and rows with the legacy collection scopes', async () => {
    const tables = new TablesDB(await clientWith('collections.write,collections.read,documents.write,documents.read'));
    await tables.createTable({ databaseId: 'db', tableId: 'legacy', name: 'Legacy', permissions: [] });
    await tables.createStringColumn({ databaseId: 'db', tableId: 'legacy', key: 'title', size: 32, required: false });
    assert.equal((await tables.listColumns({ databaseId: 'db', tableId: 'legacy' })).total, 1);
    const columnsOnly = new TablesDB(await clientWith('columns.read'));
    assert.equal((await columnsOnly.listColumns({ databaseId: 'db', tableId: 'legacy' })).total, 1);
    await rejectsWith(columnsOnly.listIndexes({ databaseId: 'db', tableId: 'legacy' }), 401, 'general_unauthorized_scope');
  });
});
