import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Functions } from 'node-appwrite';
import { jsonOf, TestServer } from '../support/plinth.js';
import { sdkClient } from '../support/sdk.js';
import { deployFunction } from './deploy.js';

const PROJECT = 'templates';
const TEMPLATES_DIR = new URL('../../templates/functions/', import.meta.url).pathname;
/** The fields of Appwrite's templateFunction model, all required. */
const MODEL_FIELDS = [
  'icon', 'id', 'name', 'tagline', 'permissions', 'events', 'cron', 'timeout', 'useCases', 'runtimes',
  'instructions', 'vcsProvider', 'providerRepositoryId', 'providerOwner', 'providerVersion', 'variables', 'scopes',
];

/** Every file under a template folder, by its path inside it. */
function filesOf(dir: string, prefix = ''): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) Object.assign(files, filesOf(path, `${prefix}${name}/`));
    else files[`${prefix}${name}`] = readFileSync(path, 'utf8');
  }
  return files;
}

describe('function templates', () => {
  let server: TestServer;
  let key: string;

  before(async () => {
    server = await TestServer.start();
    await server.createProject(PROJECT);
    key = await server.createKey(PROJECT);
  });
  after(() => server.stop());

  const get = (path: string) => jsonOf(server.request(path, { project: PROJECT }));

  test('lists this server\'s own starter in Appwrite\'s model, to guests too, with its code in the repository', async () => {
    const list = await get('/functions/templates');
    assert.equal(list.total, 1);
    const [starter] = list.templates;
    assert.deepEqual(Object.keys(starter).sort(), [...MODEL_FIELDS].sort());
    assert.equal(starter.id, 'starter');
    const families = new Set(starter.runtimes.map((runtime: { name: string }) => runtime.name.split('-')[0]));
    assert.deepEqual([...families].sort(), ['node', 'python']);
    for (const runtime of starter.runtimes) {
      const dir = join(TEMPLATES_DIR, runtime.providerRootDirectory);
      assert.ok(existsSync(join(dir, runtime.entrypoint)), `${runtime.name}: ${runtime.providerRootDirectory}/${runtime.entrypoint}`);
    }
    assert.deepEqual(await get('/functions/templates/starter'), starter);
  });

  test('filters by runtimes and use cases, pages, and skips the count when asked', async () => {
    assert.equal((await get('/functions/templates?runtimes[]=python-3.12')).total, 1);
    assert.equal((await get('/functions/templates?runtimes[]=ruby-3.3')).total, 0);
    assert.equal((await get('/functions/templates?useCases[]=starter&useCases[]=ai')).total, 1);
    assert.equal((await get('/functions/templates?useCases[]=ai')).total, 0);
    const paged = await get('/functions/templates?offset=1&total=false');
    assert.deepEqual(paged, { total: 0, templates: [] });
    const badCase = await get('/functions/templates?useCases[]=games');
    assert.equal(badCase.type, 'general_argument_invalid');
    const badLimit = await get('/functions/templates?limit=5001');
    assert.equal(badLimit.type, 'general_argument_invalid');
  });

  test('answers an unknown template with function_template_not_found', async () => {
    const body = await get('/functions/templates/nope');
    assert.equal(body.code, 404);
    assert.equal(body.type, 'function_template_not_found');
  });

  test('the Node starter deploys and answers, executed with string scalars as form-minded SDKs send them', async () => {
    const functions = new Functions(sdkClient(server, PROJECT, key));
    const { functionId, deployment } = await deployFunction(functions, {
      runtime: 'node-20.0',
      files: filesOf(join(TEMPLATES_DIR, 'node/starter')),
      entrypoint: 'src/main.js',
    });
    assert.equal(deployment.status, 'ready');
    const response = await server.request(`/functions/${functionId}/executions`, {
      method: 'POST',
      project: PROJECT,
      key,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ async: 'false', path: '/ping', method: 'GET', body: '' }),
    });
    const execution = await jsonOf(response);
    assert.equal(response.status, 201, execution.message);
    assert.equal(execution.responseBody, 'Pong');
  });

  test('the Python starter deploys and answers its greeting', async () => {
    const functions = new Functions(sdkClient(server, PROJECT, key));
    const { functionId, deployment } = await deployFunction(functions, {
      runtime: 'python-3.11',
      files: filesOf(join(TEMPLATES_DIR, 'python/starter')),
      entrypoint: 'src/main.py',
    });
    assert.equal(deployment.status, 'ready');
    const execution = await functions.createExecution({ functionId, xpath: '/hello' });
    assert.equal(execution.status, 'completed', execution.errors);
    assert.deepEqual(JSON.parse(execution.responseBody), { greeting: 'Hello from your starter function', path: '/hello' });
  });
});
