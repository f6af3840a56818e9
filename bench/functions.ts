// `npm run bench:functions`: function cold start (deploy → first response, and build ready →
// first response), warm execution latency and throughput, each beside a plain node:http server
// answering the same request in the same run; then one row per runtime this host offers (the same
// trivial function in each language): build time, cold start, warm latency through /run and executions per second.
import { fileURLToPath } from 'node:url';
import * as tar from 'tar';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startHello } from './baseline.js';
import { cleanupOnSignals, createCleanup } from './cleanup.js';
import { Latencies } from './latencies.js';
import { readLoadSettings, runLoad, type LoadResult } from './load.js';
import { createApiKey, createProject, makeDataDir, PROJECT_ID, startPlinth } from './plinth.js';
import { resultsFile, saveResults } from './results.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS = resultsFile('functions.md');
const COLD_STARTS = 5;
const SEQUENTIAL = 300;
const FUNCTION = `module.exports = async ({ res }) => res.json({ version: '1.9.6' });\n`;

/** The same trivial function per language family, as deployed by the per-runtime table. */
const TRIVIAL: Record<string, { file: string; code: string }> = {
  js: { file: 'index.mjs', code: `export default async ({ res }) => res.json({ version: '1.9.6' });\n` },
  python: { file: 'main.py', code: `def main(context):\n    return context.res.json({"version": "1.9.6"})\n` },
  cpp: {
    file: 'src/main.cc',
    code: `namespace runtime {\nclass Handler {\n public:\n  static RuntimeOutput main(RuntimeContext &context) {\n    Json::Value answer;\n    answer["version"] = "1.9.6";\n    return context.res.json(answer);\n  }\n};\n}\n`,
  },
  php: { file: 'index.php', code: `<?php\nreturn function ($context) {\n    return $context->res->json(['version' => '1.9.6']);\n};\n` },
  ruby: { file: 'main.rb', code: `def main(context)\n  context.res.json({ version: '1.9.6' })\nend\n` },
  go: {
    file: 'main.go',
    code: `package handler\n\nimport "github.com/open-runtimes/types-for-go/v4/openruntimes"\n\nfunc Main(Context openruntimes.Context) openruntimes.Response {\n\treturn Context.Res.Json(map[string]any{"version": "1.9.6"})\n}\n`,
  },
  java: {
    file: 'src/Main.java',
    code: `package io.openruntimes.java.src;\n\nimport io.openruntimes.java.RuntimeContext;\nimport io.openruntimes.java.RuntimeOutput;\nimport java.util.Map;\n\npublic class Main {\n    public RuntimeOutput main(RuntimeContext context) {\n        return context.getRes().json(Map.of("version", "1.9.6"));\n    }\n}\n`,
  },
  rust: {
    file: 'src/lib.rs',
    code: `use openruntimes::{Context, Response};\n\npub fn main(context: Context) -> Response {\n    context.res.json(serde_json::json!({ "version": "1.9.6" }), Default::default())\n}\n`,
  },
};
/** Runtimes in the per-runtime table, when the server offers them (`go`: the Go this host has); BENCH_RUNTIMES (ids, comma-separated) picks some. */
const RUNTIME_ROWS = process.env.BENCH_RUNTIMES?.split(',').map((id) => id.trim()).filter(Boolean) ?? [
  'node-20.0', 'node-22', 'node-25', 'bun-1.3', 'deno-2.6', 'python-3.11', 'python-ml-3.11', 'php-8.2', 'ruby-3.1', 'go', 'java-17.0', 'cpp-17', 'cpp-20', 'rust-1.83',
];

function trivialFor(runtime: string): { file: string; code: string } {
  const family = ['python', 'php', 'ruby', 'go', 'java', 'cpp', 'rust'].find((prefix) => runtime.startsWith(`${prefix}-`)) ?? 'js';
  return TRIVIAL[family]!;
}
const RUNTIME_SEQUENTIAL = 200;

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

