import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Functions } from 'node-appwrite';
import { TEST_DATABASE_URL } from '../support/databases.js';
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

  test('Node code runs as another user under Node\'s permission model: its own code only, no processes', async () => {
    const { functionId, deployment } = await deployFunction(functions, { runtime: 'node-20.0', files: CONFINED_PROBE, entrypoint: 'index.js' });
    assert.equal(deployment.status, 'ready', deployment.buildLogs);
    const run = async (probe: string, path = '') => {
      const execution = await functions.createExecution({ functionId, xpath: `/${probe}?path=${encodeURIComponent(path)}` });
      assert.equal(execution.status, 'completed', execution.errors);
      return JSON.parse(execution.responseBody) as { uid?: number; failure?: string; read?: number };
    };
    if (process.getuid?.() === 0) assert.equal((await run('uid')).uid, 65534, 'a root server runs code as nobody');
    assert.ok((await run('read', 'index.js')).read! > 0, 'its own code is readable');
    for (const path of [join(server.dataDir, 'secret.key'), join(server.dataDir, 'plinth.sqlite'), '/etc/passwd']) {
      assert.equal((await run('read', path)).failure, 'ERR_ACCESS_DENIED', `${path} is out of reach`);
    }
    assert.equal((await run('spawn')).failure, 'ERR_ACCESS_DENIED', 'no child processes');
  });

  test('the data directory keeps its databases private from that user', { skip: process.getuid?.() === 0 ? false : 'needs a root server' }, async () => {
    // Python has no permission model of its own: the file modes keep it out.
    const { functionId, deployment } = await deployFunction(functions, { runtime: 'python-3.11', files: PYTHON_READER, entrypoint: 'src/main.py' });
    assert.equal(deployment.status, 'ready', deployment.buildLogs);
    // On PostgreSQL the data directory holds no database file.
    for (const name of ['secret.key', ...(TEST_DATABASE_URL ? [] : ['plinth.sqlite'])]) {
      const execution = await functions.createExecution({ functionId, xpath: `/?path=${encodeURIComponent(join(server.dataDir, name))}` });
      assert.equal(JSON.parse(execution.responseBody).failure, 'PermissionError', `${name} is private`);
    }
  });
});

/** Reports its user, reads a file (`/read?path=`) or starts a process (`/spawn`). */
const CONFINED_PROBE = {
  'index.js': `
const fs = require('node:fs');
module.exports = async ({ req, res }) => {
  const path = new URLSearchParams(req.queryString).get('path');
  try {
    if (req.path === '/uid') return res.json({ uid: process.getuid() });
    if (req.path === '/read') return res.json({ read: fs.readFileSync(path.startsWith('/') ? path : __dirname + '/' + path).length });
    if (req.path === '/spawn') return res.json({ pid: require('node:child_process').spawnSync('true').pid });
  } catch (failure) {
    return res.json({ failure: failure.code });
  }
  return res.json({});
};`,
};

const PYTHON_READER = {
  'src/main.py': `
def main(context):
    try:
        with open(context.req.query["path"], "rb") as file:
            return context.res.json({"read": len(file.read())})
    except Exception as failure:
        return context.res.json({"failure": type(failure).__name__})
`,
};
