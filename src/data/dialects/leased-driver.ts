import type { DatabaseConnection, Dialect, Driver, Kysely, QueryCompiler, TransactionSettings } from 'kysely';

/** A driver lent for the span of one connection use; `release` says that use is over. */
export interface DriverLease {
  readonly driver: Driver;
  release(): void;
}

/** The engine-specific parts of a dialect, apart from its driver. */
export interface DialectParts {
  createQueryCompiler: Dialect['createQueryCompiler'];
  createAdapter: Dialect['createAdapter'];
  createIntrospector: Dialect['createIntrospector'];
}

/**
 * A dialect whose driver is borrowed anew for every connection use (a query, or a whole
 * transaction), so the store behind it may be opened, migrated or closed in between while
 * the Kysely instance callers hold stays the same.
 */
export function leasedDialect(parts: DialectParts, lease: () => Promise<DriverLease>): Dialect {
  return {
    createDriver: () => new LeasedDriver(lease),
    createQueryCompiler: () => parts.createQueryCompiler(),
    createAdapter: () => parts.createAdapter(),
    createIntrospector: (db: Kysely<any>) => parts.createIntrospector(db),
  };
}

class LeasedDriver implements Driver {
  /** Which lease each handed-out connection came from, until it is released. */
  private readonly leases = new Map<DatabaseConnection, DriverLease>();

  constructor(private readonly lease: () => Promise<DriverLease>) {}

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    const lease = await this.lease();
    try {
      const connection = await lease.driver.acquireConnection();
      this.leases.set(connection, lease);
      return connection;
    } catch (error) {
      lease.release();
      throw error;
    }
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const lease = this.leaseOf(connection);
    this.leases.delete(connection);
    try {
      await lease.driver.releaseConnection(connection);
    } finally {
      lease.release();
    }
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.leaseOf(connection).driver.beginTransaction(connection, settings);
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.leaseOf(connection).driver.commitTransaction(connection);
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.leaseOf(connection).driver.rollbackTransaction(connection);
  }

  async savepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    const { driver } = this.leaseOf(connection);
    if (!driver.savepoint) throw new Error('this driver has no savepoints');
    await driver.savepoint(connection, name, compile);
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    const { driver } = this.leaseOf(connection);
    if (!driver.rollbackToSavepoint) throw new Error('this driver has no savepoints');
    await driver.rollbackToSavepoint(connection, name, compile);
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    const { driver } = this.leaseOf(connection);
    if (!driver.releaseSavepoint) throw new Error('this driver has no savepoints');
    await driver.releaseSavepoint(connection, name, compile);
  }

  /** The store's owner closes what it opened; this instance holds nothing of its own. */
  async destroy(): Promise<void> {}

  private leaseOf(connection: DatabaseConnection): DriverLease {
    const lease = this.leases.get(connection);
    if (!lease) throw new Error('a connection was used after it was released');
    return lease;
  }
}
