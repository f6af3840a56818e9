// `npm run bench:functions`: function cold start (deploy → first response, and build ready →
// first response), warm execution latency and throughput, each beside a plain node:http server
// answering the same request in the same run.
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import * as tar from 'tar';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHello } from './baseline.js';
import { cleanupOnSignals, createCleanup } from './cleanup.js';
import { Latencies } from './latencies.js';
import { readLoadSettings, runLoad, type LoadResult } from './load.js';
import { createApiKey, createProject, makeDataDir, PROJECT_ID, startPlinth } from './plinth.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS = fileURLToPath(new URL('./results/functions.md', import.meta.url));
const COLD_STARTS = 5;
const SEQUENTIAL = 300;
const FUNCTION = `module.exports = async ({ res }) => res.json({ version: '1.9.6' });\n`;

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

async function packTrivialFunction(): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'plinth-bench-fn-'));
  try {
    await writeFile(join(dir, 'index.js'), FUNCTION);
    await tar.c({ gzip: true, file: join(dir, 'code.tar.gz'), cwd: dir }, ['index.js']);
    return await readFile(join(dir, 'code.tar.gz'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function api(url: string, headers: Record<string, string>, path: string, init: RequestInit = {}): Promise<any> {
  const response = await fetch(`${url}/v1${path}`, { ...init, headers: { ...headers, ...(init.headers as Record<string, string>) } });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${init.method ?? 'GET'} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

async function sequential(count: number, call: () => Promise<void>): Promise<number[]> {
  const latencies = new Latencies();
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await call();
    latencies.add(performance.now() - started);
  }
  return latencies.percentiles(50, 99);
}

async function main(): Promise<void> {
  const settings = readLoadSettings(process.env);
  const cleanup = createCleanup();
  cleanupOnSignals(cleanup);
  try {
    const dataDir = await makeDataDir(cleanup);
    await createProject(ROOT, dataDir);
    const key = await createApiKey(ROOT, dataDir);
    const plinth = await startPlinth(ROOT, dataDir, cleanup);
    const hello = await startHello(cleanup);
    const headers = { 'x-appwrite-project': PROJECT_ID, 'x-appwrite-key': key };
    const json = { ...headers, 'content-type': 'application/json' };
    const archive = await packTrivialFunction();

    const deployMs: number[] = [];
    const processMs: number[] = [];
    let functionId = '';
    for (let i = 0; i < COLD_STARTS; i++) {
      functionId = `bench${i}`;
      await api(plinth.url, json, '/functions', { method: 'POST', body: JSON.stringify({ functionId, name: 'bench', runtime: 'node-20.0', execute: ['any'] }) });
      const form = new FormData();
      form.set('code', new Blob([archive]), 'code.tar.gz');
      form.set('activate', 'true');
      form.set('entrypoint', 'index.js');
      const started = performance.now();
      const deployment = await api(plinth.url, headers, `/functions/${functionId}/deployments`, { method: 'POST', body: form });
      for (;;) {
        const state = await api(plinth.url, headers, `/functions/${functionId}/deployments/${deployment.$id}`);
        if (state.status === 'ready') break;
        if (state.status === 'failed') throw new Error(state.buildLogs);
      }
      const firstStarted = performance.now();
      const execution = await api(plinth.url, json, `/functions/${functionId}/executions`, { method: 'POST', body: '{}' });
      if (execution.status !== 'completed') throw new Error(execution.errors);
      deployMs.push(performance.now() - started);
      processMs.push(performance.now() - firstStarted);
      log(`cold start ${i + 1}/${COLD_STARTS}: deploy → first response ${Math.round(deployMs.at(-1)!)} ms, build ready → first response ${processMs.at(-1)!.toFixed(1)} ms`);
    }

    log(`warm: ${SEQUENTIAL} sequential requests each`);
    const runUrl = `${plinth.url}/v1/functions/${functionId}/run?project=${PROJECT_ID}`;
    const baselineSeq = await sequential(SEQUENTIAL, async () => void (await (await fetch(hello.url)).text()));
    const runSeq = await sequential(SEQUENTIAL, async () => void (await (await fetch(runUrl)).text()));
    const executionSeq = await sequential(SEQUENTIAL, async () => {
      await api(plinth.url, json, `/functions/${functionId}/executions`, { method: 'POST', body: '{}' });
    });

    log('throughput: autocannon against the baseline, the HTTP call path and the executions API');
    const loads: LoadResult[] = [
      await runLoad('node:http baseline', hello.url, {}, settings),
      await runLoad('function via /run', runUrl, {}, settings),
      await runLoad('POST /executions (sync)', `${plinth.url}/v1/functions/${functionId}/executions`, json, settings, { method: 'POST', body: '{}', connections: 16 }),
    ];

    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const lines = [
      '# Functions benchmark',
      '',
      `Node ${process.version}, ${new Date().toISOString()}, load average ${loadavg()[0]!.toFixed(1)} at the end; a trivial function answering JSON, sandbox as configured (bubblewrap when available).`,
      '',
      '## Cold start (median of ' + COLD_STARTS + ')',
      '',
      `- deploy → first response (upload, build, activate, process start, execution): ${Math.round(median(deployMs))} ms`,
      `- build ready → first response (the runtime starts when the build activates; one execution through the API): ${median(processMs).toFixed(1)} ms`,
      '',
      '## Warm latency, one request at a time (' + SEQUENTIAL + ' requests)',
      '',
      '| request | p50 ms | p99 ms |',
      '|---|---|---|',
      `| node:http baseline | ${baselineSeq[0]!.toFixed(2)} | ${baselineSeq[1]!.toFixed(2)} |`,
      `| function via /run | ${runSeq[0]!.toFixed(2)} | ${runSeq[1]!.toFixed(2)} |`,
      `| POST /executions (sync, recorded) | ${executionSeq[0]!.toFixed(2)} | ${executionSeq[1]!.toFixed(2)} |`,
      '',
      '## Throughput (autocannon)',
      '',
      '| scenario | connections | req/s | p50 ms | p99 ms | errors |',
      '|---|---|---|---|---|---|',
      ...loads.map((l) => `| ${l.scenario} | ${l.connections} | ${Math.round(l.reqPerSec)} | ${l.p50Ms.toFixed(2)} | ${l.p99Ms.toFixed(2)} | ${l.errors + l.non2xx} |`),
      '',
    ];
    await mkdir(fileURLToPath(new URL('./results/', import.meta.url)), { recursive: true });
    await writeFile(RESULTS, lines.join('\n'));
    process.stdout.write(lines.join('\n'));
  } finally {
    await cleanup.run();
  }
}

await main();
