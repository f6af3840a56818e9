import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { overBudget } from './memory-budget.js';
import { limitedTree, releaseLimits, type ProcessLimits } from './process-limits.js';
import { decodeInlineLogs, takeLogFiles } from './runtime-logs.js';
import { killSandboxed, type Sandbox, type SandboxMount, type SandboxNetwork } from './sandbox.js';
import { readTreeMemory } from './tree-memory.js';

/** What one warm runtime process runs: a runtime server over a deployment's code. */
export interface RuntimeSpec {
  /** Processes are shared by executions with the same key (deployment and environment). */
  key: string;
  /** Stopping a group (a deployment) stops each of its processes. */
  group: string;
  /** Stopping an owner (a function) stops each process of each of its groups. */
  owner?: string | undefined;
  /** The interpreter, e.g. /usr/bin/node; it must be visible inside the sandbox (under /usr). */
  program: string;
  /** Arguments before the server file (e.g. heap limits). */
  programArgs: string[];
  /** The runtime server file on the host (runtimes/node/server.mjs …). */
  serverFile: string;
  /** The deployment's built code on the host. */
  codeDir: string;
  env: Record<string, string>;
  network: SandboxNetwork;
  /** Host loopback ports reachable from an `isolated` network (the Plinth API). */
  hostPorts?: number[] | undefined;
  /** Memory of the process tree in MB, overriding the pool's `limits.memoryMb`; 0: no limit. */
  memoryMb?: number | undefined;
  /** Size of its private /tmp, in MB. */
  tmpSizeMb: number;
  /** Requests the process serves at once, overriding the pool's `concurrency`. */
  concurrency?: number | undefined;
  /** How long the process may take to start listening, overriding the pool's `startTimeoutMs`. */
  startTimeoutMs?: number | undefined;
}

export interface RuntimeRequest {
  method: string;
  /** Path and query string. */
  path: string;
  headers: Record<string, string>;
  body: Buffer;
  timeoutSeconds: number;
  logging: boolean;
}

export interface RuntimeResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: Buffer;
  logs: string;
  errors: string;
  /** A process had to start for this request. */
  coldStart: boolean;
}

/**
 * A process held for one request its caller sends itself (a stream over the Unix socket), until
 * `release`: the pool's own execute buffers whole bodies, which a proxied web server must not.
 */
export interface RuntimeLease {
  socketPath: string;
  agent: Agent;
  /** Where the process writes its output (runtimes that log to files: output.log, errors.log). */
  logsDir: string;
  /** A process had to start for this request. */
  coldStart: boolean;
  /**
   * What a failed exchange means: OutOfMemoryError when the kernel stopped the tree for its memory
   * limit (the process is then replaced), else the error itself.
   */
  explain(error: Error): Promise<Error>;
  /** Ends the process now (a request that ran past its timeout). */
  stop(): void;
  /** The end of what the process wrote to stderr (kept after it exits, when its log files are gone). */
  recentErrors(): string;
  release(): void;
}

export interface RuntimePoolOptions {
  sandbox: Sandbox;
  /** A process unused this long is stopped. */
  idleMs: number;
  /** Executions one process serves at once; more wait their turn. */
  concurrency: number;
  /** Processes kept at once: starting one more first stops the least recently used idle one. */
  maxProcesses?: number;
  /** How long a process may take to start listening. */
  startTimeoutMs?: number;
  /** Bounds on each process tree (processes, memory, CPU). */
  limits?: ProcessLimits | undefined;
  /** Memory all processes may use together, in MB: past it idle ones are stopped, least recently used first; 0: none. */
  memoryBudgetMb?: number | undefined;
  onLog?: (message: string, details: Record<string, unknown>) => void;
}

