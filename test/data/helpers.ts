import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { openDatabase } from '../../src/data/open-database.js';
import type { Database } from '../../src/data/database.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';

export const FIXTURES = resolve(import.meta.dirname, 'fixtures');
const COMPILED = import.meta.url.endsWith('.js');

/** A store of its own (a temp data dir, and on PostgreSQL a fresh database) and the way back out. */
export class TestStore {
  private readonly opened: Database[] = [];

  private constructor(
    readonly dataDir: string,
    readonly database: TestDatabase,
  ) {}

  static async create(): Promise<TestStore> {
    const dataDir = await mkdtemp(join(tmpdir(), 'plinth-data-test-'));
    return new TestStore(dataDir, await createTestDatabase());
  }

  get url(): string | undefined {
    return this.database.url;
  }

  /** A Database on this store; closed by `destroy` unless closed before. */
  open(): Database {
    const db = openDatabase({ url: this.url, dataDir: this.dataDir });
    this.opened.push(db);
    return db;
  }

  /** What a child process needs to open the same store. */
  childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env, PLINTH_DATA_DIR: this.dataDir, ...extra };
    if (this.url) env.PLINTH_DB = this.url;
    else delete env.PLINTH_DB;
    return env;
  }

  async destroy(): Promise<void> {
    // close() is idempotent on both engines, so closing twice is harmless.
    await Promise.all(this.opened.map((db) => db.close()));
    await this.database.drop();
    await rm(this.dataDir, { recursive: true, force: true });
  }
}

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A fixture script run in a node process of its own, its stdout read line by line. */
export class Child {
  /** Children not yet ended, so that a failed test leaves no process behind. */
  private static readonly live = new Set<Child>();
  readonly lines: string[] = [];
  stderr = '';
  readonly exited: Promise<ChildExit>;
  private readonly listeners = new Set<() => void>();

  constructor(
    readonly process: ChildProcess,
  ) {
    createInterface({ input: process.stdout! }).on('line', (line) => {
      this.lines.push(line);
      for (const listener of this.listeners) listener();
    });
    process.stderr!.on('data', (chunk) => (this.stderr += String(chunk)));
    // 'close' fires once stdout and stderr are drained, so `lines` is complete then.
    this.exited = new Promise((resolve) =>
      process.on('close', (code, signal) => {
        Child.live.delete(this);
        resolve({ code, signal });
      }),
    );
    Child.live.add(this);
  }

  /** For `after` hooks: SIGKILLs every child still running and waits for them to end. */
  static async killAll(): Promise<void> {
    const children = [...Child.live];
    for (const child of children) child.kill();
    await Promise.all(children.map((child) => child.exited));
  }

  static start(fixture: string, env: NodeJS.ProcessEnv, args: string[] = []): Child {
    // Run as this file runs: compiled beside it by the test runner, or from the sources through tsx.
    const script = COMPILED ? [join(FIXTURES, fixture.replace(/\.ts$/, '.js'))] : ['--import', 'tsx', join(FIXTURES, fixture)];
    const child = spawn(process.execPath, [...script, ...args], {
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    return new Child(child);
  }

  /** Resolves once a line satisfies `predicate`; rejects if the child ends first or time runs out. */
  waitForLines(predicate: (lines: readonly string[]) => boolean, timeoutMs = 60_000): Promise<void> {
    return new Promise((resolvePromise, reject) => {
      const done = (error?: Error) => {
        clearTimeout(timer);
        this.listeners.delete(check);
        if (error) reject(error);
        else resolvePromise();
      };
      const check = () => {
        if (predicate(this.lines)) done();
      };
      const timer = setTimeout(() => done(new Error(`timed out; stdout: ${this.lines.join('\n')}\nstderr: ${this.stderr}`)), timeoutMs);
      this.listeners.add(check);
      void this.exited.then(({ code, signal }) => {
        if (!predicate(this.lines)) done(new Error(`child ended (code ${code}, signal ${signal}): ${this.stderr}`));
      });
      check();
    });
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    this.process.kill(signal);
  }
}

/** Polls a condition that lives in the database, where there is no event to await. */
export async function waitUntil(condition: () => Promise<boolean> | boolean, timeoutMs = 5000, everyMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(everyMs);
  }
}

/** A promise and the functions that settle it. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
