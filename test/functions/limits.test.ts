import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Functions } from 'node-appwrite';
import { BIN, TestServer } from '../support/plinth.js';
import { sdkClient } from '../support/sdk.js';
import { NODE_ECHO } from './fixtures.js';
import { deployFunction } from './deploy.js';
import { assertHogStopped, CGROUPS } from './memory-hog.js';

const PROJECT = 'limits';
const MEMORY_MB = 128;
const CPUS = 0.25;

/** Busy for one second of wall time; reports the CPU time the process got meanwhile. */
const NODE_SPINNER = {
  'index.js': `
module.exports = async ({ res }) => {
  const start = process.cpuUsage();
  const until = Date.now() + 1000;
  while (Date.now() < until) {}
  const used = process.cpuUsage(start);
  return res.json({ cpuSeconds: (used.user + used.system) / 1e6, cpus: process.env.APPWRITE_FUNCTION_CPUS, memory: process.env.APPWRITE_FUNCTION_MEMORY });
};
`,
};

describe('function resource limits', () => {
  let server: TestServer;
  let functions: Functions;
  let echoId: string;
  let spinnerId: string;

  before(async () => {
    server = await TestServer.start({ env: { PLINTH_FUNCTIONS_MEMORY_MB: String(MEMORY_MB), PLINTH_FUNCTIONS_CPUS: String(CPUS) }, process: true });
    await server.createProject(PROJECT);
    functions = new Functions(sdkClient(server, PROJECT, await server.createKey(PROJECT)));
    const echo = await deployFunction(functions, { runtime: 'node-20.0', files: NODE_ECHO, entrypoint: 'index.js' });
    assert.equal(echo.deployment.status, 'ready', echo.deployment.buildLogs);
    echoId = echo.functionId;
    const spinner = await deployFunction(functions, { runtime: 'node-20.0', files: NODE_SPINNER, entrypoint: 'index.js' });
    assert.equal(spinner.deployment.status, 'ready', spinner.deployment.buildLogs);
    spinnerId = spinner.functionId;
  });
  after(() => server?.stop());

  test('a memory hog is stopped at its memory limit with an out-of-memory error; the next execution works', async () => {
    await assertHogStopped(functions, server.endpoint, echoId, MEMORY_MB);
  });

  test('a busy loop gets about its share of a CPU, and the function is told its share', { skip: !CGROUPS && 'cgroups need root' }, async () => {
    const execution = await functions.createExecution({ functionId: spinnerId });
    assert.equal(execution.status, 'completed', execution.errors);
    const answer = JSON.parse(execution.responseBody) as { cpuSeconds: number; cpus: string; memory: string };
    assert.equal(answer.cpus, String(CPUS));
    assert.equal(answer.memory, String(MEMORY_MB));
    // A quarter of a CPU for one second of wall time: far below the full second an unbounded loop gets.
    assert.ok(answer.cpuSeconds < 0.6, `the loop got ${answer.cpuSeconds} s of CPU`);
  });

  test("each runtime's cgroups hold the configured CPU quota and memory limit", { skip: !CGROUPS && 'cgroups need root' }, async () => {
    const warm = await functions.createExecution({ functionId: echoId });
    assert.equal(warm.status, 'completed', warm.errors);
    const trees = liveTrees(serverPid(server));
    assert.ok(trees.cpu.length > 0 && trees.memory.length > 0, 'the warm runtimes have cgroups of their own');
    for (const dir of trees.cpu) {
      if (existsSync(join(dir, 'cpu.max'))) assert.equal(read(dir, 'cpu.max'), '25000 100000');
      else assert.deepEqual([read(dir, 'cpu.cfs_quota_us'), read(dir, 'cpu.cfs_period_us')], ['25000', '100000']);
    }
    const bytes = String(MEMORY_MB * 1024 * 1024);
    for (const dir of trees.memory) {
      if (existsSync(join(dir, 'memory.max'))) assert.equal(read(dir, 'memory.max'), bytes);
      else assert.equal(read(dir, 'memory.limit_in_bytes'), bytes);
      if (existsSync(join(dir, 'memory.memsw.limit_in_bytes'))) assert.equal(read(dir, 'memory.memsw.limit_in_bytes'), bytes, 'swap does not dodge the limit');
      if (existsSync(join(dir, 'memory.swap.max'))) assert.equal(read(dir, 'memory.swap.max'), '0');
    }
  });
});

function read(dir: string, file: string): string {
  return readFileSync(join(dir, file), 'utf8').trim();
}

/** The test server's process: the one running the CLI's `serve` with its data directory. */
function serverPid(server: TestServer): number {
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const command = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
      const env = readFileSync(`/proc/${name}/environ`, 'utf8').split('\0');
      if (command.includes(BIN) && command.includes('serve') && env.includes(`PLINTH_DATA_DIR=${server.dataDir}`)) return Number(name);
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  throw new Error('the test server process was not found');
}

/**
 * The cgroup directories of the server's sandboxed trees that hold processes now, found from the
 * host side: `plinth-sandbox-<server pid>/<tree>` under the server's own cgroup of each hierarchy.
 */
function liveTrees(pid: number): { cpu: string[]; memory: string[] } {
  const found = { cpu: [] as string[], memory: [] as string[] };
  for (const line of readFileSync(`/proc/${pid}/cgroup`, 'utf8').split('\n')) {
    const [, names, path] = line.split(':');
    if (path === undefined || names === undefined) continue;
    const base = names === '' ? join('/sys/fs/cgroup', path) : join('/sys/fs/cgroup', names, path);
    const root = join(base, `plinth-sandbox-${pid}`);
    if (!existsSync(root)) continue;
    const live = readdirSync(root, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && read(join(root, entry.name), 'cgroup.procs') !== '')
      .map((entry) => join(root, entry.name));
    for (const dir of live) {
      if (existsSync(join(dir, 'cpu.max')) || existsSync(join(dir, 'cpu.cfs_quota_us'))) found.cpu.push(dir);
      if (existsSync(join(dir, 'memory.max')) || existsSync(join(dir, 'memory.limit_in_bytes'))) found.memory.push(dir);
    }
  }
  return found;
}
