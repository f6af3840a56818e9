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

  test('the bare id goes to the first project; `<id>--<project>` reaches each one', async () => {
    const bare = await rawRequest(server.endpoint, 'shared.functions.localhost', '/');
    assert.deepEqual(JSON.parse(bare.body), { project: 'hosts-one', fn: 'Shared' });
    for (const project of projects) {
      const own = await rawRequest(server.endpoint, `shared--${project}.functions.localhost`, '/');
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
    const second = await rawRequest(server.endpoint, 'shared--hosts-two.functions.localhost', '/');
    assert.deepEqual(JSON.parse(second.body), { project: 'hosts-two', fn: 'Shared' });
  });

  test('another project cannot take the host a function is promised, whatever ids it picks first', async () => {
    const squatter = new Functions(sdkClient(server, 'hosts-two', await server.createKey('hosts-two')));
    // Ids that read as `billing` of hosts-one under a single or a double hyphen, created before it exists.
    for (const functionId of ['billing-hosts-one', 'billing--hosts-one']) {
      await squatter.create({ functionId, name: functionId, runtime: 'node-20.0' as never, execute: ['any'] });
    }
    const owner = new Functions(sdkClient(server, 'hosts-one', await server.createKey('hosts-one')));
    await deployFunction(owner, { functionId: 'billing', runtime: 'node-20.0', files: WHO_AM_I, entrypoint: 'index.js', execute: ['any'] });
    const promised = await rawRequest(server.endpoint, 'billing--hosts-one.functions.localhost', '/');
    assert.equal(promised.status, 200, promised.body);
    assert.deepEqual(JSON.parse(promised.body), { project: 'hosts-one', fn: 'billing' });
    // An id with `--` gets no bare name: only its own long form, which no other function's can equal.
    const squatted = await rawRequest(server.endpoint, 'billing--hosts-one--hosts-two.functions.localhost', '/');
    assert.notEqual(squatted.status, 200);
    assert.notEqual(JSON.parse(squatted.body).type, 'function_not_found', 'the squatter\'s function answers on its own long form');
  });
});
