import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Functions, ID } from 'node-appwrite';
import { TestServer } from '../support/plinth.js';
import { rejectsWith, sdkClient } from '../support/sdk.js';

const PROJECT = 'offering';

describe('PLINTH_FUNCTIONS_RUNTIMES narrows the runtimes a server offers', () => {
  let server: TestServer;
  let functions: Functions;

  before(async () => {
    server = await TestServer.start({ env: { PLINTH_FUNCTIONS_RUNTIMES: 'node-20.0, python-3.11,deno-2.6' } });
    await server.createProject(PROJECT);
    functions = new Functions(sdkClient(server, PROJECT, await server.createKey(PROJECT)));
  });
  after(() => server?.stop());

  test('lists only those, of the ones this host has', async () => {
    const listed = (await functions.listRuntimes()).runtimes.map((runtime) => runtime.$id);
    assert.deepEqual(listed, ['node-20.0', 'python-3.11', 'deno-2.6'].filter((id) => id !== 'python-3.11' || listed.includes(id)));
  });

  test('refuses another, saying the setting leaves it out', async () => {
    const create = () => functions.create({ functionId: ID.unique(), name: 'left out', runtime: 'node-22' as never });
    await rejectsWith(create(), 404, 'function_runtime_unsupported');
    await assert.rejects(create(), /PLINTH_FUNCTIONS_RUNTIMES leaves it out/);
  });
});
