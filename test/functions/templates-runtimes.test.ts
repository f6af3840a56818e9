// @engine-independent: a template's code answers the same whatever engine stores the function; templates.test.ts covers both engines.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ExecutionMethod, Functions, type Models } from 'node-appwrite';
import { jsonOf, TestServer } from '../support/plinth.js';
import { testRuntimesDir } from '../support/runtimes-cache.js';
import { sdkClient } from '../support/sdk.js';
import { deployFunction } from './deploy.js';
import { filesOf, TEMPLATES_DIR } from './fixtures.js';

const PROJECT = 'template-runtimes';
/** One runtime per family beside Node.js and Python (templates.test.ts): one the host has or the tests' cache keeps. */
const RUNTIMES = ['bun-1.3', 'deno-2.6', 'python-ml-3.11', 'php-8.2', 'ruby-3.1', 'go-1.19', 'java-17.0', 'cpp-20', 'rust-1.83'];

/** A runtime of Appwrite's templateFunction model. */
interface TemplateRuntime {
  name: string;
  commands: string;
  entrypoint: string;
  providerRootDirectory: string;
}

describe('the starter template of every runtime family builds as listed and answers', () => {
  let server: TestServer;
  let functions: Functions;
  const deployed = new Map<string, Promise<{ functionId: string; deployment: Models.Deployment }>>();

  before(async () => {
    server = await TestServer.start({ env: { PLINTH_FUNCTIONS_RUNTIMES_DIR: testRuntimesDir() } });
    await server.createProject(PROJECT);
    functions = new Functions(sdkClient(server, PROJECT, await server.createKey(PROJECT)));
    const offered = new Set((await functions.listRuntimes()).runtimes.map((runtime) => runtime.$id));
    const starter: { runtimes: TemplateRuntime[] } = await jsonOf(server.request('/functions/templates/starter', { project: PROJECT }));
    for (const runtime of RUNTIMES) {
      const listed = starter.runtimes.find((one) => one.name === runtime);
      assert.ok(listed, `the starter lists ${runtime}`);
      if (!offered.has(runtime)) continue;
      // Built side by side, each with the commands and entrypoint the template names.
      const build = deployFunction(functions, {
        runtime,
        files: filesOf(join(TEMPLATES_DIR, listed.providerRootDirectory)),
        entrypoint: listed.entrypoint,
        commands: listed.commands,
      });
      build.catch(() => {});
      deployed.set(runtime, build);
    }
  });
  after(() => server?.stop());

  for (const runtime of RUNTIMES) {
    test(runtime, async (t) => {
      const build = deployed.get(runtime);
      if (!build) return t.skip(`${runtime} is not offered on this host`);
      const { functionId, deployment } = await build;
      assert.equal(deployment.status, 'ready', deployment.buildLogs);
      const pong = await functions.createExecution({ functionId, xpath: '/ping' });
      assert.equal(pong.responseBody, 'Pong', pong.errors);
      const greeting = await functions.createExecution({ functionId, xpath: '/hello', method: ExecutionMethod.GET });
      assert.equal(greeting.status, 'completed', greeting.errors);
      assert.deepEqual(JSON.parse(greeting.responseBody), { greeting: 'Hello from your starter function', path: '/hello' });
      assert.match(greeting.logs, /Called with GET \/hello/);
    });
  }

  test('python-ml-3.11 starter summarises numbers with NumPy', async (t) => {
    const build = deployed.get('python-ml-3.11');
    if (!build) return t.skip('python-ml-3.11 is not offered on this host');
    const { functionId } = await build;
    const stats = await functions.createExecution({
      functionId,
      xpath: '/',
      method: ExecutionMethod.POST,
      body: JSON.stringify({ values: [2, 4, 6] }),
      headers: { 'content-type': 'application/json' },
    });
    assert.deepEqual(JSON.parse(stats.responseBody), { count: 3, mean: 4, std: Math.sqrt(8 / 3) }, stats.errors);
  });
});
