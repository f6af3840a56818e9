// `npm run bench:graphql`: one document read through GraphQL (`databasesGetDocument`) against the
// same read through REST, in the same run on the same server, as a signed-in user would make it
// (with an API key). BENCH_DURATION (10) sets the seconds per scenario; PLINTH_BENCH_DB=postgres://… runs on PostgreSQL.
import { fileURLToPath } from 'node:url';
import { cleanupOnSignals, createCleanup } from './cleanup.js';
import { expect, waitForSchema } from './documents.js';
import { readLoadSettings, runLoad, type LoadResult } from './load.js';
import { startBenchProject } from './plinth.js';
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

    log(`REST GET document, ${settings.durationSeconds} s`);
    const rest = await runLoad('REST getDocument', `${collectionUrl}/documents/post1`, headers, settings);
    log(`GraphQL databasesGetDocument, ${settings.durationSeconds} s`);
    const graphql = await runLoad('GraphQL databasesGetDocument', `${plinth.url}/v1/graphql`, { ...headers, 'content-type': 'application/json' }, settings, {
      method: 'POST',
      body: graphqlBody,
    });

    const row = (result: LoadResult) =>
      `| ${result.scenario} | ${Math.round(result.reqPerSec)} | ${result.p50Ms} | ${result.p99Ms} | ${result.errors + result.non2xx} |`;
    const lines = [
      '# GraphQL against REST: one document read',
      '',
      `${databaseUrl ? 'PostgreSQL' : 'SQLite'}, ${settings.connections} connections, ${settings.durationSeconds} s each, API key, same server and run.`,
      '',
      '| scenario | req/s | p50 ms | p99 ms | failed |',
      '|---|---|---|---|---|',
      row(rest),
      row(graphql),
      '',
      `GraphQL / REST throughput: **${(graphql.reqPerSec / rest.reqPerSec).toFixed(2)}×**`,
      '',
    ];
    const markdown = lines.join('\n');
    await writeResults(RESULTS, markdown);
  } finally {
    await cleanup.run();
  }
}

await runBench('bench:graphql', main);
