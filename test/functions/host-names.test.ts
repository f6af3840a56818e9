import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Functions } from 'node-appwrite';
import { TestServer } from '../support/plinth.js';
import { sdkClient } from '../support/sdk.js';
import { deployFunction, rawRequest } from './deploy.js';

/** Answers which project it runs in. */
const WHO_AM_I = {
  'index.js': "module.exports = async ({ res }) => res.json({ project: process.env.APPWRITE_FUNCTION_PROJECT_ID, fn: process.env.APPWRITE_FUNCTION_ID });",
};

describe('function host names across projects', () => {
  let server: TestServer;
  const projects = ['hosts-one', 'hosts-two'];

  before(async () => {
    server = await TestServer.start();
    for (const project of projects) {
      await server.createProject(project);
      const functions = new Functions(sdkClient(server, project, await server.createKey(project)));
      // The same function id in both projects; anyone may call it.
      await deployFunction(functions, { functionId: 'Shared', runtime: 'node-20.0', files: WHO_AM_I, entrypoint: 'index.js', execute: ['any'] });
    }
  });
  after(() => server?.stop());

  test('the bare id goes to the first project; `<id>-<project>` reaches each one', async () => {
    const bare = await rawRequest(server.endpoint, 'shared.functions.localhost', '/');
    assert.deepEqual(JSON.parse(bare.body), { project: 'hosts-one', fn: 'Shared' });
    for (const project of projects) {
      const own = await rawRequest(server.endpoint, `shared-${project}.functions.localhost`, '/');
      assert.equal(own.status, 200, own.body);
      assert.deepEqual(JSON.parse(own.body), { project, fn: 'Shared' });
    }
    const nested = await rawRequest(server.endpoint, 'a.shared.functions.localhost', '/');
    assert.equal(nested.status, 404, 'a deeper name is no function host');
  });

  test('deleting the first frees the bare id; the second keeps its own name', async () => {
    const functions = new Functions(sdkClient(server, 'hosts-one', await server.createKey('hosts-one')));
    await functions.delete({ functionId: 'Shared' });
    const bare = await rawRequest(server.endpoint, 'shared.functions.localhost', '/');
    assert.equal(bare.status, 404);
    const second = await rawRequest(server.endpoint, 'shared-hosts-two.functions.localhost', '/');
    assert.deepEqual(JSON.parse(second.body), { project: 'hosts-two', fn: 'Shared' });
  });
});
