import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Functions } from 'node-appwrite';
import { bwrapWorks, createBwrapSandbox, type BwrapSandboxOptions } from '../../src/infra/sandbox/bwrap-sandbox.js';
import { runToEnd } from '../../src/infra/sandbox/run-to-end.js';
import { TestServer } from '../support/plinth.js';
import { sdkClient } from '../support/sdk.js';
import { deployFunction } from './deploy.js';

const PROJECT = 'syscalls';
const SKIP = bwrapWorks() ? false : 'bubblewrap cannot create namespaces here';

/**
 * Tries what code breaking out of its sandbox would: `unshare -Ur`, and raw system calls through
 * ctypes with arguments an unfiltered kernel answers otherwise than EPERM (a bad address, no such
 * process, success). It also starts a thread and a child process, as ordinary code does.
 */
const PYTHON_PROBE = `
import ctypes
import errno
import json
import os
import platform
import subprocess
import threading

CALLS = {
    "x86_64": {"mount": 165, "open_tree": 428, "unshare": 272, "setns": 308, "clone": 56, "clone3": 435, "ptrace": 101, "process_vm_readv": 310, "keyctl": 250, "bpf": 321, "perf_event_open": 298, "getpid": 39},
    "aarch64": {"mount": 40, "open_tree": 428, "unshare": 97, "setns": 268, "clone": 220, "clone3": 435, "ptrace": 117, "process_vm_readv": 270, "keyctl": 219, "bpf": 280, "perf_event_open": 241, "getpid": 172},
}[platform.machine()]
CLONE_NEWUSER = 0x10000000
SIGCHLD = 17
PTRACE_ATTACH = 16
libc = ctypes.CDLL(None, use_errno=True)


def call(name, *args):
    ctypes.set_errno(0)
    result = libc.syscall(CALLS[name], *[ctypes.c_long(arg) for arg in args])
    if result == -1:
        return errno.errorcode.get(ctypes.get_errno(), str(ctypes.get_errno()))
    if result == 0 and name == "clone":
        os._exit(0)
    if name == "clone":
        os.waitpid(result, 0)
    return "ok"


def probe():
    status = open("/proc/self/status").read().splitlines()
    unshare = subprocess.run(["unshare", "-Ur", "true"], capture_output=True, text=True)
    worker = threading.Thread(target=lambda: None)
    worker.start()
    worker.join()
    return {
        "seccomp": next(line.split(":")[1].strip() for line in status if line.startswith("Seccomp:")),
        "unshareCommand": {"status": unshare.returncode, "stderr": unshare.stderr.strip()},
        "calls": {
            "mount": call("mount", 0, 0, 0, 0, 0),
            "open_tree": call("open_tree", -100, 0, 0),
            "unshare": call("unshare", CLONE_NEWUSER),
            "setns": call("setns", -1, 0),
            "clone": call("clone", CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0),
            "clone3": call("clone3", 0, 0),
            "ptrace": call("ptrace", PTRACE_ATTACH, 0, 0, 0),
            "process_vm_readv": call("process_vm_readv", os.getpid(), 0, 0, 0, 0, 0),
            "keyctl": call("keyctl", 0, -3, 0),
            "bpf": call("bpf", 0, 0, 0),
            "perf_event_open": call("perf_event_open", 0, 0, -1, -1, 0),
            "getpid": call("getpid"),
        },
        "subprocess": subprocess.run(["echo", "child"], capture_output=True, text=True).stdout.strip(),
    }


def main(context):
    return context.res.json(probe())


if __name__ == "__main__":
    print(json.dumps(probe()))
`;

interface ProbeAnswer {
  seccomp: string;
  unshareCommand: { status: number; stderr: string };
  calls: Record<string, string>;
  subprocess: string;
}

/** What the probe reports inside the sandbox: each call refused as not permitted, clone3 as not implemented. */
const REFUSED: ProbeAnswer['calls'] = {
  mount: 'EPERM',
  open_tree: 'EPERM',
  unshare: 'EPERM',
  setns: 'EPERM',
  clone: 'EPERM',
  clone3: 'ENOSYS',
  ptrace: 'EPERM',
  process_vm_readv: 'EPERM',
  keyctl: 'EPERM',
  bpf: 'EPERM',
  perf_event_open: 'EPERM',
  getpid: 'ok',
};

/** Threads, JavaScript workers and child processes in a Node function; `unshare -Ur` from it. */
const NODE_PROBE = {
  'index.js': `
const { spawnSync } = require('node:child_process');
const { Worker } = require('node:worker_threads');
module.exports = async ({ res }) => {
  const fromWorker = await new Promise((resolve, reject) => {
    new Worker("require('node:worker_threads').parentPort.postMessage('worker ran')", { eval: true }).once('message', resolve).once('error', reject);
  });
  const unshare = spawnSync('unshare', ['-Ur', 'true'], { encoding: 'utf8' });
  return res.json({ fromWorker, child: spawnSync('echo', ['child'], { encoding: 'utf8' }).stdout.trim(), unshare: { status: unshare.status, stderr: unshare.stderr.trim() } });
};`,
};