export interface RuntimePool {
  execute(spec: RuntimeSpec, request: RuntimeRequest): Promise<RuntimeResponse>;
  /**
   * Holds a warm process (starting it if needed) for a request the caller streams itself. When
   * `signal` aborts before the lease is granted (the visitor left while the process was busy), the
   * wait ends with LeaseAbortedError and takes no slot.
   */
  lease(spec: RuntimeSpec, signal?: AbortSignal): Promise<RuntimeLease>;
  /** Starts the process ahead of its first request (it stops again when left idle). */
  warm(spec: RuntimeSpec): void;
  /** Stops every process of a group (a deployment that is gone or replaced). */
  stopGroup(group: string): void;
  /** Stops every process of an owner (a function that is gone). */
  stopOwner(owner: string): void;
  /** Number of processes running. */
  size(): number;
  /** Memory each running process tree uses now, and their total (what the memory budget weighs). */
  memoryUsage(): MemoryUsage;
  close(): void;
}

export interface MemoryUsage {
  totalBytes: number;
  processes: Array<{ key: string; bytes: number; busy: boolean }>;
}

interface WarmProcess {
  key: string;
  group: string;
  owner: string | undefined;
  child: ChildProcess;
  /** Its memory limit in MB (0: none), for telling a function it ran out. */
  memoryMb: number;
  runDir: string;
  socketPath: string;
  secret: string;
  agent: Agent;
  ready: Promise<void>;
  /** Requests it serves at once; more wait their turn. */
  concurrency: number;
  active: number;
  waiting: Array<() => void>;
  idleTimer: NodeJS.Timeout | undefined;
  lastUsed: number;
  stderr: string;
  exited: boolean;
  /** Takes no new executions; stopped once those it has finish. */
  retired: boolean;
  /** Out-of-memory kills in its tree when last read: one read per execution tells whether one happened. */
  oomSeen: number;
}

const CODE_INSIDE = '/function';
const RUNTIME_INSIDE = '/runtime';
const RUN_INSIDE = '/run/plinth';
/** The hard stop comes this long after the function's own timeout, so a busy loop cannot hold a process. */
const HARD_STOP_GRACE_MS = 2000;

const PROGRAM_INSIDE = '/opt/program';

/** An interpreter outside /usr (one fetched into the data directory) is shown read-only at /opt/program. */
export function programMount(program: string): { mounts: SandboxMount[]; path: (sandbox: Sandbox) => string } {
  if (program.startsWith('/usr/')) return { mounts: [], path: () => program };
  const mount: SandboxMount = { host: dirname(program), inside: PROGRAM_INSIDE, writable: false };
  return { mounts: [mount], path: (sandbox) => join(sandbox.pathOf(mount), basename(program)) };
}

export class ExecutionTimeoutError extends Error {}
export class RuntimeStartError extends Error {}
/** A lease whose caller gave up (its signal aborted) before a process was free for it. */
export class LeaseAbortedError extends Error {
  constructor() {
    super('the lease was abandoned before it was granted');
  }
}
/** The kernel stopped the function's process for going over its memory limit. */
export class OutOfMemoryError extends Error {
  constructor(memoryMb: number, starting = false) {
    super(`the function ran out of memory${starting ? ' while starting' : ''} and was stopped (limit: ${memoryMb} MB)`);
  }
}