async function packTrivialFunction(file = 'index.js', code = FUNCTION): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'plinth-bench-fn-'));
  try {
    await mkdir(dirname(join(dir, file)), { recursive: true });
    await writeFile(join(dir, file), code);
    await tar.c({ gzip: true, file: join(dir, 'code.tar.gz'), cwd: dir }, [file]);
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

interface RuntimeRow {
  runtime: string;
  deployMs: number;
  /** Upload → ready: the build, with the upload and the polling around it. */
  buildMs: number;
  firstMs: number;
  p50: number;
  p99: number;
  perSecond: number;
}

/** Deploys the trivial function on one runtime and times it: cold start, then warm calls and executions per second. */
async function measureRuntime(url: string, headers: Record<string, string>, runtime: string, settings: ReturnType<typeof readLoadSettings>): Promise<RuntimeRow> {
  const json = { ...headers, 'content-type': 'application/json' };
  const trivial = trivialFor(runtime);
  const functionId = `rt-${runtime.replace(/\./g, '_')}`;
  await api(url, json, '/functions', { method: 'POST', body: JSON.stringify({ functionId, name: runtime, runtime, execute: ['any'] }) });
  // Fetched once before timing, so the cold start is the runtime's and not the download's.
  await deploy(url, headers, functionId, await packTrivialFunction(trivial.file, trivial.code), trivial.file);
  await api(url, json, `/functions/${functionId}/executions`, { method: 'POST', body: '{}' });
  const archive = await packTrivialFunction(trivial.file, trivial.code);
  const started = performance.now();
  await deploy(url, headers, functionId, archive, trivial.file);
  const firstStarted = performance.now();
  const execution = await api(url, json, `/functions/${functionId}/executions`, { method: 'POST', body: '{}' });
  if (execution.status !== 'completed') throw new Error(`${runtime}: ${execution.errors}`);
  const row = { deployMs: performance.now() - started, buildMs: firstStarted - started, firstMs: performance.now() - firstStarted };
  const runUrl = `${url}/v1/functions/${functionId}/run?project=${PROJECT_ID}`;
  const [p50, p99] = await sequential(RUNTIME_SEQUENTIAL, async () => void (await (await fetch(runUrl)).text()));
  const load = await runLoad(`${runtime} /executions`, `${url}/v1/functions/${functionId}/executions`, json, settings, { method: 'POST', body: '{}', connections: 16 });
  return { runtime, ...row, p50: p50!, p99: p99!, perSecond: load.reqPerSec };
}

/** Uploads and activates a deployment, waiting until it is ready. */
async function deploy(url: string, headers: Record<string, string>, functionId: string, archive: Buffer, entrypoint: string): Promise<void> {
  const form = new FormData();
  form.set('code', new Blob([archive]), 'code.tar.gz');
  form.set('activate', 'true');
  form.set('entrypoint', entrypoint);
  const deployment = await api(url, headers, `/functions/${functionId}/deployments`, { method: 'POST', body: form });
  for (;;) {
    const state = await api(url, headers, `/functions/${functionId}/deployments/${deployment.$id}`);
    if (state.status === 'ready') return;
    if (state.status === 'failed') throw new Error(state.buildLogs);
  }
}

async function main(): Promise<void> {
  // Runtimes fetched from the npm registry are kept between runs (and shared with the test suite).
  process.env.PLINTH_FUNCTIONS_RUNTIMES_DIR ||= join(homedir(), '.cache', 'plinth-test-runtimes');
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

    const offered = new Set(((await api(plinth.url, headers, '/functions/runtimes')).runtimes as Array<{ $id: string }>).map((runtime) => runtime.$id));
    const runtimeRows: RuntimeRow[] = [];
    const rows = RUNTIME_ROWS.flatMap((id) => (id === 'go' ? [...offered].filter((offer) => offer.startsWith('go-')) : [id]));
    for (const runtime of rows.filter((id) => offered.has(id))) {
      log(`runtime ${runtime}`);
      runtimeRows.push(await measureRuntime(plinth.url, headers, runtime, settings));
    }

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
      '## Per runtime (the same trivial function in each language)',
      '',
      `Cold start: a new deployment of an already-fetched runtime, deploy → first response and build ready → first response. Warm: ${RUNTIME_SEQUENTIAL} calls through /run one at a time, beside the node:http baseline above (p50 ${baselineSeq[0]!.toFixed(2)} ms). Executions/s: sync POST /executions, 16 connections.`,
      '',
      '| runtime | deploy → first response ms | upload → ready (build) ms | ready → first response ms | warm p50 ms | warm p99 ms | overhead over baseline p50 ms | executions/s |',
      '|---|---|---|---|---|---|---|---|',
      ...runtimeRows.map(
        (r) =>
          `| ${r.runtime} | ${Math.round(r.deployMs)} | ${Math.round(r.buildMs)} | ${r.firstMs.toFixed(1)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${(r.p50 - baselineSeq[0]!).toFixed(2)} | ${Math.round(r.perSecond)} |`,
      ),
      '',
    ];
    await saveResults(RESULTS, lines.join('\n'));
    process.stdout.write(lines.join('\n'));
  } finally {
    await cleanup.run();
  }
}

await main();
