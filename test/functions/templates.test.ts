import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Functions } from 'node-appwrite';
import { jsonOf, TestServer } from '../support/plinth.js';
import { sdkClient } from '../support/sdk.js';
import { deployFunction } from './deploy.js';
import { filesOf, TEMPLATES_DIR } from './fixtures.js';

const PROJECT = 'templates';
/** The fields of Appwrite's templateFunction model, all required. */
const MODEL_FIELDS = [
  'icon', 'id', 'name', 'tagline', 'permissions', 'events', 'cron', 'timeout', 'useCases', 'runtimes',
  'instructions', 'vcsProvider', 'providerRepositoryId', 'providerOwner', 'providerVersion', 'variables', 'scopes',
];

/** A pure-Python wheel holding one module, made with Python's own zipfile (pip installs it with no index). */
function wheelOf(name: string, version: string, source: string): Buffer {
  const script = [
    'import sys, zipfile, io',
    'name, version, source = sys.argv[1:4]',
    'info = f"{name}-{version}.dist-info"',
    'out = io.BytesIO()',
    'with zipfile.ZipFile(out, "w") as wheel:',
    '    wheel.writestr(f"{name}.py", source)',
    '    wheel.writestr(f"{info}/METADATA", f"Metadata-Version: 2.1\\nName: {name}\\nVersion: {version}\\n")',
    '    wheel.writestr(f"{info}/WHEEL", "Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n")',
    '    wheel.writestr(f"{info}/RECORD", "")',
    'sys.stdout.buffer.write(out.getvalue())',
  ].join('\n');
  return execFileSync('python3', ['-c', script, name, version, source]);
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

  /** The starter's code for a runtime, deployed with the commands and entrypoint the template lists. */
  async function starterFor(runtime: string) {
    const listed = (await get('/functions/templates/starter')).runtimes.find((one: { name: string }) => one.name === runtime);
    return { runtime, files: filesOf(join(TEMPLATES_DIR, listed.providerRootDirectory)), entrypoint: listed.entrypoint, commands: listed.commands };
  }

  test('lists this server\'s own starter in Appwrite\'s model, to guests too, with its code in the repository', async () => {
    const list = await get('/functions/templates');
    assert.equal(list.total, 1);
    const [starter] = list.templates;
    assert.deepEqual(Object.keys(starter).sort(), [...MODEL_FIELDS].sort());
    assert.equal(starter.id, 'starter');
    const families = new Set(starter.runtimes.map((runtime: { name: string }) => runtime.name.split('-')[0]));
    assert.deepEqual([...families].sort(), ['bun', 'cpp', 'deno', 'go', 'java', 'node', 'php', 'python', 'ruby', 'rust']);
    for (const runtime of starter.runtimes) {
      const dir = join(TEMPLATES_DIR, runtime.providerRootDirectory);
      assert.ok(existsSync(join(dir, runtime.entrypoint)), `${runtime.name}: ${runtime.providerRootDirectory}/${runtime.entrypoint}`);
    }
    assert.deepEqual(await get('/functions/templates/starter'), starter);
  });

  test('filters by runtimes and use cases, pages, and skips the count when asked', async () => {
    assert.equal((await get('/functions/templates?runtimes[]=python-3.12')).total, 1);
    assert.equal((await get('/functions/templates?runtimes[]=ruby-3.1')).total, 1);
    assert.equal((await get('/functions/templates?runtimes[]=dart-3.5')).total, 0);
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
    const { functionId, deployment } = await deployFunction(functions, await starterFor('node-20.0'));
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
    const { functionId, deployment } = await deployFunction(functions, await starterFor('python-3.11'));
    assert.equal(deployment.status, 'ready');
    const execution = await functions.createExecution({ functionId, xpath: '/hello' });
    assert.equal(execution.status, 'completed', execution.errors);
    assert.deepEqual(JSON.parse(execution.responseBody), { greeting: 'Hello from your starter function', path: '/hello' });
  });

  test('a Python deployment\'s pip install puts its packages in the deployment, ahead of the system\'s', async () => {
    const functions = new Functions(sdkClient(server, PROJECT, key));
    const { functionId, deployment } = await deployFunction(functions, {
      runtime: 'python-3.11',
      files: {
        'requirements.txt': './wheels/greeting-1.0-py3-none-any.whl\n',
        'wheels/greeting-1.0-py3-none-any.whl': wheelOf('greeting', '1.0', 'def hello(name):\n    return f"Hello, {name}"\n'),
        'src/main.py': 'import greeting\n\ndef main(context):\n    return context.res.text(greeting.hello("wheel"))\n',
      },
      entrypoint: 'src/main.py',
      commands: 'pip install -r requirements.txt',
    });
    assert.equal(deployment.status, 'ready', deployment.buildLogs);
    assert.match(deployment.buildLogs, /Successfully installed greeting-1\.0/);
    const execution = await functions.createExecution({ functionId });
    assert.equal(execution.responseBody, 'Hello, wheel', execution.errors);
  });
});
