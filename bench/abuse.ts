// `npm run bench:abuse`: denial-of-service attempts against a real server on 127.0.0.1, each
// bounded in time, reporting the longest event-loop stall it caused as seen by an outside probe.
// BENCH_ABUSE_DB=postgres://… runs on PostgreSQL (a fresh database, dropped at the end);
// settings of the server itself pass through as PLINTH_* variables (see bench/abuse/settings.ts).
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Attempt } from './abuse/attempt.js';
import { createPublicNotes, TITLE } from './abuse/fixture.js';
import { goalLine, renderAbuseMarkdown, resultTable } from './abuse/report.js';
import { requestAttempts } from './abuse/request-attempts.js';
import { runAttempt, runIdle, type AttemptResult } from './abuse/run-attempt.js';
import { startAbuseServer } from './abuse/server.js';
import { readAbuseSettings } from './abuse/settings.js';
import { socketAttempts } from './abuse/socket-attempts.js';
import { cleanupOnSignals, createCleanup } from './cleanup.js';
import { createApiKey, createProject, makeDataDir, PROJECT_ID } from './plinth.js';
import { createBenchDatabase, redact } from './postgres.js';
import { resultsFile, runBench, saveResults } from './results.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const IDLE_MS = 2000;

const log = (message: string) => process.stderr.write(`[bench:abuse] ${message}\n`);

async function main(): Promise<void> {
  const settings = readAbuseSettings(process.env);
  const loadAtStart = loadavg()[0] ?? NaN;
  const engine = settings.adminDatabaseUrl ? 'PostgreSQL' : 'SQLite';
  const cleanup = createCleanup();
  cleanupOnSignals(cleanup);
  try {
    let databaseUrl: string | undefined;
    if (settings.adminDatabaseUrl) {
      log(`creating a database on ${redact(settings.adminDatabaseUrl)}`);
      databaseUrl = await createBenchDatabase(settings.adminDatabaseUrl, cleanup);
    }
    const dataDir = await makeDataDir(cleanup);
    await createProject(ROOT, dataDir, databaseUrl);
    const key = await createApiKey(ROOT, dataDir, databaseUrl);
    const server = await startAbuseServer(ROOT, dataDir, databaseUrl, settings.openFiles, cleanup);
    log(`${engine}: seeding the public collection`);
    const documents = await createPublicNotes(server.current().url, { 'X-Appwrite-Project': PROJECT_ID, 'X-Appwrite-Key': key });

    // Every body is built before the first probe, so building them costs the attempts nothing.
    const attempts: Attempt[] = [...requestAttempts(), ...socketAttempts()];
    log(`idle: probing for ${IDLE_MS / 1000} s`);
    const idle = await runIdle(server, IDLE_MS, cleanup);
    const target = { projectId: PROJECT_ID, boundMs: settings.boundSeconds * 1000, slowMs: settings.slowSeconds * 1000 };
    const results: AttemptResult[] = [];
    for (const attempt of attempts) {
      log(`${attempt.group}: ${attempt.name}`);
      const result = await runAttempt(attempt, server, target, cleanup);
      log(`  longest stall ${Math.round(result.tally.longestMs)} ms${result.tally.stuck ? ' (still waiting)' : ''}; ${result.outcome}${result.aftermath ? `; ${result.aftermath}` : ''}`);
      results.push(result);
    }

    const markdown = renderAbuseMarkdown({ date: new Date(), engine, settings, loadAtStart, documents, title: TITLE, idle, results });
    const file = resultsFile(`${databaseUrl ? 'abuse-postgres' : 'abuse'}.md`);
    await saveResults(file, markdown);
    process.stdout.write(`\n${goalLine(results)}\n\n${resultTable(results).join('\n')}\n\nWritten to ${file}\n`);
  } finally {
    await cleanup.run();
  }
}

await runBench('bench:abuse', main);
