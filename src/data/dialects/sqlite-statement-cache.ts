import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

/**
 * Kysely prepares every statement anew on each run, and with better-sqlite3 preparing
 * costs more than running a small query: a fifth of a signed-in request's CPU. This keeps
 * the most recently used statements prepared. Statements run synchronously, so a cached
 * one is never in use by two queries at once; streaming (iterate) gets a fresh one.
 */
export function withStatementCache(db: BetterSqlite3.Database, capacity = 500): SqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>();
  function cached(sql: string): BetterSqlite3.Statement {
    let statement = cache.get(sql);
    if (statement) {
      // Map keeps insertion order: re-inserting marks it most recently used.
      cache.delete(sql);
    } else {
      statement = db.prepare(sql);
      // Integers past 2^53 (bigint attributes) would be rounded as numbers; see exactRows.
      if (statement.reader) statement.safeIntegers(true);
      if (cache.size >= capacity) cache.delete(cache.keys().next().value!);
    }
    cache.set(sql, statement);
    return statement;
  }
  return {
    close: () => db.close(),
    prepare(sql) {
      const statement = cached(sql);
      return {
        reader: statement.reader,
        all: (parameters) => exactRows(statement.all(parameters)),
        run: (parameters) => statement.run(parameters),
        iterate: (parameters) => exactIterate(db.prepare(sql), parameters),
      };
    },
  };
}

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function* exactIterate(statement: BetterSqlite3.Statement, parameters: readonly unknown[]): IterableIterator<unknown> {
  if (statement.reader) statement.safeIntegers(true);
  for (const row of statement.iterate(parameters)) yield exactRows([row])[0];
}

/**
 * Readers return every integer as BigInt (safe integers); this turns back into numbers the
 * ones a number holds exactly, so only values past 2^53 stay BigInt, as on PostgreSQL.
 */
function exactRows(rows: unknown[]): unknown[] {
  for (const row of rows) {
    if (typeof row !== 'object' || row === null) continue;
    const record = row as Record<string, unknown>;
    for (const key in record) {
      const value = record[key];
      if (typeof value === 'bigint' && value >= MIN_SAFE && value <= MAX_SAFE) record[key] = Number(value);
    }
  }
  return rows;
}
