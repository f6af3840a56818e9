import assert from 'node:assert/strict';
import { mkdtemp, readdir, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/data/database.js';
import { createSqliteDatabase } from '../../src/data/dialects/sqlite.js';

/** Descriptors this process holds on files of the project directory. */
async function openProjectFiles(projectsDir: string): Promise<number> {
  let count = 0;
  for (const fd of await readdir('/proc/self/fd')) {
    const target = await readlink(`/proc/self/fd/${fd}`).catch(() => '');
    if (target.startsWith(projectsDir)) count++;
  }
  return count;
}

// The pool is SQLite's: a PostgreSQL schema holds no descriptor of its own.
describe('SQLite project files in a bounded pool', () => {
  let dataDir: string;
  let db: Database;
  const store = (id: string) => db.project(id) as Kysely<any>;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'plinth-pool-test-'));
    db = createSqliteDatabase(dataDir, { openProjects: 2 });
    for (const id of ['p1', 'p2', 'p3', 'p4']) {
      await db.createProjectStore(id);
      await store(id).schema.createTable('notes').addColumn('text', 'text').execute();
    }
  });

  after(async () => {
    await db.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps at most the bound of idle files open', async () => {
    for (const id of ['p1', 'p2', 'p3', 'p4']) await store(id).selectFrom('notes').selectAll().execute();
    assert.equal(await openProjectFiles(join(dataDir, 'projects')), 2 * 3, 'two files, each with its -wal and -shm');
  });

  it('never closes a store under a running transaction, however many others are used meanwhile', async () => {
    await store('p1').transaction().execute(async (trx) => {
      await trx.insertInto('notes').values({ text: 'before' }).execute();
      for (const id of ['p2', 'p3', 'p4']) await store(id).insertInto('notes').values({ text: id }).execute();
      await trx.insertInto('notes').values({ text: 'after' }).execute();
    });
    const texts = (await store('p1').selectFrom('notes').select('text').execute()).map((row) => row.text);
    assert.deepEqual(texts.sort(), ['after', 'before']);
  });

  it('a closed store gives way to a fresh instance; one still held opens the file again', async () => {
    const held = store('p1');
    for (const id of ['p2', 'p3', 'p4']) await store(id).selectFrom('notes').selectAll().execute();
    assert.notEqual(store('p1'), held, 'what was cached beside the closed file is gone');
    assert.equal((await held.selectFrom('notes').selectAll().execute()).length, 2);
  });
});
