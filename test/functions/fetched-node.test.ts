import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Functions } from 'node-appwrite';
import { TestServer } from '../support/plinth.js';
import { sdkClient } from '../support/sdk.js';
import { NODE_BUILT, NODE_STARTER } from './fixtures.js';
import { deployFunction } from './deploy.js';

const PROJECT = 'fetched';

/** Node majors this host lacks come from the npm registry on first use: opt in with PLINTH_TEST_FETCH_NODE=1. */
describe('a Node.js runtime fetched from the npm registry', { skip: process.env.PLINTH_TEST_FETCH_NODE !== '1' }, () => {
  let server: TestServer;
  let functions: Functions;

  before(async () => {
    server = await TestServer.start();
    await server.createProject(PROJECT);
    functions = new Functions(sdkClient(server, PROJECT, await server.createKey(PROJECT)));
  });
  after(() => server?.stop());

  test('node-22 builds with its own Node and runs the starter', async () => {
    const built = await deployFunction(functions, {
      runtime: 'node-22',
      files: { 'build.cjs': NODE_BUILT['build.js'], ...NODE_STARTER },
      entrypoint: 'src/main.js',
      commands: 'node --version && node build.cjs',
    });
    assert.equal(built.deployment.status, 'ready', built.deployment.buildLogs);
    assert.match(built.deployment.buildLogs, /v22\./);
    const execution = await functions.createExecution({ functionId: built.functionId, xpath: '/ping' });
    assert.equal(execution.responseBody, 'Pong', execution.errors);
  });
});
