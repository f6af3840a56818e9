import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql, type Kysely } from 'kysely';
import { formatDateTime } from '../../src/core/datetime.js';
import type { Database } from '../../src/data/database.js';
import { projectSchemaName } from '../../src/data/dialects/postgres.js';
import { platformMigrations } from '../../src/data/migrations/platform.js';
import { projectMigrations } from '../../src/data/migrations/project.js';

const projectMigrationNames = projectMigrations.map((migration) => migration.name);
const names = (rows: { name: string }[]) => rows.map((row) => row.name);
import { listWebHostnames } from '../../src/data/platform/platforms.js';
import { findKeyBySecretHash, insertKey, listKeyRows, touchKey } from '../../src/data/platform/keys.js';
import { deleteProjectRow, findProject, insertProject, listProjectRows } from '../../src/data/platform/projects.js';
import type { KeyRow, NewProjectRow } from '../../src/data/tables.js';
import { engineLabel } from '../support/databases.js';
import { Child, TestStore } from './helpers.js';

const postgres = engineLabel === 'postgres';

function projectRow(id: string, createdAt: Date): NewProjectRow {
  const at = formatDateTime(createdAt);
  return { id, name: `Project ${id}`, labels: '[]', team_id: null, created_at: at, updated_at: at };
}

function keyRow(id: string, projectId: string, secretHash: string): KeyRow {
  const at = formatDateTime(new Date());
  return {
    id,
    project_id: projectId,
    name: `Key ${id}`,
    scopes: JSON.stringify(['users.read', 'databases.write']),
    expire: null,
    secret_hash: secretHash,
    accessed_at: null,
    sdks: '[]',
    created_at: at,
    updated_at: at,
  };
}

async function ledger(db: Kysely<any>): Promise<{ name: string; applied_at: string }[]> {
  return db.selectFrom('plinth_migrations').select(['name', 'applied_at']).orderBy('name').execute();
}

async function schemaExists(db: Database, name: string): Promise<boolean> {
  const { rows } = await sql`select 1 from information_schema.schemata where schema_name = ${name}`.execute(db.platform);
  return rows.length > 0;
}

/** Runs the migrate fixture in two processes that start migrating at the same moment. */
async function migrateTwiceAtOnce(store: TestStore, mode: 'database' | 'slow'): Promise<void> {
  const children = [0, 1].map(() => Child.start('migrate.ts', store.childEnv(), [mode]));
  await Promise.all(children.map((child) => child.waitForLines((lines) => lines.includes('ready'))));
  for (const child of children) child.process.stdin!.end('go\n');
  const exits = await Promise.all(children.map((child) => child.exited));
  for (const [i, exit] of exits.entries()) {
    assert.deepEqual(exit, { code: 0, signal: null }, children[i]!.stderr);
    assert.ok(children[i]!.lines.includes('migrated'));
  }
}