/** Warm runtime processes, one per key, started on demand and stopped when idle. */
export function createRuntimePool(options: RuntimePoolOptions): RuntimePool {
  const processes = new Map<string, WarmProcess>();
  /** Every process still running, retired ones included. */
  const running = new Set<WarmProcess>();
  const startTimeoutMs = options.startTimeoutMs ?? 10_000;

  function start(spec: RuntimeSpec): WarmProcess {
    makeRoom();
    // Sockets have a short path limit: keep run directories under the system temp dir.
    const runDir = mkdtempSync(join(tmpdir(), 'plinth-rt-'));
    const code: SandboxMount = { host: spec.codeDir, inside: CODE_INSIDE, writable: false };
    const runtime: SandboxMount = { host: dirname(spec.serverFile), inside: RUNTIME_INSIDE, writable: false };
    const run: SandboxMount = { host: runDir, inside: RUN_INSIDE, writable: true };
    const sandbox = options.sandbox;
    const secret = randomBytes(24).toString('hex');
    const program = programMount(spec.program);
    const memoryMb = spec.memoryMb ?? options.limits?.memoryMb ?? 0;
    const child = sandbox.spawn({
      command: [program.path(sandbox), ...spec.programArgs, join(sandbox.pathOf(runtime), basename(spec.serverFile))],
      mounts: [code, runtime, run, ...program.mounts],
      cwd: sandbox.pathOf(code),
      env: {
        PATH: '/usr/local/bin:/usr/bin:/bin',
        HOME: '/tmp',
        ...spec.env,
        OPEN_RUNTIMES_SECRET: secret,
        PLINTH_RUNTIME_CODE: sandbox.pathOf(code),
        PLINTH_RUNTIME_SOCKET: join(sandbox.pathOf(run), 'runtime.sock'),
        PLINTH_RUNTIME_LOGS: join(sandbox.pathOf(run), 'logs'),
      },
      network: spec.network,
      hostPorts: spec.hostPorts,
      tmpSizeMb: spec.tmpSizeMb,
      limits: options.limits || memoryMb > 0 ? { ...options.limits, memoryMb } : undefined,
    });
    const warm: WarmProcess = {
      key: spec.key,
      group: spec.group,
      owner: spec.owner,
      child,
      memoryMb,
      runDir,
      socketPath: join(runDir, 'runtime.sock'),
      secret,
      agent: new Agent({ keepAlive: true }),
      ready: Promise.resolve(),
      concurrency: spec.concurrency ?? options.concurrency,
      active: 0,
      waiting: [],
      idleTimer: undefined,
      lastUsed: Date.now(),
      stderr: '',
      exited: false,
      retired: false,
      oomSeen: 0,
    };
    child.stderr?.on('data', (chunk: Buffer) => {
      warm.stderr = (warm.stderr + chunk.toString('utf8')).slice(-4000);
    });
    const startLimitMs = spec.startTimeoutMs ?? startTimeoutMs;
    warm.ready = new Promise<void>((resolve, reject) => {
      let stdout = '';
      const timer = setTimeout(() => {
        reject(new RuntimeStartError(`the runtime did not start within ${startLimitMs} ms`));
        stop(warm);
      }, startLimitMs);
      child.stdout?.on('data', (chunk: Buffer) => {
        if (stdout.includes('ready')) return;
        stdout += chunk.toString('utf8');
        if (stdout.includes('open-runtimes ready')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.on('error', (error) => {
        clearTimeout(timer);
        reject(new RuntimeStartError(error.message));
      });
      child.on('exit', () => {
        clearTimeout(timer);
        warm.exited = true;
        if (oomKills(warm) > 0) reject(new OutOfMemoryError(memoryMb, true));
        else reject(new RuntimeStartError(`the runtime stopped while starting: ${warm.stderr.trim() || 'no output'}`));
        forget(warm);
      });
    });
    warm.ready.catch(() => {});
    processes.set(spec.key, warm);
    running.add(warm);
    options.onLog?.('function runtime started', { key: spec.key, sandbox: sandbox.kind, pid: child.pid });
    return warm;
  }

  /** Keeps the pool within its process and memory budgets by stopping idle processes, least recently used first. */
  function makeRoom(): void {
    const max = options.maxProcesses ?? Infinity;
    while (processes.size >= max) {
      const idle = [...processes.values()].filter((warm) => warm.active === 0).sort((a, b) => a.lastUsed - b.lastUsed)[0];
      if (!idle) break;
      stop(idle);
    }
    keepWithinMemoryBudget();
  }

  function keepWithinMemoryBudget(): void {
    if (!options.memoryBudgetMb) return;
    const all = [...running];
    const bytes = readTreeMemory(all.map((warm) => warm.child));
    const entries = all.map((warm, i) => ({ item: warm, bytes: bytes[i]!, busy: warm.active > 0, lastUsed: warm.lastUsed }));
    for (const warm of overBudget(entries, options.memoryBudgetMb * 1024 * 1024)) {
      options.onLog?.('function runtime stopped for the memory budget', { key: warm.key });
      stop(warm);
    }
  }

  function forget(warm: WarmProcess): void {
    if (processes.get(warm.key) === warm) processes.delete(warm.key);
    running.delete(warm);
    clearTimeout(warm.idleTimer);
    warm.agent.destroy();
    rmSync(warm.runDir, { recursive: true, force: true });
  }

  function stop(warm: WarmProcess): void {
    killSandboxed(warm.child);
    forget(warm);
  }

  /**
   * Takes one of the process's slots, waiting for one when all are busy. A wait whose signal aborts
   * leaves the queue at once and rejects with LeaseAbortedError: no slot is ever granted to it.
   */
  async function acquire(warm: WarmProcess, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw new LeaseAbortedError();
    clearTimeout(warm.idleTimer);
    warm.lastUsed = Date.now();
    if (warm.active < warm.concurrency) {
      warm.active++;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      // The slot passes straight from its releaser to the next waiter: nobody can take it in between.
      const grant = () => {
        signal?.removeEventListener('abort', abandon);
        warm.active++;
        resolve();
      };
      const abandon = () => {
        const at = warm.waiting.indexOf(grant);
        if (at !== -1) warm.waiting.splice(at, 1);
        reject(new LeaseAbortedError());
      };
      warm.waiting.push(grant);
      signal?.addEventListener('abort', abandon, { once: true });
    });
  }

  /** New executions go to a fresh process; this one ends when its last execution has. */
  function retire(warm: WarmProcess): void {
    warm.retired = true;
    if (processes.get(warm.key) === warm) processes.delete(warm.key);
  }

  function release(warm: WarmProcess): void {
    warm.active--;
    const next = warm.waiting.shift();
    if (next) next();
    else if (warm.active === 0 && warm.retired) stop(warm);
    else if (warm.active === 0 && !warm.exited) {
      warm.idleTimer = setTimeout(() => stop(warm), options.idleMs);
      warm.idleTimer.unref();
    }
    keepWithinMemoryBudget();
  }

  function oomKills(warm: WarmProcess): number {
    return limitedTree(warm.child)?.oomKills() ?? 0;
  }

  /** Resolves when the process has exited, or after `ms` if it keeps running. */
  function exited(warm: WarmProcess, ms: number): Promise<void> {
    if (warm.exited) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        warm.child.off('exit', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      warm.child.once('exit', done);
    });
  }

  function send(warm: WarmProcess, request: RuntimeRequest, logId: string): Promise<{ statusCode: number; headers: Record<string, string>; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const hardStop = setTimeout(() => {
        reject(new ExecutionTimeoutError('Execution timed out.'));
        stop(warm);
      }, request.timeoutSeconds * 1000 + HARD_STOP_GRACE_MS);
      const outgoing = httpRequest(
        {
          socketPath: warm.socketPath,
          agent: warm.agent,
          method: request.method,
          path: request.path.startsWith('/') ? request.path : `/${request.path}`,
          headers: {
            ...request.headers,
            'content-length': String(request.body.length),
            'x-open-runtimes-secret': warm.secret,
            'x-open-runtimes-timeout': String(request.timeoutSeconds),
            'x-open-runtimes-logging': request.logging ? 'enabled' : 'disabled',
            'x-open-runtimes-log-id': logId,
          },
        },
        (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
          incoming.on('end', () => {
            clearTimeout(hardStop);
            const headers: Record<string, string> = {};
            for (const [name, value] of Object.entries(incoming.headers)) {
              if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
            }
            resolve({ statusCode: incoming.statusCode ?? 500, headers, body: Buffer.concat(chunks) });
          });
          incoming.on('error', (error) => {
            clearTimeout(hardStop);
            reject(error);
          });
        },
      );
      outgoing.on('error', (error) => {
        clearTimeout(hardStop);
        reject(error);
      });
      outgoing.end(request.body);
    });
  }

  return {
    async execute(spec, request) {
      let warm = processes.get(spec.key);
      const coldStart = warm === undefined;
      warm ??= start(spec);
      await acquire(warm);
      try {
        await warm.ready;
        const logId = randomBytes(12).toString('hex');
        const sentAt = performance.now();
        const oomBefore = warm.oomSeen;
        const answer = await send(warm, request, logId).catch(async (error: unknown) => {
          // A lost connection may be the kernel's doing: the count is certain once the process has exited.
          if (!(error instanceof ExecutionTimeoutError)) await exited(warm, 1000);
          if (oomKills(warm) === oomBefore) throw error;
          stop(warm);
          throw new OutOfMemoryError(warm.memoryMb);
        });
        // An execution cut off at its timeout may have left work running (timers, threads, child
        // processes): the process is replaced rather than trusted with the next one.
        if (performance.now() - sentAt >= request.timeoutSeconds * 1000) retire(warm);
        const inline = answer.headers['x-open-runtimes-logs'];
        const logs = inline !== undefined ? decodeInlineLogs(inline) : takeLogFiles(warm.runDir, logId);
        // The runtime answered, but the kernel stopped a process it started: its next execution gets a fresh tree.
        warm.oomSeen = oomKills(warm);
        if (warm.oomSeen !== oomBefore) {
          retire(warm);
          logs.errors += `${logs.errors ? '\n' : ''}A process of the function ran out of memory and was stopped (limit: ${warm.memoryMb} MB).`;
        }
        for (const name of Object.keys(answer.headers)) if (name.startsWith('x-open-runtimes-')) delete answer.headers[name];
        // "No encoding", said by runtimes whose server would otherwise compress the function's answer.
        if (answer.headers['content-encoding'] === 'identity') delete answer.headers['content-encoding'];
        return { ...answer, ...logs, coldStart };
      } finally {
        release(warm);
      }
    },
    async lease(spec, signal) {
      if (signal?.aborted) throw new LeaseAbortedError();
      let warm = processes.get(spec.key);
      const coldStart = warm === undefined;
      warm ??= start(spec);
      const held = warm;
      await acquire(held, signal);
      try {
        await held.ready;
        // The caller left while the process started.
        if (signal?.aborted) throw new LeaseAbortedError();
      } catch (error) {
        release(held);
        throw error;
      }
      const oomBefore = held.oomSeen;
      let released = false;
      return {
        socketPath: held.socketPath,
        agent: held.agent,
        logsDir: join(held.runDir, 'logs'),
        coldStart,
        async explain(error) {
          await exited(held, 1000);
          if (oomKills(held) === oomBefore) return error;
          stop(held);
          return new OutOfMemoryError(held.memoryMb);
        },
        stop: () => stop(held),
        recentErrors: () => held.stderr,
        release() {
          if (released) return;
          released = true;
          // A process of its tree was stopped for memory while it answered: the next request gets a fresh tree.
          held.oomSeen = oomKills(held);
          if (held.oomSeen !== oomBefore) retire(held);
          release(held);
        },
      };
    },
    warm(spec) {
      if (processes.has(spec.key)) return;
      const warm = start(spec);
      warm.idleTimer = setTimeout(() => stop(warm), options.idleMs);
      warm.idleTimer.unref();
    },
    stopGroup(group) {
      for (const warm of [...running]) if (warm.group === group) stop(warm);
    },
    stopOwner(owner) {
      for (const warm of [...running]) if (warm.owner === owner) stop(warm);
    },
    size: () => processes.size,
    memoryUsage() {
      const all = [...running];
      const bytes = readTreeMemory(all.map((warm) => warm.child));
      const processes = all.map((warm, i) => ({ key: warm.key, bytes: bytes[i]!, busy: warm.active > 0 }));
      return { totalBytes: bytes.reduce((sum, b) => sum + b, 0), processes };
    },
    close() {
      for (const warm of [...running]) stop(warm);
      releaseLimits();
    },
  };
}