describe('system calls in the bubblewrap sandbox', { skip: SKIP }, () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'plinth-syscalls-'));
    await writeFile(join(dir, 'probe.py'), PYTHON_PROBE);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const probeIn = async (options: BwrapSandboxOptions): Promise<ProbeAnswer> => {
    const outcome = await runToEnd(
      createBwrapSandbox(options),
      { command: ['/usr/bin/python3', '/probe/probe.py'], mounts: [{ host: dir, inside: '/probe', writable: false }], cwd: '/tmp', env: { PATH: '/usr/bin:/bin' }, network: 'none', tmpSizeMb: 8 },
      { timeoutMs: 20_000, maxOutput: 20_000 },
    );
    assert.equal(outcome.exitCode, 0, outcome.output);
    return JSON.parse(outcome.output) as ProbeAnswer;
  };

  test('the filter refuses namespace, mount, tracing, keyring, BPF and perf calls; threads and processes still work', async () => {
    const answer = await probeIn({});
    assert.equal(answer.seccomp, '2', 'a seccomp filter is in force');
    assert.deepEqual(answer.calls, REFUSED);
    assert.equal(answer.unshareCommand.status, 1);
    assert.match(answer.unshareCommand.stderr, /Operation not permitted/);
    assert.equal(answer.subprocess, 'child');
  });

  test('each layer alone stops unshare -Ur: the filter, and the ban on nested user namespaces', async () => {
    const filterOnly = await probeIn({ disableUserNamespaces: false });
    assert.equal(filterOnly.unshareCommand.status, 1, 'refused by the filter');
    assert.deepEqual(filterOnly.calls, REFUSED);

    const banOnly = await probeIn({ seccomp: null });
    assert.equal(banOnly.seccomp, '0');
    assert.equal(banOnly.unshareCommand.status, 1, 'refused for want of user namespaces');
    assert.notEqual(banOnly.calls.clone, 'ok', 'no user namespace through clone either');
    // Without the filter the same calls reach the kernel and answer otherwise: the probe tells them apart.
    for (const name of ['mount', 'setns', 'clone3', 'ptrace', 'keyctl', 'perf_event_open']) assert.notEqual(banOnly.calls[name], REFUSED[name], name);
  });

  test('a process calling through the x32 ABI is killed', { skip: process.arch === 'x64' ? false : 'x32 is an x86-64 ABI' }, async () => {
    // getpid with the x32 bit: a kernel without x32 answers ENOSYS, the filter kills the process (SIGSYS).
    const x32Getpid = "import ctypes; ctypes.CDLL(None).syscall(0x40000000 | 39); print('survived')";
    const outcome = await runToEnd(
      createBwrapSandbox(),
      { command: ['/usr/bin/python3', '-c', x32Getpid], mounts: [], cwd: '/tmp', env: { PATH: '/usr/bin:/bin' }, network: 'none', tmpSizeMb: 8 },
      { timeoutMs: 20_000, maxOutput: 20_000 },
    );
    assert.equal(outcome.exitCode, 128 + constants.signals.SIGSYS, outcome.output);
    assert.doesNotMatch(outcome.output, /survived/);
  });
});

describe('system calls in function code', { skip: SKIP }, () => {
  let server: TestServer;
  let functions: Functions;

  before(async () => {
    server = await TestServer.start();
    await server.createProject(PROJECT);
    functions = new Functions(sdkClient(server, PROJECT, await server.createKey(PROJECT)));
  });
  after(() => server?.stop());

  test('a Python function may neither unshare -Ur nor make the refused calls, and still runs threads and processes', async () => {
    const { functionId, deployment } = await deployFunction(functions, { runtime: 'python-3.11', files: { 'src/main.py': PYTHON_PROBE }, entrypoint: 'src/main.py' });
    assert.equal(deployment.status, 'ready', deployment.buildLogs);
    const execution = await functions.createExecution({ functionId });
    assert.equal(execution.status, 'completed', execution.errors);
    const answer = JSON.parse(execution.responseBody) as ProbeAnswer;
    assert.equal(answer.seccomp, '2');
    assert.deepEqual(answer.calls, REFUSED);
    assert.equal(answer.unshareCommand.status, 1, answer.unshareCommand.stderr);
    assert.equal(answer.subprocess, 'child');
  });

  test('a Node function runs workers and child processes, but unshare -Ur fails', async () => {
    const { functionId, deployment } = await deployFunction(functions, { runtime: 'node-20.0', files: NODE_PROBE, entrypoint: 'index.js' });
    assert.equal(deployment.status, 'ready', deployment.buildLogs);
    const execution = await functions.createExecution({ functionId });
    assert.equal(execution.status, 'completed', execution.errors);
    const answer = JSON.parse(execution.responseBody) as { fromWorker: string; child: string; unshare: { status: number; stderr: string } };
    assert.equal(answer.fromWorker, 'worker ran');
    assert.equal(answer.child, 'child');
    assert.equal(answer.unshare.status, 1);
    assert.match(answer.unshare.stderr, /Operation not permitted/);
  });

  test('a build command may not create a user namespace either', async () => {
    const { deployment } = await deployFunction(functions, { runtime: 'node-20.0', files: NODE_PROBE, entrypoint: 'index.js', commands: 'unshare -Ur true' });
    assert.equal(deployment.status, 'failed');
    assert.match(deployment.buildLogs, /unshare failed: Operation not permitted/);
  });
});
