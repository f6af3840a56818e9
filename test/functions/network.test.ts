import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { Functions, ID, Users } from 'node-appwrite';
import { TestServer } from '../support/plinth.js';
import { sdkClient } from '../support/sdk.js';
import { deployFunction, processesMarked, waitForNoProcesses } from './deploy.js';
import { NODE_SDK_STARTER, NODE_NETWORK_PROBE, withNodeAppwrite } from './fixtures.js';

const run = promisify(execFile);
const PROJECT = 'network';
/** What the outside host answers; port 80 inside its own namespace. */
const OUTSIDE_ANSWER = 'hello from outside';

/**
 * A host "outside" this machine: a network namespace behind a veth pair, with an HTTP server.
 * Reaching it from a function shows the function has a network beyond its own loopback.
 */
interface OutsideHost {
  url: string;
  close(): Promise<void>;
}

async function startOutsideHost(): Promise<OutsideHost> {
  // Names and a /30 of the documentation range 198.51.100.0/24, unique to this run.
  const tag = `${process.pid % 100_000}`;
  const namespace = `plinth-out-${tag}`;
  const [hostSide, outsideSide] = [`plo${tag}h`, `plo${tag}o`];
  const base = (process.pid % 64) * 4;
  const [hostAddress, outsideAddress] = [`198.51.100.${base + 1}`, `198.51.100.${base + 2}`];
  const ip = (...args: string[]) => run('ip', args);
  try {
    await ip('netns', 'add', namespace);
    await ip('link', 'add', hostSide, 'type', 'veth', 'peer', 'name', outsideSide);
    await ip('link', 'set', outsideSide, 'netns', namespace);
    await ip('addr', 'add', `${hostAddress}/30`, 'dev', hostSide);
    await ip('link', 'set', hostSide, 'up');
    await ip('-n', namespace, 'addr', 'add', `${outsideAddress}/30`, 'dev', outsideSide);
    await ip('-n', namespace, 'link', 'set', outsideSide, 'up');
  } catch (error) {
    await removeOutsideHost(namespace, hostSide);
    throw new Error(`this test needs root and iproute2 to make a network namespace ("ip netns add"): ${(error as Error).message}`);
  }
  const server = spawn(
    'ip',
    ['netns', 'exec', namespace, process.execPath, '-e', `require('node:http').createServer((q, s) => s.end(${JSON.stringify(OUTSIDE_ANSWER)})).listen(80, () => console.log('listening'))`],
    { stdio: ['ignore', 'pipe', 'inherit'], detached: true },
  );
  await new Promise<void>((resolve, reject) => {
    server.once('exit', (code) => reject(new Error(`the outside host's server exited with ${code}`)));
    createInterface({ input: server.stdout! }).once('line', () => resolve());
  });
  return {
    url: `http://${outsideAddress}/`,
    async close() {
      await stopGroup(server);
      await removeOutsideHost(namespace, hostSide);
    },
  };
}

async function removeOutsideHost(namespace: string, hostSide: string): Promise<void> {
  // Deleting one end of a veth pair deletes both.
  await run('ip', ['link', 'del', hostSide]).catch(() => {});
  await run('ip', ['netns', 'del', namespace]).catch(() => {});
}

async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(-child.pid!, 'SIGKILL');
  await exited;
}

/** A service on the host's loopback only, standing for a database or cache the functions must not reach. */
async function startLoopbackService(): Promise<{ port: number; server: Server }> {
  const server = createServer((socket) => socket.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as { port: number }).port, server };
}

