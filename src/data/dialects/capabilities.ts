import type { ColumnDefinitionBuilder, Kysely, RawBuilder, SqlBool, Transaction } from 'kysely';
import type { FulltextSupport } from './fulltext.js';
import type { SpatialSupport } from './spatial.js';
import type { WriteCounter } from './write-counter.js';

/** The SQL type a column of `jsonRows` takes. */
export type JsonRowType = 'text' | 'integer';

/** What an engine can do, so that code branches on abilities, never on engine names. */
export interface DialectCapabilities {
  /** Shown in health output and logs. */
  readonly label: string;
  /** Makes an integer column the auto-incrementing primary key. */
  autoIncrementPrimaryKey(column: ColumnDefinitionBuilder): ColumnDefinitionBuilder;
  /** `FOR UPDATE SKIP LOCKED`, so that competing workers never claim the same row. */
  readonly skipLocked: boolean;
  /** Serialises schema changes of one store across processes, held until the transaction ends. */
  lockForMigration(trx: Transaction<any>, scope: string): Promise<void>;
  /**
   * `LEFT JOIN LATERAL`: a list's page and its total come back from one statement, which saves
   * a round trip where each statement is one (PostgreSQL); SQLite runs the two in-process.
   */
  readonly lateralJoin: boolean;
  /**
   * INSERT, UPDATE and DELETE inside WITH, each reading another's RETURNING: a document, its
   * permission rows and its outbox entry are written by one statement, atomic without a
   * transaction around it (PostgreSQL); SQLite writes them in one transaction in-process.
   */
  readonly writesInWith: boolean;
  /** The most bound parameters one statement may carry. */
  readonly maxBindParameters: number;
  /** Whether a driver error is a unique-key clash; the dialect's driver turns those into DuplicateRowError. */
  isDuplicateKey(error: unknown): boolean;
  /** Checks that the engine answers. */
  ping(db: Kysely<any>): Promise<void>;
  /** The engine's clock, in epoch milliseconds. */
  clock(db: Kysely<any>): Promise<number>;
  /** Full-text indexes and word matches over document columns (FTS5, tsvector). */
  readonly fulltext: FulltextSupport;
  /** Geo columns, spatial indexes and spatial predicates (PostGIS, or R*Tree plus registered functions). */
  readonly spatial: SpatialSupport;
  /**
   * The column matches the regular expression, bound as a parameter; NULL never matches.
   * PostgreSQL runs POSIX AREs, SQLite RE2: the query parser admits RE2 patterns only, and
   * PostgreSQL refuses (SQLSTATE 2201B) those of them it does not read.
   */
  regexMatch(column: string, pattern: string): RawBuilder<SqlBool>;
  /**
   * Triggers that add to the counter row whenever one of the tables is written, in the
   * writing transaction, whichever code path or process writes.
   */
  countWrites(db: Kysely<any>, tables: readonly string[], counter: WriteCounter): Promise<void>;
  /**
   * The objects of a JSON array, bound as one parameter, as a row set with the given columns
   * (a parenthesised select): rows built in memory then cost one parameter, not one per value.
   */
  jsonRows(json: string, columns: Readonly<Record<string, JsonRowType>>): RawBuilder<unknown>;
  /** Lets a `varchar` column hold longer values; nothing to do where lengths are not enforced. */
  widenVarchar(db: Kysely<any>, table: string, column: string, length: number): Promise<void>;
}
