import type { CompiledQuery, DatabaseConnection, Dialect, Driver, QueryCompiler, QueryResult, TransactionSettings } from 'kysely';
import { DuplicateRowError } from '../duplicates.js';

/**
 * The dialect with its driver's unique-key errors turned into DuplicateRowError, the one
 * place each engine's error codes are read.
 */
export function withDuplicateErrors(dialect: Dialect, isDuplicateKey: (error: unknown) => boolean): Dialect {
  return {
    createDriver: () => new DuplicateAwareDriver(dialect.createDriver(), isDuplicateKey),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createAdapter: () => dialect.createAdapter(),
    createIntrospector: (db) => dialect.createIntrospector(db),
  };
}

class DuplicateAwareConnection implements DatabaseConnection {
  constructor(
    readonly inner: DatabaseConnection,
    private readonly isDuplicateKey: (error: unknown) => boolean,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    try {
      return await this.inner.executeQuery<R>(query);
    } catch (error) {
      throw this.isDuplicateKey(error) ? new DuplicateRowError(error) : error;
    }
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(query, chunkSize);
  }
}

/** Hands out wrapped connections and gives the inner driver back its own. */
class DuplicateAwareDriver implements Driver {
  constructor(
    private readonly inner: Driver,
    private readonly isDuplicateKey: (error: unknown) => boolean,
  ) {}

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    return new DuplicateAwareConnection(await this.inner.acquireConnection(), this.isDuplicateKey);
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection(unwrap(connection));
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.inner.beginTransaction(unwrap(connection), settings);
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.commitTransaction(unwrap(connection));
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.rollbackTransaction(unwrap(connection));
  }

  async savepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    if (!this.inner.savepoint) throw new Error('this driver has no savepoints');
    await this.inner.savepoint(unwrap(connection), name, compile);
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    if (!this.inner.rollbackToSavepoint) throw new Error('this driver has no savepoints');
    await this.inner.rollbackToSavepoint(unwrap(connection), name, compile);
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    if (!this.inner.releaseSavepoint) throw new Error('this driver has no savepoints');
    await this.inner.releaseSavepoint(unwrap(connection), name, compile);
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}

function unwrap(connection: DatabaseConnection): DatabaseConnection {
  return connection instanceof DuplicateAwareConnection ? connection.inner : connection;
}