/** Whether this test process itself can connect to a port on the host's loopback. */
function hostReaches(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.on('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

/** A server with the given network setting, a project, a key, and the probe function deployed. */
async function startWithProbe(env: Record<string, string>): Promise<{ server: TestServer; functions: Functions; probeId: string; key: string }> {
  const server = await TestServer.start({ env, process: true });
  await server.createProject(PROJECT);
  const key = await server.createKey(PROJECT);
  const functions = new Functions(sdkClient(server, PROJECT, key));
  const probe = await deployFunction(functions, { runtime: 'node-20.0', files: NODE_NETWORK_PROBE, entrypoint: 'index.js' });
  assert.equal(probe.deployment.status, 'ready', probe.deployment.buildLogs);
  return { server, functions, probeId: probe.functionId, key };
}

async function probe(functions: Functions, functionId: string, path: string): Promise<Record<string, unknown>> {
  const execution = await functions.createExecution({ functionId, xpath: path });
  assert.equal(execution.responseStatusCode, 200, execution.errors);
  return JSON.parse(execution.responseBody) as Record<string, unknown>;
}

describe('the network of function code', () => {
  let outside: OutsideHost;
  let loopback: { port: number; server: Server };
  /** The isolated server's temp dir: pasta's pid files, and so its command lines, name it. */
  let isolatedTmp: string;
  let isolated: Awaited<ReturnType<typeof startWithProbe>>;

  before(async () => {
    outside = await startOutsideHost();
    loopback = await startLoopbackService();
    isolatedTmp = await mkdtemp(join(tmpdir(), 'pn-'));
    isolated = await startWithProbe({ TMPDIR: isolatedTmp });
  });
  after(async () => {
    await isolated?.server.stop();
    await outside?.close();
    loopback?.server.close();
    if (isolatedTmp) await rm(isolatedTmp, { recursive: true, force: true });
  });

  test('a starter-shaped function lists the users through node-appwrite with its injected key', async () => {
    const users = new Users(sdkClient(isolated.server, PROJECT, isolated.key));
    await users.create({ userId: ID.unique(), email: 'ada@example.com', password: 'password-1234' });
    await users.create({ userId: ID.unique(), email: 'grace@example.com', password: 'password-1234' });
    const { functionId, deployment } = await deployFunction(isolated.functions, {
      runtime: 'node-20.0',
      files: await withNodeAppwrite(NODE_SDK_STARTER),
      entrypoint: 'src/main.js',
      scopes: ['users.read'],
    });
    assert.equal(deployment.status, 'ready', deployment.buildLogs);
    const execution = await isolated.functions.createExecution({ functionId, xpath: '/ping' });
    assert.equal(execution.errors, '');
    assert.match(execution.logs, /Total users: 2/);
    assert.equal(execution.responseBody, 'Pong');
  });

  test('isolated (the default): a host outside answers, the services on the host loopback refuse', async () => {
    const fetched = await probe(isolated.functions, isolated.probeId, `/fetch?url=${encodeURIComponent(outside.url)}`);
    assert.deepEqual(fetched, { status: 200, body: OUTSIDE_ANSWER });
    for (const port of [5432, 6379, loopback.port]) {
      assert.deepEqual(await probe(isolated.functions, isolated.probeId, `/connect?port=${port}`), { failure: 'ECONNREFUSED' }, `127.0.0.1:${port}`);
    }
  });

  test('host: the operator opts in to the host network, loopback services included', async () => {
    const host = await startWithProbe({ PLINTH_FUNCTIONS_NETWORK: 'host' });
    try {
      assert.deepEqual(await probe(host.functions, host.probeId, `/connect?port=${loopback.port}`), { connected: true });
      // PostgreSQL answers whenever it runs here (always on the PostgreSQL suite): the function sees what the host sees.
      const database = await probe(host.functions, host.probeId, '/connect?port=5432');
      assert.equal(database.connected === true, await hostReaches(5432), JSON.stringify(database));
      const fetched = await probe(host.functions, host.probeId, `/fetch?url=${encodeURIComponent(outside.url)}`);
      assert.equal(fetched.body, OUTSIDE_ANSWER);
    } finally {
      await host.server.stop();
    }
  });

  test('none: no way out, neither to a host outside nor to the host loopback', async () => {
    const none = await startWithProbe({ PLINTH_FUNCTIONS_NETWORK: 'none' });
    try {
      const fetched = await probe(none.functions, none.probeId, `/fetch?url=${encodeURIComponent(outside.url)}`);
      assert.ok(fetched.failure, JSON.stringify(fetched));
      assert.deepEqual(await probe(none.functions, none.probeId, `/connect?port=${loopback.port}`), { failure: 'ECONNREFUSED' });
    } finally {
      await none.server.stop();
    }
  });

  test('pasta ends with the runtime it serves, with the server, and after a crash at the next start', async () => {
    const marker = `${isolatedTmp}/plinth-net-`;
    await probe(isolated.functions, isolated.probeId, '/connect?port=5432');
    assert.ok(processesMarked(marker).length > 0, 'a warm runtime has its pasta');
    for (const fn of (await isolated.functions.list()).functions) await isolated.functions.delete({ functionId: fn.$id });
    assert.deepEqual(await waitForNoProcesses(marker), [], 'deleting the functions stops their pasta');

    // Killed outright, the server cannot stop its pasta processes: the next server does.
    const crashing = await startWithProbe({ TMPDIR: isolatedTmp });
    await probe(crashing.functions, crashing.probeId, '/connect?port=5432');
    await crashing.server.kill('SIGKILL');
    assert.ok(processesMarked(marker).length > 0, 'a killed server leaves its pasta running');
    const runDirs = (await readdir(isolatedTmp)).filter((name) => name.startsWith('plinth-net-'));
    await crashing.server.stop();
    const next = await startWithProbe({ TMPDIR: isolatedTmp });
    try {
      await probe(next.functions, next.probeId, '/connect?port=5432');
      for (const dir of runDirs) assert.deepEqual(await waitForNoProcesses(`${isolatedTmp}/${dir}/`), [], `pasta of ${dir} swept`);
    } finally {
      await next.server.stop();
    }
    assert.deepEqual(await waitForNoProcesses(marker), [], 'a stopped server leaves no pasta');
  });
});
