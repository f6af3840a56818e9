// `npm run bench:startup`: how fast `plinth serve` starts and how much memory it holds idle, beside
// `node -e 0` measured in the same run. Wall time swings with the machine's load; CPU time (user +
// system, read from /proc) much less, so both are reported.
import { existsSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { cleanupOnSignals, createCleanup, type Cleanup } from './cleanup.js';
import { httpGet, sleep } from './http.js';
import { makeDataDir, plinthEnv } from './plinth.js';
import { readStatusKb } from './proc.js';
import { runNode, spawnChild, stopChild } from './processes.js';
import { median } from './report.js';
import { resultsFile, runBench, writeResults } from './results.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = fileURLToPath(new URL('../dist/', import.meta.url));
const BUNDLE = `${DIST}plinth.cjs`;
const RESULTS = resultsFile('startup.md');
const RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 5);
const IDLE_MS = 2000;
const READY_TIMEOUT_MS = 30_000;
/** Clock ticks per second of /proc/<pid>/stat's CPU times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

const log = (message: string) => process.stderr.write(`[bench:startup] ${message}\n`);

interface StartSample {
  /** Spawn to the first 200 of GET /v1/health/version. */
  wallMs: number;
  /** User + system CPU of the process up to that answer. */
  cpuMs: number;
  /** Resident memory after IDLE_MS without requests. */
  idleRssKb: number | undefined;
}

interface BaselineSample {
  wallMs: number;
  cpuMs: number;
}

/**
 * User + system CPU time of a running process, all its threads included, and of the children it
 * has waited for (the build script). Not esbuild's: its service process is never waited for.
 */
async function cpuMsOf(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which may hold spaces, closed by the last ')': utime, stime, cutime, cstime.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = [11, 12, 13, 14].reduce((sum, index) => sum + Number(fields[index]), 0);
  return (ticks * 1000) / TICKS_PER_SECOND;
}

/** `node -e 0`, the floor: Node's own start and exit, reporting its own CPU time. */
async function nodeBaseline(): Promise<BaselineSample> {
  const started = performance.now();
  const stdout = await runNode(['-e', 'const u = process.cpuUsage(); process.stdout.write(String((u.user + u.system) / 1000))'], {
    cwd: ROOT,
    env: process.env,
    timeoutMs: 10_000,
  });
  return { wallMs: performance.now() - started, cpuMs: Number(stdout) };
}

/** One `plinth serve` on `dataDir`, timed from spawn to its first answer, then left idle and measured. */
async function oneStart(dataDir: string, cleanup: Cleanup): Promise<StartSample> {
  const started = performance.now();
  const child = spawnChild('plinth serve', ['bin/plinth.js', 'serve'], { cwd: ROOT, env: { ...plinthEnv(dataDir, 0, 'info') } });
  cleanup.defer(() => stopChild(child));
  try {
    const line = await child.waitForLine(/Plinth is listening/, READY_TIMEOUT_MS);
    const { url } = JSON.parse(line) as { url: string };
    const answer = await httpGet(`${url}/v1/health/version`, {}, 5000);
    const wallMs = performance.now() - started;
    const cpuMs = await cpuMsOf(child.pid);
    if (answer.status !== 200) throw new Error(`first answer was ${answer.status}: ${answer.body}`);
    await sleep(IDLE_MS);
    const idleRssKb = await readStatusKb(child.pid, 'VmRSS');
    return { wallMs, cpuMs, idleRssKb };
  } finally {
    await stopChild(child);
  }
}

const ms = (value: number) => `${Math.round(value)} ms`;
const mb = (kb: number | undefined) => (kb === undefined ? 'n/a' : `${(kb / 1024).toFixed(0)} MB`);

function row(name: string, samples: Array<{ wallMs: number; cpuMs: number }>, floor: BaselineSample, goal: string): string {
  const wall = median(samples.map((s) => s.wallMs));
  const cpu = median(samples.map((s) => s.cpuMs));
  return `| ${name} | ${ms(wall)} | ${ms(cpu)} | ${ms(wall - floor.wallMs)} | ${ms(cpu - floor.cpuMs)} | ${goal} |`;
}

async function main(): Promise<void> {
  const cleanup = createCleanup();
  cleanupOnSignals(cleanup);
  const loadAtStart = loadavg()[0] ?? NaN;
  try {
    const baselines: BaselineSample[] = [];
    const firsts: StartSample[] = [];
    const restarts: StartSample[] = [];
    const freshData: StartSample[] = [];
    for (let run = 1; run <= RUNS; run++) {
      // Interleaved, so that a change in the machine's load touches every kind alike.
      baselines.push(await nodeBaseline());
      // A fresh clone: no bundle, no code cache and no data directory yet.
      for (const name of await readdir(DIST).catch(() => [])) if (name.startsWith('plinth.')) await rm(`${DIST}${name}`, { force: true });
      const dataDir = await makeDataDir(cleanup);
      firsts.push(await oneStart(dataDir, cleanup));
      if (!existsSync(BUNDLE)) throw new Error(`the first start left no bundle at ${BUNDLE}`);
      // Later starts: the bundle and its code cache are there, and so is the data directory.
      restarts.push(await oneStart(dataDir, cleanup));
      freshData.push(await oneStart(await makeDataDir(cleanup), cleanup));
      const last = (samples: StartSample[]) => samples.at(-1) as StartSample;
      log(
        `run ${run}/${RUNS}: node -e 0 ${ms(baselines.at(-1)?.wallMs ?? NaN)}; first ${ms(last(firsts).wallMs)}; ` +
          `later ${ms(last(restarts).wallMs)}; fresh data ${ms(last(freshData).wallMs)}; idle ${mb(last(restarts).idleRssKb)}`,
      );
    }
    const floor: BaselineSample = { wallMs: median(baselines.map((b) => b.wallMs)), cpuMs: median(baselines.map((b) => b.cpuMs)) };
    const idle = [...firsts, ...restarts, ...freshData].map((s) => s.idleRssKb).filter((kb): kb is number => kb !== undefined);
    const markdown = [
      `# Start time and idle memory`,
      '',
      `${new Date().toISOString()}, Node ${process.version}, load average at start ${loadAtStart.toFixed(2)}; median of ${RUNS} runs each,`,
      `spawn of \`node bin/plinth.js serve\` (SQLite, log level info) to the first 200 of \`GET /v1/health/version\`.`,
      '',
      '| start | wall | CPU (user + sys) | wall beyond `node -e 0` | CPU beyond `node -e 0` | goal |',
      '|---|---:|---:|---:|---:|---:|',
      `| \`node -e 0\` (to exit) | ${ms(floor.wallMs)} | ${ms(floor.cpuMs)} | | | |`,
      row('first start of a fresh clone (bundle built, new data directory)', firsts, floor, '< 1.5 s'),
      row('later start (bundle, code cache and data directory there)', restarts, floor, '< 400 ms'),
      row('bundle and code cache there, new data directory', freshData, floor, ''),
      '',
      `Idle RSS ${IDLE_MS / 1000} s after the first answer: median ${mb(median(idle))} (min ${mb(Math.min(...idle))}, max ${mb(Math.max(...idle))}; goal < 100 MB).`,
      '',
      "The first start's CPU leaves out esbuild's own process, which Node never waits for.",
      '',
    ].join('\n');
    await writeResults(RESULTS, markdown);
  } finally {
    await cleanup.run();
  }
}

await runBench('bench:startup', main);
