// `node --import tsx bench/peers/profile.ts <scenario> [sqlite|postgres]`: one scenario of the peers bench
// against Plinth started with --cpu-prof; prints the functions with the most self time.
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCleanup } from '../cleanup.js';
import { runLoad } from '../load.js';
import { agent, send } from './http-json.js';
import { SCENARIOS, type ScenarioId } from './scenarios.js';
import { readSettings } from './settings.js';
import { plinthSystem } from './systems/plinth.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TOP = 25;

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/**
 * Self time per function (name + file:line), as a share of the samples taken in the window
 * [fromEndMs, toEndMs] before the profile's end (which is the server's exit).
 */
function hotSpots(profile: Profile, fromEndMs: number, toEndMs: number): string[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMs = new Map<string, number>();
  let totalMs = 0;
  let at = profile.startTime;
  profile.samples.forEach((id, index) => {
    const node = byId.get(id);
    const ms = (profile.timeDeltas[index] ?? 0) / 1000;
    at += profile.timeDeltas[index] ?? 0;
    const beforeEndMs = (profile.endTime - at) / 1000;
    if (beforeEndMs > fromEndMs || beforeEndMs < toEndMs) return;
    totalMs += ms;
    if (!node) return;
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url.replace(/^file:\/\//, '').replace(ROOT, '');
    const key = `${functionName || '(anonymous)'} ${file ? `${file}:${lineNumber + 1}` : ''}`.trim();
    selfMs.set(key, (selfMs.get(key) ?? 0) + ms);
  });
  return [...selfMs.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, TOP)
    .map(([key, ms]) => `${((ms / totalMs) * 100).toFixed(1).padStart(5)}%  ${ms.toFixed(0).padStart(6)} ms  ${key}`);
}

async function main(): Promise<void> {
  const id = process.argv[2] as ScenarioId | undefined;
  const engine = (process.argv[3] ?? 'sqlite') as 'sqlite' | 'postgres';
  const scenario = SCENARIOS.find((candidate) => candidate.id === id);
  if (!scenario || !['sqlite', 'postgres'].includes(engine)) {
    throw new Error(`usage: profile.ts <${SCENARIOS.map((s) => s.id).join('|')}> [sqlite|postgres]`);
  }
  const settings = readSettings(process.env);
  const profileDir = await mkdtemp(join(tmpdir(), 'plinth-cpu-prof-'));
  const system = plinthSystem(`Plinth (${engine}, profiled)`, engine, ['--cpu-prof', `--cpu-prof-dir=${profileDir}`]);
  const cleanup = createCleanup();
  let loadStarted = NaN;
  let loadEnded = NaN;
  const log = (message: string) => process.stderr.write(`[profile] ${message}\n`);
  try {
    const prepared = await system.prepare({ root: ROOT, peersDir: '', adminPgUrl: settings.adminPgUrl, peers: { parseDir: '', directusDir: '', node22: '', failures: {} }, cleanup, log });
    const target = prepared.targets[scenario.id]!;
    const answer = await send(target.method, target.url, target.headers, target.body === undefined ? undefined : JSON.parse(target.body));
    target.check(answer.status, answer.body);
    agent.destroy();
    log(`load on ${scenario.label}`);
    loadStarted = performance.now() + settings.load.warmupSeconds * 1000;
    const load = await runLoad(scenario.label, target.url, target.headers, settings.load, {
      method: target.method,
      ...(target.body !== undefined ? { body: target.body } : {}),
      ...(scenario.connections ? { connections: scenario.connections } : {}),
    });
    loadEnded = performance.now();
    const output = prepared.server.tail().trim();
    if (output) log(`the server's last output:\n${output.slice(-1500)}`);
    log(`${Math.round(load.reqPerSec)} req/s, p50 ${load.p50Ms.toFixed(2)} ms, p99 ${load.p99Ms.toFixed(2)} ms`);
  } finally {
    // A SIGTERM lets the server exit on its own, which is when node writes the profile.
    await cleanup.run();
  }
  const exited = performance.now();
  const files = (await readdir(profileDir)).filter((name) => name.endsWith('.cpuprofile'));
  if (files.length === 0) throw new Error(`no profile written to ${profileDir}`);
  const profile = JSON.parse(await readFile(join(profileDir, files[0]!), 'utf8')) as Profile;
  const window = hotSpots(profile, exited - loadStarted, exited - loadEnded);
  process.stdout.write(`Self time during the measured load (${join(profileDir, files[0]!)}):\n${window.join('\n')}\n`);
}

await main().catch((error: unknown) => {
  process.stderr.write(`[profile] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
