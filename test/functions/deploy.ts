import { readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { Functions, ID, type Models } from 'node-appwrite';
import { InputFile } from 'node-appwrite/file';
import { packFunction } from './fixtures.js';

const UNFINISHED = new Set(['waiting', 'processing', 'building']);

/** Polls the deployment until its build finished (ready, failed or canceled). */
export async function waitForBuild(functions: Functions, functionId: string, deploymentId: string): Promise<Models.Deployment> {
  for (let attempt = 0; attempt < 600; attempt++) {
    const deployment = await functions.getDeployment({ functionId, deploymentId });
    if (!UNFINISHED.has(deployment.status)) return deployment;
    await delay(20);
  }
  throw new Error(`deployment ${deploymentId} still building`);
}

/** Polls an async execution until it finished. */
export async function waitForExecution(functions: Functions, functionId: string, executionId: string): Promise<Models.Execution> {
  for (let attempt = 0; attempt < 600; attempt++) {
    const execution = await functions.getExecution({ functionId, executionId });
    if (execution.status === 'completed' || execution.status === 'failed') return execution;
    await delay(20);
  }
  throw new Error(`execution ${executionId} still running`);
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
  for (let attempt = 0; attempt < 200; attempt++) {
    const left = processesMarked(marker);
    if (left.length === 0) return left;
    await delay(50);
  }
  return processesMarked(marker);
}
