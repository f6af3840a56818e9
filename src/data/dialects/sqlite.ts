import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql, type SqlBool } from 'kysely';
import type { Database } from '../database.js';
import { migrate } from '../migrations/migrate.js';
import { platformMigrations } from '../migrations/platform.js';
import { projectMigrations } from '../migrations/project.js';
import type { PlatformTables, ProjectTables } from '../tables.js';
import type { DialectCapabilities } from './capabilities.js';
import { DEFAULT_REGEX_TIMEOUT_MS, registerRegexp } from './sqlite-regexp.js';
import { sqliteFulltext } from './sqlite-fulltext.js';
import { sqliteCountWrites } from './sqlite-write-counter.js';
import { withStatementCache } from './sqlite-statement-cache.js';

export const sqliteCapabilities: DialectCapabilities = {
  label: 'sqlite',
  autoIncrementPrimaryKey: (column) => column.primaryKey().autoIncrement(),
  skipLocked: false,
  // The transaction Kysely opened is DEFERRED: had it read first (the ledger), its first
  // write would fail at once with SQLITE_BUSY while another process migrates, instead of
  // waiting. So swap it, still empty (this runs first), for one that takes the write lock
  // now and waits for it (busy_timeout); the transaction's own commit/rollback ends it.
  lockForMigration: async (trx) => {
    await sql`commit`.execute(trx);
    await sql`begin immediate`.execute(trx);
  },
  fulltext: sqliteFulltext,
  countWrites: sqliteCountWrites,
  // SQLite parses REGEXP but has no function behind it; registerRegexp adds one per connection.
  regexMatch: (column, pattern) => sql<SqlBool>`${sql.ref(column)} regexp ${pattern}`,
  maxBindParameters: 32766,
  ping: async (db) => {
    await sql`select 1`.execute(db);
  },
  clock: async (db) => {
    const { rows } = await sql<{ ms: number }>`select cast((julianday('now') - 2440587.5) * 86400000 as integer) as ms`.execute(db);
    return Number(rows[0]?.ms);
  },
};

function openSqlite<T>(file: string, regexTimeoutMs: number): Kysely<T> {
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
  return new Kysely<T>({ dialect: new SqliteDialect({ database: withStatementCache(connection) }) });
}

/**
 * One file for the platform, one file per project, all under the data directory.
 * `regexTimeoutMs`: how long the regex matches of one statement may run (they run on the event loop).
 */
export function createSqliteDatabase(dataDir: string, regexTimeoutMs = DEFAULT_REGEX_TIMEOUT_MS): Database {
  const projectsDir = join(dataDir, 'projects');
  const projectStores = new Map<string, Kysely<ProjectTables>>();
  let platform: Kysely<PlatformTables> | undefined;

  const projectFile = (projectId: string) => join(projectsDir, `${projectId}.sqlite`);

  function project(projectId: string): Kysely<ProjectTables> {
    let store = projectStores.get(projectId);
    if (!store) {
      mkdirSync(projectsDir, { recursive: true, mode: 0o700 });
      store = openSqlite<ProjectTables>(projectFile(projectId), regexTimeoutMs);
      projectStores.set(projectId, store);
    }
    return store;
  }

  return {
    dialect: sqliteCapabilities,
    // Opened on first use, so commands that never touch data create no files.
    get platform() {
      if (!platform) {
        mkdirSync(dataDir, { recursive: true });
        platform = openSqlite<PlatformTables>(join(dataDir, 'plinth.sqlite'), regexTimeoutMs);
      }
      return platform;
    },
    project,
    async migrate() {
      await migrate(this.platform, sqliteCapabilities, platformMigrations, 'platform');
      const projects = await this.platform.selectFrom('projects').select('id').execute();
      for (const { id } of projects) {
        await migrate(project(id), sqliteCapabilities, projectMigrations, id);
      }
    },
    async createProjectStore(projectId) {
      await migrate(project(projectId), sqliteCapabilities, projectMigrations, projectId);
    },
    async dropProjectStore(projectId) {
      await projectStores.get(projectId)?.destroy();
      projectStores.delete(projectId);
      for (const suffix of ['', '-wal', '-shm']) rmSync(projectFile(projectId) + suffix, { force: true });
    },
    async close() {
      await Promise.all([...projectStores.values()].map((store) => store.destroy()));
      projectStores.clear();
      await platform?.destroy();
      platform = undefined;
    },
  };
}
