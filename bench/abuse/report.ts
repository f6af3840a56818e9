import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import type { ProbeTally } from './probe.js';
import type { AttemptResult } from './run-attempt.js';
import type { AbuseSettings } from './settings.js';

export const GOAL_MS = 100;

export interface AbuseReport {
  date: Date;
  engine: 'SQLite' | 'PostgreSQL';
  settings: AbuseSettings;
  loadAtStart: number;
  documents: number;
  title: string;
  idle: ProbeTally;
  results: AttemptResult[];
}

function stall(tally: ProbeTally): string {
  const ms = tally.longestMs;
  const text = ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
  return tally.stuck && ms >= 1000 ? `> ${text}` : text;
}

export function meetsGoal(tally: ProbeTally): boolean {
  return !tally.stuck && tally.longestMs <= GOAL_MS;
}

function keptAnswering(tally: ProbeTally): string {
  if (tally.failed === 0 && tally.timeouts === 0 && !tally.stuck) return 'yes';
  const why = [];
  if (tally.failed) why.push(`${tally.failed} failed${tally.firstFailure ? ` (first: ${tally.firstFailure})` : ''}`);
  if (tally.timeouts) why.push(`${tally.timeouts} waited > 1 s`);
  if (tally.stuck) why.push('last still waiting');
  return `no: ${why.join(', ')}`;
}

const cell = (text: string) => text.replaceAll('|', '\\|');

/** The per-attempt table, as printed and as written to the report. */
export function resultTable(results: AttemptResult[]): string[] {
  return [
    `| # | Attempt | Longest stall | ≤ ${GOAL_MS} ms | Probes answered / sent | /v1/health/version kept answering | What the attacker got | Afterwards |`,
    '|---:|---|---:|:---:|---:|---|---|---|',
    ...results.map(
      (r, i) =>
        `| ${i + 1} | ${cell(`${r.group}: ${r.name}`)} | ${stall(r.tally)} | ${meetsGoal(r.tally) ? 'yes' : '**no**'} | ${r.tally.answered} / ${r.tally.sent} | ${cell(keptAnswering(r.tally))} | ${cell(r.outcome)} | ${cell(r.aftermath ?? 'answers')} |`,
    ),
  ];
}

export function goalLine(results: AttemptResult[]): string {
  const over = results.filter((r) => !meetsGoal(r.tally)).length;
  return over === 0
    ? `**Goal: no attempt stalls the loop for more than ${GOAL_MS} ms: met** (${results.length} attempts).`
    : `**Goal: no attempt stalls the loop for more than ${GOAL_MS} ms: not met**, ${over} of ${results.length} attempts stalled it longer.`;
}

export function renderAbuseMarkdown(report: AbuseReport): string {
  const { settings } = report;
  return [
    '# Plinth abuse benchmark',
    '',
    `- Date: ${report.date.toISOString()}`,
    `- Machine: nproc ${availableParallelism()}, ${(totalmem() / 1024 ** 3).toFixed(1)} GiB RAM, ${cpus()[0]?.model.trim() ?? 'unknown CPU'}; 1-min load average ${report.loadAtStart.toFixed(2)} at start, ${loadavg()[0]?.toFixed(2)} at end`,
    `- Node ${process.version}; Plinth on ${report.engine}, listening on 127.0.0.1, PLINTH_LOG_LEVEL=warn, every other setting at the server's default` +
      (settings.passedThrough.length ? ` except, from the bench's environment: ${settings.passedThrough.join(', ')}` : ''),
    `- Server open-file limit: ${settings.openFiles > 0 ? `${settings.openFiles} (set on its pid with prlimit after start; BENCH_ABUSE_NOFILE)` : 'inherited'}`,
    `- Target: a public collection (read: any; no one may write as a guest) of ${report.documents.toLocaleString('en-US')} documents titled \`${report.title}\`; every attack is a guest's (no session, no key)`,
    `- Each attempt is cut off after ${settings.boundSeconds} s (BENCH_ABUSE_SECONDS); slow clients drip for ${settings.slowSeconds} s (BENCH_ABUSE_SLOW_SECONDS). A server left stuck or dead is killed and restarted on the same store before the next attempt.`,
    '',
    'The stall is measured from outside: a separate process sends GET /v1/health/version every ~10 ms on one keep-alive connection ' +
      'opened before the attack, and the longest wait from a probe sent to its answer is the stall. "> N s" means a probe was still ' +
      'waiting when the attempt ended. "Kept answering" means every probe got a 200 within a second. "Afterwards" is a new connection\'s ' +
      'GET /v1/health/version once the attack is over.',
    ...(report.loadAtStart > availableParallelism() / 2
      ? ['', `> **Warning:** the machine was already busy (load ${report.loadAtStart.toFixed(2)} on ${availableParallelism()} CPUs); stalls of tens of milliseconds may be the machine's, not the server's.`]
      : []),
    '',
    goalLine(report.results),
    '',
    `Idle server, no attack: longest probe wait ${stall(report.idle)} over ${report.idle.sent} probes (the noise floor).`,
    '',
    ...resultTable(report.results),
    '',
  ].join('\n');
}