describe(`Database (${engineLabel})`, () => {
  const stores: TestStore[] = [];
  let store: TestStore;
  let db: Database;

  async function freshStore(): Promise<TestStore> {
    const created = await TestStore.create();
    stores.push(created);
    return created;
  }

  before(async () => {
    store = await freshStore();
    db = store.open();
    await db.migrate();
  });
  after(async () => {
    await Child.killAll();
    await Promise.all(stores.map((s) => s.destroy()));
  });

  it('migrate() a second time changes nothing', async () => {
    const own = await freshStore();
    const first = own.open();
    await first.migrate();
    const applied = await ledger(first.platform);
    assert.deepEqual(
      applied.map((row) => row.name),
      platformMigrations.map((m) => m.name),
    );
    await first.migrate();
    assert.deepEqual(await ledger(first.platform), applied, 'same rows, same applied_at');

    // And from another instance, as after a restart.
    await first.close();
    const second = own.open();
    await second.migrate();
    assert.deepEqual(await ledger(second.platform), applied);
    await second.close();
  });

  it('two processes migrating a fresh store at once both succeed, each migration applied once', async () => {
    const own = await freshStore();
    await migrateTwiceAtOnce(own, 'database');
    const check = own.open();
    assert.deepEqual(
      (await ledger(check.platform)).map((row) => row.name),
      platformMigrations.map((m) => m.name),
    );
    // The tables are there and usable.
    await insertProject(check.platform, projectRow('after-race', new Date()));
    assert.ok(await findProject(check.platform, 'after-race'));
    await check.close();
  });

  it('two processes applying a new migration to an existing store at once: it runs once, both succeed', async () => {
    // The extra migration holds its transaction open for 300 ms, so the two really overlap.
    const own = await freshStore();
    const setup = own.open();
    await setup.migrate();
    await setup.close();

    await migrateTwiceAtOnce(own, 'slow');

    const check = own.open();
    const names = (await ledger(check.platform)).map((row) => row.name);
    assert.deepEqual(names, [...platformMigrations.map((m) => m.name), '9999-test-slow']);
    const runs = await (check.platform as Kysely<any>).selectFrom('test_slow_runs').selectAll().execute();
    assert.equal(runs.length, 1, 'the migration ran in one process only');
    await check.close();
  });

  it('createProjectStore gives a store of its own; dropProjectStore removes it', async () => {
    for (const id of ['store1', 'store2']) {
      await insertProject(db.platform, projectRow(id, new Date()));
      await db.createProjectStore(id);
    }
    const one = db.project('store1') as Kysely<any>;
    assert.deepEqual(names(await ledger(one)), projectMigrationNames);
    await one.schema.createTable('notes').addColumn('text', 'text').execute();
    await one.insertInto('notes').values({ text: 'hello' }).execute();
    assert.deepEqual(await one.selectFrom('notes').selectAll().execute(), [{ text: 'hello' }]);
    // The other project's store does not see it.
    await assert.rejects((db.project('store2') as Kysely<any>).selectFrom('notes').selectAll().execute());

    const file = join(store.dataDir, 'projects', 'store1.sqlite');
    if (postgres) {
      assert.ok(await schemaExists(db, projectSchemaName('store1')));
    } else {
      for (const suffix of ['', '-wal', '-shm']) assert.ok(existsSync(file + suffix), `${file}${suffix} exists`);
    }

    await db.dropProjectStore('store1');

    if (postgres) {
      assert.equal(await schemaExists(db, projectSchemaName('store1')), false);
      assert.ok(await schemaExists(db, projectSchemaName('store2')));
    } else {
      for (const suffix of ['', '-wal', '-shm']) assert.equal(existsSync(file + suffix), false, `${file}${suffix} is gone`);
      assert.ok(existsSync(join(store.dataDir, 'projects', 'store2.sqlite')));
    }

    // Dropping an absent store is harmless, and a store created again starts empty.
    await db.dropProjectStore('store1');
    await db.createProjectStore('store1');
    await assert.rejects((db.project('store1') as Kysely<any>).selectFrom('notes').selectAll().execute());
    assert.deepEqual(names(await ledger(db.project('store1'))), projectMigrationNames);
    for (const id of ['store1', 'store2']) {
      await db.dropProjectStore(id);
      await deleteProjectRow(db.platform, id);
    }
  });

  it('migrate() goes through the project stores too, also from a new instance', async () => {
    // Store first, then row: the order the projects service uses.
    await db.createProjectStore('migrated-on-start');
    await insertProject(db.platform, projectRow('migrated-on-start', new Date()));
    await db.migrate();
    const restarted = store.open();
    await restarted.migrate();
    assert.deepEqual(names(await ledger(restarted.project('migrated-on-start'))), projectMigrationNames);
    await restarted.close();
    await db.dropProjectStore('migrated-on-start');
    await deleteProjectRow(db.platform, 'migrated-on-start');
  });

  it('projects: insert, find, list in creation order, delete', async () => {
    const t = Date.parse('2030-01-01T00:00:00.000Z');
    const rows = [projectRow('rt-b', new Date(t)), projectRow('rt-a', new Date(t)), projectRow('rt-c', new Date(t + 1000))];
    for (const row of rows) await insertProject(db.platform, row);

    assert.deepEqual(await findProject(db.platform, 'rt-c'), rows[2]);
    assert.equal(await findProject(db.platform, 'rt-none'), undefined);
    const listed = (await listProjectRows(db.platform)).filter((row) => row.id.startsWith('rt-'));
    assert.deepEqual(listed, [rows[1], rows[0], rows[2]], 'by created_at, then id');

    assert.equal(await insertProject(db.platform, rows[0]!), false, 'the id is unique');

    for (const row of rows) await deleteProjectRow(db.platform, row.id);
    assert.equal(await findProject(db.platform, 'rt-a'), undefined);
  });

  it('keys: insert, find by secret hash within the project only, list, touch', async () => {
    await insertProject(db.platform, projectRow('keys-a', new Date()));
    await insertProject(db.platform, projectRow('keys-b', new Date()));
    const key1 = keyRow('key1', 'keys-a', 'a'.repeat(64));
    const key2 = keyRow('key2', 'keys-a', 'b'.repeat(64));
    await insertKey(db.platform, key1);
    await insertKey(db.platform, key2);

    assert.deepEqual(await findKeyBySecretHash(db.platform, 'keys-a', key1.secret_hash), key1);
    assert.equal(await findKeyBySecretHash(db.platform, 'keys-b', key1.secret_hash), undefined, 'other project');
    assert.equal(await findKeyBySecretHash(db.platform, 'keys-a', 'c'.repeat(64)), undefined);
    assert.deepEqual(
      (await listKeyRows(db.platform, 'keys-a')).map((row) => row.id).sort(),
      ['key1', 'key2'],
    );
    assert.deepEqual(await listKeyRows(db.platform, 'keys-b'), []);

    const accessedAt = formatDateTime(new Date());
    await touchKey(db.platform, 'key1', accessedAt);
    assert.equal((await findKeyBySecretHash(db.platform, 'keys-a', key1.secret_hash))?.accessed_at, accessedAt);

    // The secret hash is unique across projects.
    assert.equal(await insertKey(db.platform, keyRow('key3', 'keys-b', key1.secret_hash)), false);
  });

  it('platforms: lists the web hostnames of a project', async () => {
    await insertProject(db.platform, projectRow('platforms-a', new Date()));
    const at = formatDateTime(new Date());
    const base = { project_id: 'platforms-a', identifier: null, created_at: at, updated_at: at };
    await db.platform
      .insertInto('platforms')
      .values([
        { ...base, id: 'web1', type: 'web', name: 'Web', hostname: 'app.example.com' },
        { ...base, id: 'ios1', type: 'apple-ios', name: 'iOS', identifier: 'com.example.app', hostname: null },
      ])
      .execute();
    assert.deepEqual(await listWebHostnames(db.platform, 'platforms-a'), ['app.example.com']);
    assert.deepEqual(await listWebHostnames(db.platform, 'platforms-none'), []);
  });

  it('deleting a project deletes its keys and platforms (foreign keys are enforced)', async () => {
    if (!postgres) {
      const { rows } = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(db.platform);
      assert.deepEqual(rows, [{ foreign_keys: 1 }]);
    }
    await insertProject(db.platform, projectRow('fk-project', new Date()));
    await insertKey(db.platform, keyRow('fk-key', 'fk-project', 'f'.repeat(64)));
    await insertProject(db.platform, projectRow('fk-other', new Date()));
    await insertKey(db.platform, keyRow('fk-other-key', 'fk-other', 'e'.repeat(64)));
    const at = formatDateTime(new Date());
    await db.platform
      .insertInto('platforms')
      .values({ id: 'fk-web', project_id: 'fk-project', type: 'web', name: 'Web', identifier: null, hostname: 'fk.example.com', created_at: at, updated_at: at })
      .execute();

    // A key of a project that does not exist is refused.
    await assert.rejects(insertKey(db.platform, keyRow('fk-orphan', 'fk-missing', 'd'.repeat(64))));

    await deleteProjectRow(db.platform, 'fk-project');
    assert.deepEqual(await listKeyRows(db.platform, 'fk-project'), []);
    assert.equal(await db.platform.selectFrom('keys').select('id').where('id', '=', 'fk-key').executeTakeFirst(), undefined);
    assert.deepEqual(await listWebHostnames(db.platform, 'fk-project'), []);
    assert.deepEqual(
      (await listKeyRows(db.platform, 'fk-other')).map((row) => row.id),
      ['fk-other-key'],
      'other projects keep their keys',
    );
  });

  it('survives the server ending its idle connections', { skip: !postgres && 'PostgreSQL only: SQLite has no connections to lose' }, async () => {
    // Several connections, idle in the pool afterwards.
    await Promise.all([1, 2, 3].map(() => sql`select pg_sleep(0.05)`.execute(db.platform)));
    const { rows } = await sql<{ ended: number }>`
      select count(pg_terminate_backend(pid))::int as ended from pg_stat_activity
      where datname = current_database() and pid <> pg_backend_pid()`.execute(db.platform);
    assert.ok(rows[0]!.ended >= 1, 'some idle connection was ended');
    // Their errors arrive on idle clients: before the fix, an uncaught exception ending the process.
    await sleep(100);
    await Promise.all([1, 2, 3, 4].map(() => db.dialect.ping(db.platform)));
    assert.ok(await findProject(db.platform, 'nothing-here').then((row) => row === undefined));
  });

  it('the dialect clock agrees with Date.now()', async () => {
    for (let i = 0; i < 3; i++) {
      const before = Date.now();
      const clock = await db.dialect.clock(db.platform);
      const after = Date.now();
      assert.ok(Number.isInteger(clock), `integer milliseconds, got ${clock}`);
      // Same machine: the engine's clock falls between the two readings, give or take a little.
      assert.ok(clock >= before - 50 && clock <= after + 50, `clock ${clock} outside [${before}, ${after}]`);
    }
    await db.dialect.ping(db.platform);
    assert.equal(db.dialect.label, engineLabel);
  });
});
