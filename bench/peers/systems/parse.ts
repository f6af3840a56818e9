// Parse Server on PostgreSQL: schema and user through its REST API, rows by direct SQL (the REST batch API would take minutes).
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createBenchDatabase } from '../../postgres.js';
import { pickFreePort } from '../../processes.js';
import { spawnServer, stopServer } from '../child.js';
import { BENCH_USER, createdPost, FETCHED_ROW, LARGE, LIST_LIMIT, LISTED_RANK, post, ROWS_PER_RANK, SMALL, type Dataset } from '../dataset.js';
import { expectJson, waitUntilAnswering } from '../http-json.js';
import { PARSE_VERSION } from '../install.js';
import { expectEqual, expectStatus, parseBody, type LoadTarget, type Prepared, type System, type SystemContext } from '../scenarios.js';

const APP_ID = 'bench';
const READY_TIMEOUT_MS = 90_000;
const SQL_BATCH = 5000;

const className = (dataset: Dataset) => (dataset === SMALL ? 'Posts10k' : 'Posts100k');
const objectId = (i: number) => `p${String(i).padStart(9, '0')}`;

async function createClass(url: string, headers: Record<string, string>, dataset: Dataset): Promise<void> {
  await expectJson('POST', `${url}/schemas/${className(dataset)}`, headers, 200, {
    className: className(dataset),
    fields: { title: { type: 'String' }, body: { type: 'String' }, rank: { type: 'Number' }, published: { type: 'Boolean' } },
    // Index names are per database in PostgreSQL: a name reused by the second class would be skipped.
    indexes: { [`${className(dataset)}_rank`]: { rank: 1 } },
  });
}

/**
 * Rows straight into the class's table, as Parse stores them: ACLs are the _rperm/_wperm arrays.
 * The large class is public to read like a row created without an ACL; in the small one only the
 * bench user may read the published rows, and no one but the master key the others.
 */
async function insertRows(databaseUrl: string, dataset: Dataset, userId: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    for (let start = 0; start < dataset.count; start += SQL_BATCH) {
      const ids: string[] = [];
      const titles: string[] = [];
      const bodies: string[] = [];
      const ranks: number[] = [];
      const published: boolean[] = [];
      const readers: string[] = [];
      for (let i = start; i < Math.min(dataset.count, start + SQL_BATCH); i++) {
        const row = post(dataset, i);
        ids.push(objectId(i));
        titles.push(row.title);
        bodies.push(row.body);
        ranks.push(row.rank);
        published.push(row.published);
        readers.push(dataset === LARGE ? '{*}' : row.published ? `{${userId}}` : '{}');
      }
      await client.query(
        `insert into "${className(dataset)}" ("objectId", "createdAt", "updatedAt", title, body, rank, published, _rperm, _wperm)
         select id, now(), now(), title, body, rank, published, readers::text[], $7::text[]
         from unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::boolean[], $6::text[]) as t(id, title, body, rank, published, readers)`,
        [ids, titles, bodies, ranks, published, readers, dataset === LARGE ? ['*'] : []],
      );
    }
    await client.query(`analyze "${className(dataset)}"`);
    const indexes = await client.query<{ indexdef: string }>('select indexdef from pg_indexes where tablename = $1', [className(dataset)]);
    if (!indexes.rows.some((row) => /\(rank\)/.test(row.indexdef))) throw new Error(`Parse created no index on ${className(dataset)}.rank`);
  } finally {
    await client.end();
  }
}

function listTarget(url: string, headers: Record<string, string>, dataset: Dataset, total: boolean): LoadTarget {
  const query = new URLSearchParams({ where: JSON.stringify({ rank: LISTED_RANK }), limit: String(LIST_LIMIT) });
  if (total) query.set('count', '1');
  return {
    url: `${url}/classes/${className(dataset)}?${query}`,
    method: 'GET',
    headers,
    check(status, body) {
      expectStatus(status, 200, body);
      const list = parseBody<{ results: { rank: number }[]; count?: number }>(body);
      expectEqual('rows listed', list.results.length, LIST_LIMIT);
      expectEqual('rank of the first', list.results[0]?.rank, LISTED_RANK);
      expectEqual('count', list.count, total ? ROWS_PER_RANK : undefined);
    },
  };
}

