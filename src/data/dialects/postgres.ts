import { Kysely, PostgresAdapter, PostgresDialect, PostgresDriver, PostgresIntrospector, PostgresQueryCompiler, sql, type SqlBool } from 'kysely';
import { availableParallelism } from 'node:os';
import { onFirstUse } from '../../core/load-package.js';
import { noteStatement } from '../../core/statement-tally.js';
import type { Database } from '../database.js';
import { firstUseMigrations } from '../migrations/first-use.js';
import { migrate } from '../migrations/migrate.js';
import { platformMigrations } from '../migrations/platform.js';
import { projectMigrations } from '../migrations/project.js';
import { PlatformWriteWatch } from '../platform/platform-writes.js';
import type { PlatformTables, ProjectTables } from '../tables.js';
import type { DialectCapabilities } from './capabilities.js';
import { withDuplicateErrors } from './duplicate-errors.js';
import { leasedDialect, type DialectParts } from './leased-driver.js';
import { postgresFulltext } from './postgres-fulltext.js';
import { postgresSpatial } from './postgres-spatial.js';
import { StatementNames } from './postgres-named-statements.js';
import { noteStoreCapabilities } from './store-capabilities.js';
import { postgresCountWrites } from './postgres-write-counter.js';

const PLATFORM_SCHEMA = 'plinth';
const INT8_OID = 20;

export const postgresCapabilities: DialectCapabilities = {
  label: 'postgres',
  autoIncrementPrimaryKey: (column) => column.primaryKey().generatedByDefaultAsIdentity(),
  lateralJoin: true,
  writesInWith: true,
  skipLocked: true,
  lockForMigration: async (trx, scope) => {
    await sql`select pg_advisory_xact_lock(hashtext(${`plinth-migrate:${scope}`}))`.execute(trx);
  },
  fulltext: postgresFulltext,
  spatial: postgresSpatial,
  countWrites: postgresCountWrites,
  regexMatch: (column, pattern) => sql<SqlBool>`${sql.ref(column)} ~ ${pattern}`,
  maxBindParameters: 65535,
  jsonRows: (json, columns) => {
    const names = Object.keys(columns).map((column) => sql.id(column));
    const types = Object.entries(columns).map(([column, type]) => sql`${sql.id(column)} ${sql.raw(type)}`);
    return sql`(select ${sql.join(names)} from json_to_recordset(cast(${json} as json)) as rows(${sql.join(types)}))`;
  },
  widenVarchar: async (db, table, column, length) => {
    await db.schema.alterTable(table).alterColumn(column, (change) => change.setDataType(sql.raw(`varchar(${length})`))).execute();
  },
  // SQLSTATE 23505: unique_violation.
  isDuplicateKey: (error) => (error as { code?: unknown } | null)?.code === '23505',
  ping: async (db) => {
    await sql`select 1`.execute(db);
  },
  clock: async (db) => {
    const { rows } = await sql<{ ms: string }>`select floor(extract(epoch from clock_timestamp()) * 1000)::text as ms`.execute(db);
    return Number(rows[0]?.ms);
  },
};

const postgresParts: DialectParts = {
  createQueryCompiler: () => new PostgresQueryCompiler(),
  createAdapter: () => new PostgresAdapter(),
  createIntrospector: (db) => new PostgresIntrospector(db),
};

export function projectSchemaName(projectId: string): string {
  return `project_${projectId}`;
}

const loadPg = onFirstUse<typeof import('pg')>('pg');

function exactInteger(value: string): number | bigint {
  const number = Number(value);
  return Number.isSafeInteger(number) ? number : BigInt(value);
}

/**
 * Connections one node keeps: four per core of this machine, at least 10 and at most 50. A
 * request holds a connection only while its statement runs, so a few per core keep the
 * database busy without queueing the node's requests; past that they only add server memory.
 */
export function defaultPoolSize(cores = availableParallelism()): number {
  return Math.min(50, Math.max(10, 4 * cores));
}

