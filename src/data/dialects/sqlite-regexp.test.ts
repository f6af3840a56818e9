import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { AppError } from '../../core/errors.js';
import { parseListQueries } from '../../core/queries.js';
import { listRows } from '../list-query.js';
import { sqliteCapabilities } from './sqlite.js';
import { registerRegexp, REGEX_TIMED_OUT } from './sqlite-regexp.js';

/** A table of `rows` values, with regexp() on a clock that moves one millisecond per reading. */
function openTable(rows: number, timeoutMs: number): BetterSqlite3.Database {
  const connection = new BetterSqlite3(':memory:');
  let clock = 0;
  registerRegexp(connection, { timeoutMs, now: () => clock++ });
  connection.exec('create table items (id text primary key, name text, created_at text)');
  const insert = connection.prepare('insert into items values (?, ?, ?)');
  for (let i = 0; i < rows; i++) insert.run(`i${i}`, 'a'.repeat(100), String(i));
  return connection;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('the SQLite regexp function', () => {
  it('matches nested quantifiers over long values without backtracking', () => {
    const connection = openTable(3, 1000);
    const count = (pattern: string) => connection.prepare('select count(*) as n from items where name regexp ?').get(pattern) as { n: number };
    assert.equal(count('^(.+)+Q$').n, 0);
    assert.equal(count('^(a|a)*$').n, 3);
  });

  it('stops a statement whose matches run past the timeout, and gives the next statement its own', async () => {
    const connection = openTable(10, 5);
    const statement = connection.prepare('select id from items where name regexp ?');
    assert.throws(() => statement.all('^a+$'), (error: { code?: string }) => error.code === REGEX_TIMED_OUT);
    await nextTurn();
    assert.equal(connection.prepare('select id from items where name regexp ? limit 3').all('^a+$').length, 3);
  });

  it('turns a stopped list query into database_timeout', async () => {
    const db = new Kysely<any>({ dialect: new SqliteDialect({ database: openTable(10, 5) }) });
    const table = { table: 'items', columns: { $id: 'id', $createdAt: 'created_at', name: 'name' }, regexMatch: sqliteCapabilities.regexMatch };
    const list = parseListQueries([JSON.stringify({ method: 'regex', attribute: 'name', values: ['^a+$'] })], { attributes: ['name'], documents: true });
    await assert.rejects(listRows(db, table, list, { total: false }), (error) => error instanceof AppError && error.type === 'database_timeout');
    await db.destroy();
  });
});