export const parse: System = {
  name: 'Parse Server (PostgreSQL)',
  version: PARSE_VERSION,
  setup:
    'parse-server from the npm registry, run by the same Node as Plinth with PARSE_SERVER_HOST=127.0.0.1, a master key, log level error and a fresh PostgreSQL database; ' +
    'no cluster mode, no cache adapter beyond its default.',
  async prepare(context: SystemContext): Promise<Prepared> {
    const { cleanup, log } = context;
    if (context.peers.failures.parse) throw new Error(context.peers.failures.parse);
    const workDir = await mkdtemp(join(tmpdir(), 'parse-peers-'));
    cleanup.defer(() => rm(workDir, { recursive: true, force: true }));
    const databaseUrl = await createBenchDatabase(context.adminPgUrl, cleanup);
    const port = await pickFreePort();
    const masterKey = randomBytes(16).toString('hex');
    const url = `http://127.0.0.1:${port}/parse`;
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      PORT: String(port),
      PARSE_SERVER_HOST: '127.0.0.1',
      PARSE_SERVER_APPLICATION_ID: APP_ID,
      PARSE_SERVER_MASTER_KEY: masterKey,
      PARSE_SERVER_DATABASE_URI: databaseUrl,
      PARSE_SERVER_URL: url,
      PARSE_SERVER_MOUNT_PATH: '/parse',
      PARSE_SERVER_LOG_LEVEL: 'error',
      PARSE_SERVER_LOGS_FOLDER: join(workDir, 'logs'),
    };
    const bin = join(context.peers.parseDir, 'node_modules', 'parse-server', 'bin', 'parse-server');
    const server = spawnServer('Parse Server', process.execPath, [bin], { cwd: workDir, env });
    cleanup.defer(() => stopServer(server));
    await waitUntilAnswering(`${url}/health`, server.running, server.tail, READY_TIMEOUT_MS);

    const masterHeaders = { 'X-Parse-Application-Id': APP_ID, 'X-Parse-Master-Key': masterKey };
    const appHeaders = { 'X-Parse-Application-Id': APP_ID };
    const user = await expectJson<{ objectId: string; sessionToken: string }>('POST', `${url}/users`, appHeaders, 201, { username: BENCH_USER.email, email: BENCH_USER.email, password: BENCH_USER.password });
    const seeding: string[] = [];
    for (const dataset of [SMALL, LARGE]) {
      await createClass(url, masterHeaders, dataset);
      const started = performance.now();
      await insertRows(databaseUrl, dataset, user.objectId);
      const seconds = (performance.now() - started) / 1000;
      log(`Parse: seeded ${dataset.count} in ${seconds.toFixed(1)} s`);
      seeding.push(`${dataset.count.toLocaleString('en-US')} rows by direct SQL (class and index through the schema API): ${seconds.toFixed(1)} s`);
    }

    return {
      server,
      seeding,
      notes: [
        'Server credential: the master key (from 127.0.0.1, allowed by the default masterKeyIps); the user: its session token. ' +
          '`count=1` asks for the total; Parse skips it by default. Passwords: bcrypt (bcryptjs), Parse\'s default.',
      ],
      targets: {
        create: {
          url: `${url}/classes/${className(LARGE)}`,
          method: 'POST',
          headers: { ...masterHeaders, 'content-type': 'application/json' },
          body: JSON.stringify(createdPost),
          check: (status, body) => expectStatus(status, 201, body),
        },
        get: {
          url: `${url}/classes/${className(LARGE)}/${objectId(FETCHED_ROW)}`,
          method: 'GET',
          headers: masterHeaders,
          check(status, body) {
            expectStatus(status, 200, body);
            expectEqual('objectId', parseBody<{ objectId: string }>(body).objectId, objectId(FETCHED_ROW));
          },
        },
        list10k: listTarget(url, masterHeaders, SMALL, true),
        list10kNoTotal: listTarget(url, masterHeaders, SMALL, false),
        list100k: listTarget(url, masterHeaders, LARGE, true),
        list100kNoTotal: listTarget(url, masterHeaders, LARGE, false),
        signIn: {
          url: `${url}/login`,
          method: 'POST',
          headers: { ...appHeaders, 'content-type': 'application/json' },
          body: JSON.stringify({ username: BENCH_USER.email, password: BENCH_USER.password }),
          check: (status, body) => expectStatus(status, 200, body),
        },
        userRead: {
          url: `${url}/classes/${className(SMALL)}?limit=${LIST_LIMIT}`,
          method: 'GET',
          headers: { ...appHeaders, 'X-Parse-Session-Token': user.sessionToken },
          check(status, body) {
            expectStatus(status, 200, body);
            const list = parseBody<{ results: { published: boolean }[] }>(body);
            expectEqual('rows listed', list.results.length, LIST_LIMIT);
            expectEqual('every listed row readable', list.results.every((row) => row.published), true);
          },
        },
      },
    };
  },
};