/** Counts every statement a pooled connection sends against the request that sent it. */
function countStatementsOf(client: { query: (...args: any[]) => any }): void {
  const query = client.query.bind(client);
  client.query = (...args: any[]) => {
    noteStatement();
    return query(...args);
  };
}

/**
 * One pool for every project: the platform in schema `plinth`, each project in its own
 * schema, migrated when this process first uses it (not all at start).
 */
export function createPostgresDatabase(connectionString: string, options: { poolSize?: number; namedStatements?: boolean } = {}): Database {
  const pg = loadPg();
  const pool = new pg.Pool({
    connectionString,
    max: options.poolSize ?? defaultPoolSize(),
    // bigint columns: a number when it holds the value exactly (epoch milliseconds, counts),
    // a BigInt past 2^53 (bigint attributes), as the SQLite store answers.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID ? exactInteger : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  // An idle connection the server ends (restart, admin, idle timeout) makes the pool emit
  // 'error'; unheard, that would crash the process. The pool has already dropped it.
  pool.on('error', () => {});
  pool.on('connect', countStatementsOf);
  // After the count, so a statement sent again under a new name counts twice.
  if (options.namedStatements !== false) {
    const names = new StatementNames();
    pool.on('connect', (client) => names.attach(client as unknown as Parameters<StatementNames['attach']>[0]));
  }
  // The project stores share one driver on the pool; the root instance owns (and ends) the pool.
  const driver = new PostgresDriver({ pool });
  const driverReady = driver.init();
  const root = new Kysely<any>({ dialect: withDuplicateErrors(new PostgresDialect({ pool }), postgresCapabilities.isDuplicateKey) });
  noteStoreCapabilities(root, postgresCapabilities);
  const platformWrites = new PlatformWriteWatch();
  const platform = root.withSchema(PLATFORM_SCHEMA).withPlugin(platformWrites) as Kysely<PlatformTables>;
  const migrations = firstUseMigrations();
  // Built-in projects (the console) have a row from the platform migrations but no schema until first used.
  const migrateProject = async (projectId: string) => {
    await createSchema(projectSchemaName(projectId));
    await migrate(root.withSchema(projectSchemaName(projectId)), postgresCapabilities, projectMigrations, projectSchemaName(projectId));
  };

  // One instance per project, so statements compiled once per store (data/project) are
  // reused; its first use in this process brings the schema to the current version.
  const projectStores = new Map<string, Kysely<ProjectTables>>();
  const project = (projectId: string) => {
    let store = projectStores.get(projectId);
    if (!store) {
      const dialect = leasedDialect(postgresParts, async () => {
        await driverReady;
        await migrations.ensure(projectId, () => migrateProject(projectId));
        return { driver, release() {} };
      });
      store = new Kysely<any>({ dialect: withDuplicateErrors(dialect, postgresCapabilities.isDuplicateKey) }).withSchema(projectSchemaName(projectId)) as Kysely<ProjectTables>;
      noteStoreCapabilities(store, postgresCapabilities);
      projectStores.set(projectId, store);
    }
    return store;
  };

  async function createSchema(name: string): Promise<void> {
    // Concurrent starts may race on CREATE SCHEMA; the lock makes them take turns.
    await root.transaction().execute(async (trx) => {
      await postgresCapabilities.lockForMigration(trx, `schema:${name}`);
      await sql`create schema if not exists ${sql.id(name)}`.execute(trx);
    });
  }

  return {
    dialect: postgresCapabilities,
    platform,
    platformWrites,
    project,
    async migrate() {
      await createSchema(PLATFORM_SCHEMA);
      await migrate(platform, postgresCapabilities, platformMigrations, PLATFORM_SCHEMA);
    },
    async createProjectStore(projectId) {
      await migrateProject(projectId);
    },
    async dropProjectStore(projectId) {
      await sql`drop schema if exists ${sql.id(projectSchemaName(projectId))} cascade`.execute(root);
      projectStores.delete(projectId);
      migrations.forget(projectId);
    },
    async close() {
      await root.destroy();
    },
  };
}
