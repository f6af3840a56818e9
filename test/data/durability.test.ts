import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { engineLabel } from '../support/databases.js';
import { Child, TestStore } from './helpers.js';

/** Rows the child would insert if nobody stopped it: far more than it can write before the kill. */
const ROWS = 100_000;
/** Acknowledged inserts to see before pulling the plug. */
const KILL_AFTER = 300;

describe(`Durability (${engineLabel})`, () => {
  let store: TestStore;

  before(async () => {
    store = await TestStore.create();
    const db = store.open();
    await db.migrate();
    await db.close();
  });
  after(async () => {
    await Child.killAll();
    await store.destroy();
  });

  it('every acknowledged write survives kill -9 of the writing process', async (t) => {
    const child = Child.start('insert-projects.ts', store.childEnv(), [String(ROWS)]);
    await child.waitForLines((lines) => lines.length >= KILL_AFTER);
    child.kill('SIGKILL');
    const exit = await child.exited;

    // It died of the signal, in the middle of its stream of inserts.
    assert.deepEqual(exit, { code: null, signal: 'SIGKILL' }, child.stderr);
    const acknowledged = child.lines;
    assert.ok(acknowledged.length >= KILL_AFTER);
    assert.ok(acknowledged.length < ROWS && !acknowledged.includes('done'), 'killed before it finished');
    assert.ok(acknowledged.every((line) => /^p\d+-\d+$/.test(line)), 'only whole ids were printed');

    if (engineLabel === 'sqlite') {
      // The commits sit in the write-ahead log the dead process left behind; opening replays it.
      assert.ok(existsSync(join(store.dataDir, 'plinth.sqlite-wal')));
    }

    const db = store.open();
    // The child's rows only: the store has projects of its own (the console's, made by a migration).
    const stored = new Set((await db.platform.selectFrom('projects').select('id').execute()).map((row) => row.id).filter((id) => id.startsWith(`p${child.process.pid}-`)));
    const lost = acknowledged.filter((id) => !stored.has(id));
    assert.deepEqual(lost, [], `${lost.length} of ${acknowledged.length} acknowledged rows were lost`);
    // At most the insert in flight when the signal came got committed without being printed.
    assert.ok(stored.size <= acknowledged.length + 1, `${stored.size} rows for ${acknowledged.length} acknowledged`);
    t.diagnostic(`${acknowledged.length} acknowledged before the kill, ${stored.size} rows found`);
    await db.close();
  });
});
