import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

export const BIN = resolve(import.meta.dirname, '../../bin/plinth.js');

/** A running server the test harness can stop: a process of its own, or one inside the test. */
export interface ServerRun {
  url: string;
  /** The server process's id, when it runs as a process of its own. */
  pid?: number;
  /** Ends the server: SIGTERM closes it cleanly, SIGKILL as a crash would. */
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** `plinth serve` as a process, for tests where the process itself is under test; its output goes to `logs`. */
export async function spawnServer(env: NodeJS.ProcessEnv, logs: string[]): Promise<ServerRun> {
  const child = spawn(process.execPath, [BIN, 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr?.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolveUrl, reject) => {
    const fail = (why: string) => reject(new Error(`server did not start: ${why}\n${logs.join('')}`));
    child.once('exit', (code) => fail(`exited with ${code}`));
    lines.on('line', (line) => {
      logs.push(line);
      if (logs.length > 2000) logs.splice(0, 1000);
      const listening = /"url":"(http:\/\/[^"]+)"/.exec(line)?.[1];
      if (listening) resolveUrl(listening.replace('localhost', '127.0.0.1'));
    });
  });
  return { url, pid: child.pid, kill: (signal) => killProcess(child, signal) };
}

async function killProcess(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((done) => child.once('exit', done));
  child.kill(signal);
  await exited;
}
