import { chmodSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';
import { registerGeometry } from './sqlite-geometry.js';
import { registerRegexp } from './sqlite-regexp.js';
import { withStatementCache } from './sqlite-statement-cache.js';

/** A connection to one SQLite file, set up as every Plinth store wants it. */
export function openSqliteFile(file: string, regexTimeoutMs: number): SqliteDatabase {
  const connection = new BetterSqlite3(file);
  // Readable by the server's user only; SQLite gives its -wal and -shm files the same mode.
  chmodSync(file, 0o600);
  // WAL lets readers run beside a writer; NORMAL sync keeps every committed write
  // across a crash of the process (only an OS crash may lose the last transactions).
  // Turning a new file to WAL needs a lock SQLite does not wait for (busy_timeout or not)
  // while another process opens the same new file: SQLITE_BUSY at once, so retry a while.
  for (let attempt = 1; ; attempt++) {
    try {
      connection.pragma('journal_mode = WAL');
      break;
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_BUSY' || attempt >= 100) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
  connection.pragma('synchronous = NORMAL');
  connection.pragma('busy_timeout = 5000');
  connection.pragma('foreign_keys = ON');
  registerRegexp(connection, { timeoutMs: regexTimeoutMs });
  registerGeometry(connection);
  return withStatementCache(connection);
}
