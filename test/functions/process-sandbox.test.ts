import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Functions } from 'node-appwrite';
import { TestServer } from '../support/plinth.js';
import { sdkClient } from '../support/sdk.js';
import { NODE_ECHO } from './fixtures.js';
import { deployFunction } from './deploy.js';

const PROJECT = 'plain';

/** Hosts without bubblewrap run functions as plain processes: they work, without isolation. */
describe('functions without a sandbox', () => {
  let server: TestServer;
  let functions: Functions;

  before(async () => {
    server = await TestServer.start({ env: { PLINTH_FUNCTIONS_SANDBOX: 'process' } });
    await server.createProject(PROJECT);
    functions = new Functions(sdkClient(server, PROJECT, await server.createKey(PROJECT)));
  });
  after(() => server?.stop());

  test('runs a function as a plain process with a clean environment', async () => {
    const { functionId, deployment } = await deployFunction(functions, { runtime: 'node-20.0', files: NODE_ECHO, entrypoint: 'index.js', commands: 'echo built here' });
    assert.equal(deployment.status, 'ready', deployment.buildLogs);
    assert.match(deployment.buildLogs, /built here/);
    const execution = await functions.createExecution({ functionId, xpath: '/?plain=1' });
    assert.equal(execution.status, 'completed', execution.errors);
    const answer = JSON.parse(execution.responseBody);
    assert.deepEqual(answer.query, { plain: '1' });
    assert.equal(answer.env.serverSecret, null, 'the server environment does not leak');
  });
});
