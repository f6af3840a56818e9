import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import type { Seeding } from './documents.js';
import type { LoadResult, LoadSettings } from './load.js';
import type { ColdStart } from './plinth.js';

export interface Memory {
  baselineIdleKb: number | undefined;
  plinthIdleKb: number | undefined;
  plinthAfterLoadKb: number | undefined;
  plinthPeakKb: number | undefined;
  /** The SQLite server again after seeding and the document scenarios. */
  plinthAfterDocumentsKb: number | undefined;
  /** The measured pid holds the listening socket itself. */
  pidVerified: boolean;
}

export interface Report {
  date: Date;
  /** 1-minute load average when the bench began: anything else running skews a 2-core box. */
  loadAtStart: number;
  settings: LoadSettings;
  loads: LoadResult[];
  coldStarts: ColdStart[];
  memory: Memory;
  countriesBytes: number;
  /** One entry per engine the document scenarios ran on. */
  seeding: Seeding[];
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return NaN;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function autocannonVersion(): string {
  const path = createRequire(import.meta.url).resolve('autocannon/package.json');
  return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
}

const ms = (value: number) => `${Math.round(value)} ms`;
const mb = (kb: number | undefined) => (kb === undefined ? 'n/a' : `${(kb / 1024).toFixed(1)} MB`);
const int = (value: number) => Math.round(value).toLocaleString('en-US');

function loadTable(loads: LoadResult[]): string[] {
  const baseline = loads[0]?.reqPerSec ?? NaN;
  const rows = loads.map((load) => {
    const failed = load.errors + load.non2xx;
    return `| ${load.scenario} | ${load.connections} | ${int(load.reqPerSec)} | ${load.p50Ms.toFixed(2)} ms | ${load.p99Ms.toFixed(2)} ms | ${(load.reqPerSec / baseline).toFixed(2)}× | ${(load.bytesPerSec / 1024 / 1024).toFixed(1)} | ${int(load.total)} | ${failed} |`;
  });
  return [
    '| Scenario | connections | req/s | p50 | p99 | vs baseline | MB/s | requests | errors + non-2xx |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
  ];
}

function coldStartRow(starts: ColdStart[]): string {
  const each = starts.map((start) => Math.round(start.firstAnswerMs)).join(', ');
  return `| ${starts.length} | ${ms(median(starts.map((s) => s.listenMs)))} | ${ms(median(starts.map((s) => s.firstAnswerMs)))} | ${each} |`;
}

function documentNotes(seeding: Seeding[]): string[] {
  if (seeding.length === 0) return [];
  return [
    'Document scenarios run with an API key (X-Appwrite-Key) on a collection `posts` (title string 128, body string 2000, ' +
      'rank integer with a key index, published boolean) seeded with documents whose rank is the index modulo 1000, so the ' +
      'filtered list matches 100. The create scenario uses `unique()` ids; get and update hit one fixed document.',
    '',
    '| Engine | documents seeded | how | seconds | documents/s |',
    '|---|---:|---|---:|---:|',
    ...seeding.map((s) => `| ${s.engine} | ${int(s.documents)} | ${s.method === 'bulk' ? 'bulk create, 100 a request' : 'single creates, 16 in flight'} | ${(s.ms / 1000).toFixed(1)} | ${int(s.documents / (s.ms / 1000))} |`),
    '',
  ];
}

export function renderMarkdown(report: Report): string {
  const { settings, memory } = report;
  return [
    '# Plinth HTTP pipeline benchmark',
    '',
    `- Date: ${report.date.toISOString()}`,
    `- Machine: nproc ${availableParallelism()}, ${(totalmem() / 1024 ** 3).toFixed(1)} GiB RAM, ${cpus()[0]?.model.trim() ?? 'unknown CPU'}`,
    `- Node ${process.version} (${process.platform}/${process.arch}); 1-min load average ${report.loadAtStart.toFixed(2)} at start, ${loadavg()[0]?.toFixed(2)} at end`,
    `- autocannon ${autocannonVersion()}: ${settings.connections} connections, pipelining ${settings.pipelining}, ` +
      `${settings.warmupSeconds} s warm-up (not counted), then ${settings.durationSeconds} s measured per scenario; ` +
      'autocannon runs in the bench process on the same machine as the server.',
    '- Servers listen on 127.0.0.1; Plinth on SQLite in a fresh temp data dir, PLINTH_LOG_LEVEL=warn' +
      (report.seeding.some((s) => s.engine === 'postgres') ? '; the [postgres] rows on a second server with PLINTH_DB set to a fresh PostgreSQL database.' : '.'),
    ...(report.loadAtStart > availableParallelism() / 2
      ? ['', `> **Warning:** the machine was already busy (load ${report.loadAtStart.toFixed(2)} on ${availableParallelism()} CPUs); absolute numbers are low and ratios noisy. Re-run on a quiet machine.`]
      : []),
    '',
    '## Throughput and latency',
    '',
    ...loadTable(report.loads),
    '',
    `req/s is the mean of autocannon's per-second counts; p50/p99 are over every 2xx response time of the measured run, sub-millisecond. /v1/locale/countries answers ${int(report.countriesBytes)} bytes of JSON.`,
    '',
    ...documentNotes(report.seeding),
    '## Startup (spawn of `node bin/plinth.js serve` to ready)',
    '',
    '| starts | median to "listening" log | median to first 200 | each, to first 200 (ms) |',
    '|---:|---:|---:|---|',
    coldStartRow(report.coldStarts),
    '',
    'Each start uses a fresh data dir (so it runs every migration) and PLINTH_LOG_LEVEL=info, to time the listening log line ' +
      'without polling. One unrecorded start before them lets bin/plinth.js rebuild a stale bundle.',
    '',
    '## Memory (VmRSS from /proc/<pid>/status)',
    '',
    '| Process | RSS |',
    '|---|---:|',
    `| baseline hello server, idle | ${mb(memory.baselineIdleKb)} |`,
    `| Plinth, ready and idle 2 s | ${mb(memory.plinthIdleKb)} |`,
    `| Plinth, after the load runs | ${mb(memory.plinthAfterLoadKb)} |`,
    `| Plinth, peak (VmHWM) | ${mb(memory.plinthPeakKb)} |`,
    `| Plinth, after seeding and the document scenarios | ${mb(memory.plinthAfterDocumentsKb)} |`,
    '',
    memory.pidVerified
      ? 'The measured pid is the one holding the listening socket (checked in /proc), so it is the server itself.'
      : 'WARNING: the measured pid does not hold the listening socket; the RSS above may be a launcher\'s.',
    '',
  ].join('\n');
}
