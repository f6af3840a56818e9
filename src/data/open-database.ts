import type { Database } from './database.js';
import { createPostgresDatabase } from './dialects/postgres.js';
import { createSqliteDatabase } from './dialects/sqlite.js';

/**
 * `PLINTH_DB` unset: SQLite files in the data directory; `postgres://…`: PostgreSQL.
 * `sqliteRegexTimeoutMs`: how long the regex matches of one SQLite statement may run;
 * `sqliteOpenProjects`: how many project files may stay open while idle.
 */
export function openDatabase(options: {
  url: string | undefined;
  dataDir: string;
  sqliteRegexTimeoutMs?: number;
  sqliteOpenProjects?: number;
  /** PostgreSQL: connections in this process's pool; sized from the machine when absent. */
  postgresPoolSize?: number;
  /** PostgreSQL: name repeated statements (on unless false). */
  postgresNamedStatements?: boolean;
}): Database {
  if (!options.url) {
    return createSqliteDatabase(options.dataDir, { regexTimeoutMs: options.sqliteRegexTimeoutMs, openProjects: options.sqliteOpenProjects });
  }
  if (/^postgres(ql)?:\/\//.test(options.url)) return createPostgresDatabase(options.url, { poolSize: options.postgresPoolSize, namedStatements: options.postgresNamedStatements });
  throw new Error(`PLINTH_DB must be empty (SQLite) or a postgres:// URL, got "${redactUrl(options.url)}"`);
}

/** Hides the password of a connection URL, for messages and logs. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
