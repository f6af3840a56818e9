import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Kysely, SqliteAdapter, SqliteDialect, SqliteDriver, SqliteIntrospector, SqliteQueryCompiler, sql, type Dialect, type Driver, type SqlBool } from 'kysely';
import { PlatformWriteWatch } from '../platform/platform-writes.js';
import type { Database } from '../database.js';
import { migrate } from '../migrations/migrate.js';
import { platformMigrations } from '../migrations/platform.js';
import { projectMigrations } from '../migrations/project.js';
import type { PlatformTables, ProjectTables } from '../tables.js';
import type { DialectCapabilities } from './capabilities.js';
import { firstUseMigrations } from '../migrations/first-use.js';
import { withDuplicateErrors } from './duplicate-errors.js';
import { leasedDialect, type DialectParts } from './leased-driver.js';
import { openSqliteFile } from './sqlite-file.js';
import { DEFAULT_REGEX_TIMEOUT_MS } from './sqlite-regexp.js';
import { sqliteFulltext } from './sqlite-fulltext.js';
import { sqliteSpatial } from './sqlite-spatial.js';
import { createStorePool, DEFAULT_OPEN_PROJECT_STORES } from './sqlite-store-pool.js';
import { sqliteCountWrites } from './sqlite-write-counter.js';

export const sqliteCapabilities: DialectCapabilities = {
  label: 'sqlite',
  autoIncrementPrimaryKey: (column) => column.primaryKey().autoIncrement(),
  lateralJoin: false,
  writesInWith: false,
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
  spatial: sqliteSpatial,
  countWrites: sqliteCountWrites,
  // SQLite parses REGEXP but has no function behind it; registerRegexp adds one per connection.
  regexMatch: (column, pattern) => sql<SqlBool>`${sql.ref(column)} regexp ${pattern}`,
  maxBindParameters: 32766,
  // json_extract gives a JSON number as an integer and a string as text, so no cast is needed.
  jsonRows: (json, columns) =>
    sql`(select ${sql.join(Object.keys(columns).map((column) => sql`json_extract(value, ${`$.${column}`}) as ${sql.id(column)}`))} from json_each(${json}))`,
  // A declared length is only a type name to SQLite: values of any length fit already.
  widenVarchar: async () => {},
  isDuplicateKey: (error) => {
    const code = (error as { code?: unknown } | null)?.code;
    return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
  },
  ping: async (db) => {
    await sql`select 1`.execute(db);
  },
  clock: async (db) => {
    const { rows } = await sql<{ ms: number }>`select cast((julianday('now') - 2440587.5) * 86400000 as integer) as ms`.execute(db);
    return Number(rows[0]?.ms);
  },
};

const sqliteParts: DialectParts = {
  createQueryCompiler: () => new SqliteQueryCompiler(),
  createAdapter: () => new SqliteAdapter(),
  createIntrospector: (db) => new SqliteIntrospector(db),
};

/** Every SQLite store reports unique-key clashes as DuplicateRowError. */
function sqliteDialect(dialect: Dialect): Dialect {
  return withDuplicateErrors(dialect, sqliteCapabilities.isDuplicateKey);
}

/** A Kysely instance on a driver that is already open (and stays open after it). */
function onDriver<T>(driver: Driver): Kysely<T> {
  return new Kysely<T>({ dialect: sqliteDialect(leasedDialect(sqliteParts, async () => ({ driver, release() {} }))) });
}

export interface SqliteDatabaseOptions {
  /** How long the regex matches of one statement may run (they run on the event loop). */
  regexTimeoutMs?: number;
  /** How many project files may stay open while idle. */
  openProjects?: number;
}

/**
 * One file for the platform, one file per project, all under the data directory. A project
 * file is opened, and brought to the current schema, when it is first used; the least
 * recently used idle ones are closed past `openProjects`, so the open descriptors do not
 * grow with the number of projects.
 */
export function createSqliteDatabase(dataDir: string, options: SqliteDatabaseOptions = {}): Database {
  const regexTimeoutMs = options.regexTimeoutMs ?? DEFAULT_REGEX_TIMEOUT_MS;
  const projectsDir = join(dataDir, 'projects');
  const migrations = firstUseMigrations();
  // One Kysely instance per project while its file is in the pool: what is cached per
  // instance (compiled statements, the schema snapshot) leaves with the file.
  const projectStores = new Map<string, Kysely<ProjectTables>>();
  let platform: Kysely<PlatformTables> | undefined;
  const platformWrites = new PlatformWriteWatch();

  const projectFile = (projectId: string) => join(projectsDir, `${projectId}.sqlite`);

  async function openProjectFile(projectId: string): Promise<Driver> {
    mkdirSync(projectsDir, { recursive: true, mode: 0o700 });
    const driver = new SqliteDriver({ database: openSqliteFile(projectFile(projectId), regexTimeoutMs) });
    await driver.init();
    try {
      await migrations.ensure(projectId, () => migrate(onDriver(driver), sqliteCapabilities, projectMigrations, projectId));
    } catch (error) {
      await driver.destroy();
      throw error;
    }
    return driver;
  }

  const pool = createStorePool({
    capacity: options.openProjects ?? DEFAULT_OPEN_PROJECT_STORES,
    open: openProjectFile,
    onLeave: (projectId) => projectStores.delete(projectId),
  });

  function project(projectId: string): Kysely<ProjectTables> {
    let store = projectStores.get(projectId);
    if (!store) {
      store = new Kysely<ProjectTables>({ dialect: sqliteDialect(leasedDialect(sqliteParts, () => pool.lease(projectId))) });
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
        platform = new Kysely<PlatformTables>({ dialect: sqliteDialect(new SqliteDialect({ database: openSqliteFile(join(dataDir, 'plinth.sqlite'), regexTimeoutMs) })) }).withPlugin(
          platformWrites,
        );
      }
      return platform;
    },
    platformWrites,
    project,
    async migrate() {
      await migrate(this.platform, sqliteCapabilities, platformMigrations, 'platform');
    },
    async createProjectStore(projectId) {
      await migrate(project(projectId), sqliteCapabilities, projectMigrations, projectId);
    },
    async dropProjectStore(projectId) {
      await pool.retire(projectId);
      // A store created again under this id must not meet this one's cached schema.
      projectStores.delete(projectId);
      migrations.forget(projectId);
      for (const suffix of ['', '-wal', '-shm']) rmSync(projectFile(projectId) + suffix, { force: true });
    },
    async close() {
      await pool.closeAll();
      projectStores.clear();
      await platform?.destroy();
      platform = undefined;
    },
  };
}
