import type { Sandbox, SandboxSpec } from './sandbox.js';
import { killSandboxed } from './sandbox.js';

export interface RunOutcome {
  exitCode: number | null;
  /** stdout and stderr interleaved as they came, cut to the last `maxOutput` characters. */
  output: string;
  timedOut: boolean;
  aborted: boolean;
}

/** Runs a command in the sandbox to its end (a build step), killed at the time limit or on abort. */
export function runToEnd(sandbox: Sandbox, spec: SandboxSpec, options: { timeoutMs: number; maxOutput: number; signal?: AbortSignal }): Promise<RunOutcome> {
  return new Promise((resolve) => {
    const child = sandbox.spawn(spec);
    // A build step gets no input: a prompt must fail, not wait forever.
    child.stdin?.end();
    let output = '';
    let timedOut = false;
    let aborted = false;
    const collect = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.length > options.maxOutput * 2) output = output.slice(-options.maxOutput);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    const timer = setTimeout(() => {
      timedOut = true;
      killSandboxed(child);
    }, options.timeoutMs);
    const onAbort = () => {
      aborted = true;
      killSandboxed(child);
    };
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (error) => collect(Buffer.from(`${error.message}\n`)));
    child.on('close', (code) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      resolve({ exitCode: code, output: output.slice(-options.maxOutput), timedOut, aborted });
    });
  });
}
