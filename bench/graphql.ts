// `npm run bench:graphql`: one document read through GraphQL (`databasesGetDocument`) against the
// same read through REST, in the same run on the same server, as a signed-in user would make it
// (with an API key). The two alternate for BENCH_ROUNDS rounds (3), so a change in the machine's load
// reaches both alike; the ratio reported is the median of the rounds' ratios. BENCH_DURATION (10) sets
// the seconds per scenario; PLINTH_BENCH_DB=postgres://… runs on PostgreSQL.
import { fileURLToPath } from 'node:url';
import { cleanupOnSignals, createCleanup } from './cleanup.js';
import { expect, waitForSchema } from './documents.js';
import { readLoadSettings, runLoad, type LoadResult } from './load.js';
import { startBenchProject } from './plinth.js';
import { median } from './report.js';
import { resultsFile, runBench, writeResults } from './results.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS = resultsFile('graphql.md');

const log = (message: string) => process.stderr.write(`[bench:graphql] ${message}\n`);

async function main(): Promise<void> {
  const settings = readLoadSettings(process.env);
  const databaseUrl = process.env.PLINTH_BENCH_DB || undefined;
  const cleanup = createCleanup();
  cleanupOnSignals(cleanup);
  try {
    const { plinth, headers } = await startBenchProject(ROOT, cleanup, databaseUrl);

    log('creating the document');
    const collectionUrl = `${plinth.url}/v1/databases/bench/collections/posts`;
    await expect('POST', `${plinth.url}/v1/databases`, headers, 201, { databaseId: 'bench', name: 'Bench' });
    await expect('POST', `${plinth.url}/v1/databases/bench/collections`, headers, 201, { collectionId: 'posts', name: 'Posts' });
    await expect('POST', `${collectionUrl}/attributes/string`, headers, 202, { key: 'title', size: 128, required: true });
    await expect('POST', `${collectionUrl}/attributes/integer`, headers, 202, { key: 'rank', required: false });
    await waitForSchema(collectionUrl, headers);
    await expect('POST', `${collectionUrl}/documents`, headers, 201, { documentId: 'post1', data: { title: 'Post 1', rank: 1 } });

    const graphqlBody = JSON.stringify({
      query: 'query { databasesGetDocument(databaseId: "bench", collectionId: "posts", documentId: "post1") { _id _createdAt _updatedAt _permissions data } }',
    });
    const check = await expect('POST', `${plinth.url}/v1/graphql`, headers, 200, JSON.parse(graphqlBody));
    if (!check.body.includes('"_id":"post1"')) throw new Error(`GraphQL answered ${check.body}`);

    const rounds = readRounds(process.env.BENCH_ROUNDS);
    const measured: { rest: LoadResult; graphql: LoadResult }[] = [];
    for (let round = 1; round <= rounds; round++) {
      log(`round ${round} of ${rounds}: REST getDocument, then GraphQL databasesGetDocument, ${settings.durationSeconds} s each`);
      const rest = await runLoad(`REST getDocument, round ${round}`, `${collectionUrl}/documents/post1`, headers, settings);
      const graphql = await runLoad(
        `GraphQL databasesGetDocument, round ${round}`,
        `${plinth.url}/v1/graphql`,
        { ...headers, 'content-type': 'application/json' },
        settings,
        { method: 'POST', body: graphqlBody },
      );
      measured.push({ rest, graphql });
    }

    const row = (result: LoadResult) =>
      `| ${result.scenario} | ${Math.round(result.reqPerSec)} | ${result.p50Ms.toFixed(2)} | ${result.p99Ms.toFixed(2)} | ${result.errors + result.non2xx} |`;
    const ratios = measured.map(({ rest, graphql }) => graphql.reqPerSec / rest.reqPerSec);
    const lines = [
      '# GraphQL against REST: one document read',
      '',
      `${databaseUrl ? 'PostgreSQL' : 'SQLite'}, ${settings.connections} connections, ${settings.durationSeconds} s each, API key, same server and run, ${rounds} alternating rounds.`,
      '',
      '| scenario | req/s | p50 ms | p99 ms | failed |',
      '|---|---|---|---|---|',
      ...measured.flatMap(({ rest, graphql }) => [row(rest), row(graphql)]),
      '',
      `GraphQL / REST throughput per round: ${ratios.map((ratio) => `${ratio.toFixed(2)}×`).join(', ')}; median **${median(ratios).toFixed(2)}×**`,
      '',
    ];
    const markdown = lines.join('\n');
    await writeResults(RESULTS, markdown);
  } finally {
    await cleanup.run();
  }
}

function readRounds(raw: string | undefined): number {
  const rounds = raw === undefined || raw === '' ? 3 : Number(raw);
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > 20) throw new Error(`BENCH_ROUNDS must be a whole number from 1 to 20, got "${raw}"`);
  return rounds;
}

await runBench('bench:graphql', main);
