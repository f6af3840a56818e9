import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, totalmem } from 'node:os';
import type { LoadResult } from '../load.js';
import { SCENARIOS, type ScenarioId } from './scenarios.js';
import type { PeersSettings } from './settings.js';

export interface Measured {
  load?: LoadResult;
  peakRssKb?: number;
  /** Why the number is not like for like (marked †). */
  caveat?: string;
  /** Why the scenario has no numbers: not expressible, or it failed. */
  missing?: string;
}

export interface SystemRun {
  name: string;
  version: string;
  setup: string;
  seeding: string[];
  notes: string[];
  /** Why the system has no numbers at all. */
  failure?: string;
  results: Partial<Record<ScenarioId, Measured>>;
}

export interface PeersReport {
  date: Date;
  loadAtStart: number;
  settings: PeersSettings;
  runs: SystemRun[];
  wallSeconds: number;
}

const int = (value: number) => Math.round(value).toLocaleString('en-US');
const ms = (value: number) => (Number.isFinite(value) ? `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms` : 'n/a');
const mb = (kb: number | undefined) => (kb === undefined ? 'n/a' : `${Math.round(kb / 1024)} MB`);

function autocannonVersion(): string {
  const path = createRequire(import.meta.url).resolve('autocannon/package.json');
  return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
}

function ratio(load: LoadResult | undefined, reference: LoadResult | undefined): string {
  if (!load || !reference || reference.reqPerSec === 0) return 'n/a';
  return `${(load.reqPerSec / reference.reqPerSec).toFixed(2)}×`;
}

function cellText(measured: Measured | undefined, run: SystemRun): string {
  if (run.failure) return 'failed';
  if (!measured?.load) return measured?.missing ?? 'n/a';
  return `${int(measured.load.reqPerSec)}${measured.caveat ? ' †' : ''}`;
}

export function renderPeers(report: PeersReport): string {
  const { settings, runs } = report;
  const reference = runs[0];
  const load = settings.load;
  const lines: string[] = [
    '# Plinth next to Parse Server and Directus',
    '',
    `Run ${report.date.toISOString().slice(0, 16).replace('T', ' ')} UTC on ${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), ` +
      `${(totalmem() / 1024 ** 3).toFixed(1)} GiB, Node ${process.version} (Directus on its own Node 22); load average at start ${report.loadAtStart.toFixed(2)}; ` +
      `whole run ${Math.round(report.wallSeconds)} s.`,
    '',
    `Load generator: autocannon ${autocannonVersion()}, in the bench process on the same cores as the server; ` +
      `${load.connections} connections (sign-in: 10), pipelining ${load.pipelining}, ${load.warmupSeconds} s warm-up then ${load.durationSeconds} s measured per scenario; ` +
      'one system runs at a time. p50/p99 count 2xx answers only. Peak RSS: the server process and its children, sampled every 200 ms during the scenario ' +
      '(the PostgreSQL server is outside that tree).',
    '',
    '## req/s (ratio to Plinth on SQLite)',
    '',
    `| scenario | ${runs.map((run) => run.name).join(' | ')} |`,
    `|---|${runs.map(() => '---:').join('|')}|`,
  ];
  for (const scenario of SCENARIOS) {
    const cells = runs.map((run) => {
      const measured = run.results[scenario.id];
      const text = cellText(measured, run);
      return measured?.load && run !== reference ? `${text} (${ratio(measured.load, reference?.results[scenario.id]?.load)})` : text;
    });
    lines.push(`| ${scenario.label}${scenario.connections ? ` (${scenario.connections} conn.)` : ''} | ${cells.join(' | ')} |`);
  }
  const caveats = runs.flatMap((run) =>
    SCENARIOS.flatMap((scenario) => {
      const caveat = run.results[scenario.id]?.caveat;
      return caveat ? [`† ${run.name}, ${scenario.label}: ${caveat}`] : [];
    }),
  );
  if (caveats.length > 0) lines.push('', ...caveats);
  lines.push('', '## Every measure', '', '| scenario | system | req/s | p50 | p99 | peak RSS | vs Plinth SQLite | requests | errors + non-2xx |', '|---|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const scenario of SCENARIOS) {
    for (const run of runs) {
      const measured = run.results[scenario.id];
      const result = measured?.load;
      if (!result) {
        lines.push(`| ${scenario.label} | ${run.name} | ${cellText(measured, run)} | | | | | | |`);
        continue;
      }
      const failed = result.errors + result.non2xx;
      lines.push(
        `| ${scenario.label} | ${run.name} | ${cellText(measured, run)} | ${ms(result.p50Ms)} | ${ms(result.p99Ms)} | ${mb(measured.peakRssKb)} | ${ratio(result, reference?.results[scenario.id]?.load)} | ${int(result.total)} | ${failed} |`,
      );
    }
  }
  lines.push('', '## Systems', '');
  for (const run of runs) {
    lines.push(`### ${run.name} ${run.version}`, '', run.setup, '');
    if (run.failure) lines.push(`**Failed:** ${run.failure.split('\n')[0]}`, '');
    for (const line of run.seeding) lines.push(`- seeding: ${line}`);
    for (const note of run.notes) lines.push(`- ${note}`);
    const missing = Object.entries(run.results).filter(([, measured]) => measured?.missing);
    for (const [id, measured] of missing) lines.push(`- ${id}: ${measured?.missing}`);
    lines.push('');
  }
  lines.push(
    '## Data and scenarios',
    '',
    '- Two collections of posts (title, body of ~250 characters, an integer `rank` with an index, a boolean `published`): 10,000 and 100,000 rows; ' +
      '`rank` takes 100 and 1,000 values, so `rank = 42` matches 100 rows in either and the list shows 20.',
    '- Scenarios 1–4 use each system\'s server credential (Plinth API key, Parse master key, Directus admin static token). ' +
      'Creates run last, so the rows they add cannot change what the reads see.',
    '- Scenario 5 signs the one seeded user in with each system\'s default password hashing.',
    '- Scenario 6 lists 20 rows of the 10,000-row collection as that user, without a total; the user may read the 5,000 published rows only ' +
      '(Plinth: document security with a per-document read permission for the user; Parse: a per-row ACL naming the user). ' +
      'Directus 12.4.0 refuses an item filter in a permission without a licence, so there the user\'s policy reads every row (marked †).',
    '- The machine is shared and has 2 cores: the load generator competes with the server, so absolute numbers are low and noisy; the ratios within one run are the point.',
    '',
  );
  return lines.join('\n');
}

export function loadNow(): number {
  return loadavg()[0] ?? NaN;
}
