import { readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { Functions, ID, type Models } from 'node-appwrite';
import { InputFile } from 'node-appwrite/file';
import { packFunction } from './fixtures.js';

const UNFINISHED = new Set(['waiting', 'processing', 'building']);

/**
 * How long a wait for the sandbox gives up after: a deadline rather than a count of polls, so a
 * machine loaded by other work (slower polls, slower builds) gets the same time, not less.
 */
export const SANDBOX_PATIENCE_MS = 180_000;

/** Calls `check` every `everyMs` until it returns something other than undefined or the patience runs out. */
export async function pollUntil<T>(check: () => T | undefined | Promise<T | undefined>, everyMs: number, patienceMs = SANDBOX_PATIENCE_MS): Promise<T | undefined> {
  const giveUpAt = Date.now() + patienceMs;
  for (;;) {
    const found = await check();
    if (found !== undefined || Date.now() >= giveUpAt) return found;
    await delay(everyMs);
  }
}

/** Polls the deployment until its build finished (ready, failed or canceled). */
export async function waitForBuild(functions: Functions, functionId: string, deploymentId: string): Promise<Models.Deployment> {
  const finished = await pollUntil(async () => {
    const deployment = await functions.getDeployment({ functionId, deploymentId });
    return UNFINISHED.has(deployment.status) ? undefined : deployment;
  }, 20);
  if (!finished) throw new Error(`deployment ${deploymentId} still building`);
  return finished;
}

/** Polls an async execution until it finished. */
export async function waitForExecution(functions: Functions, functionId: string, executionId: string): Promise<Models.Execution> {
  const finished = await pollUntil(async () => {
    const execution = await functions.getExecution({ functionId, executionId });
    return execution.status === 'completed' || execution.status === 'failed' ? execution : undefined;
  }, 20);
  if (!finished) throw new Error(`execution ${executionId} still running`);
  return finished;
}

/** Creates a function and deploys the files as its active deployment, waiting for the build. */
export async function deployFunction(
  functions: Functions,
  options: {
    runtime: string;
    files: Record<string, string | Buffer>;
    entrypoint: string;
    commands?: string;
    execute?: string[];
    timeout?: number;
    scopes?: string[];
    functionId?: string;
  },
): Promise<{ functionId: string; deployment: Models.Deployment }> {
  const created = await functions.create({
    functionId: options.functionId ?? ID.unique(),
    name: 'test function',
    runtime: options.runtime as never,
    execute: options.execute ?? [],
    timeout: options.timeout ?? 15,
    ...(options.scopes ? { scopes: options.scopes as never } : {}),
  });
  const deployment = await functions.createDeployment({
    functionId: created.$id,
    code: InputFile.fromBuffer(await packFunction(options.files), 'code.tar.gz'),
    activate: true,
    entrypoint: options.entrypoint,
    ...(options.commands ? { commands: options.commands } : {}),
  });
  return { functionId: created.$id, deployment: await waitForBuild(functions, created.$id, deployment.$id) };
}

/** An HTTP request with a Host header of its own choosing (fetch does not let one set it). */
export function rawRequest(
  endpoint: string,
  host: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const url = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const outgoing = request({ hostname: url.hostname, port: url.port, method: options.method ?? 'GET', path, headers: { ...options.headers, host } }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body: Buffer.concat(chunks).toString('utf8') }));
      incoming.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}

/** Host processes whose command line or environment holds the marker. */
export function processesMarked(marker: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const text = readFileSync(`/proc/${name}/cmdline`, 'utf8') + readFileSync(`/proc/${name}/environ`, 'utf8');
      if (text.includes(marker)) found.push(Number(name));
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return found;
}

/** Waits until no host process holds the marker; the pids still there when it gives up. */
export async function waitForNoProcesses(marker: string): Promise<number[]> {
  const gone = await pollUntil(() => (processesMarked(marker).length === 0 ? [] : undefined), 50);
  return gone ?? processesMarked(marker);
}
