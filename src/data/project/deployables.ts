import type { Kysely } from 'kysely';
import type { ParsedList } from '../../core/queries.js';
import { listRows, type ListTable } from '../list-query.js';
import { uniqueOrExists } from '../duplicates.js';
import { inTransaction } from '../transactions.js';
import type { ProjectTables } from '../tables.js';
import type {
  DeploymentRow,
  DeploymentStatus,
  FunctionRow,
  FunctionVariableRow,
  SiteDeploymentRow,
  SiteRow,
  SiteVariableRow,
} from './deployable-tables.js';

export type { DeploymentStatus } from './deployable-tables.js';

// Functions and sites share one shape: a resource row, its deployments and its variables.
// These queries serve both, told apart by the tables and the column naming the owner.

/** The tables of one kind of deployable resource. */
export type DeployableNames = FunctionNames | SiteNames;

interface FunctionNames {
  owners: 'functions';
  deployments: 'deployments';
  variables: 'function_variables';
  ownerColumn: 'function_id';
  deploymentsList: ListTable;
}

interface SiteNames {
  owners: 'sites';
  deployments: 'site_deployments';
  variables: 'site_variables';
  ownerColumn: 'site_id';
  deploymentsList: ListTable;
}

type OwnerRow = FunctionRow | SiteRow;
type AnyDeploymentRow = DeploymentRow | SiteDeploymentRow;
type AnyVariableRow = FunctionVariableRow | SiteVariableRow;

/** Columns every deployment row has, whatever its resource. */
export type DeploymentRowBase = Pick<AnyDeploymentRow, 'id' | 'status' | 'source_size' | 'build_size' | 'created_at' | 'updated_at'>;

export type VariableRowBase = Pick<AnyVariableRow, 'id' | 'key' | 'value' | 'secret' | 'created_at' | 'updated_at'>;

export type VariableChangesBase = Partial<Pick<VariableRowBase, 'key' | 'value' | 'secret'>> & Pick<VariableRowBase, 'updated_at'>;

type Store = Kysely<ProjectTables>;

type OwnerChanges = Partial<Omit<FunctionRow, 'id' | 'created_at'>> | Partial<Omit<SiteRow, 'id' | 'created_at'>>;
type DeploymentChanges = Partial<Omit<DeploymentRow, 'id' | 'function_id' | 'created_at'>> | Partial<Omit<SiteDeploymentRow, 'id' | 'site_id' | 'created_at'>>;

/** False when the id is taken. */
export async function insertOwner(db: Store, tables: DeployableNames, row: OwnerRow): Promise<boolean> {
  return (await uniqueOrExists(() => db.insertInto(tables.owners).values(row).execute())) !== 'exists';
}

export async function findOwner<Row extends OwnerRow>(db: Store, tables: DeployableNames, id: string): Promise<Row | undefined> {
  return db.selectFrom(tables.owners).selectAll().where('id', '=', id).executeTakeFirst() as Promise<Row | undefined>;
}

export async function updateOwner<Row extends OwnerRow>(db: Store, tables: DeployableNames, id: string, changes: OwnerChanges): Promise<Row | undefined> {
  const result = await db.updateTable(tables.owners).set(changes).where('id', '=', id).executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) return undefined;
  return findOwner<Row>(db, tables, id);
}

/** Deletes the resource's variables and deployments (SQLite enforces the cascade only with foreign keys on). */
export async function deleteOwnerChildren(db: Store, tables: DeployableNames, id: string): Promise<void> {
  await db.deleteFrom(tables.variables).where(tables.ownerColumn, '=', id).execute();
  await db.deleteFrom(tables.deployments).where(tables.ownerColumn, '=', id).execute();
}

export async function deleteOwner(db: Store, tables: DeployableNames, id: string): Promise<boolean> {
  const result = await db.deleteFrom(tables.owners).where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function insertDeploymentRow(db: Store, tables: DeployableNames, row: AnyDeploymentRow): Promise<void> {
  await db.insertInto(tables.deployments).values(row).execute();
}

export async function findDeploymentRow<Row extends AnyDeploymentRow>(db: Store, tables: DeployableNames, ownerId: string, id: string): Promise<Row | undefined> {
  const row = await db.selectFrom(tables.deployments).selectAll().where('id', '=', id).where(tables.ownerColumn, '=', ownerId).executeTakeFirst();
  return row ? normalizeDeployment(row as Row) : undefined;
}

export async function latestDeploymentRow<Row extends AnyDeploymentRow>(db: Store, tables: DeployableNames, ownerId: string): Promise<Row | undefined> {
  const row = await db
    .selectFrom(tables.deployments)
    .selectAll()
    .where(tables.ownerColumn, '=', ownerId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? normalizeDeployment(row as Row) : undefined;
}

/**
 * Changes a deployment, optionally only while it is in one of `onlyFrom` statuses, so a
 * cancel and a finishing build cannot both win. Returns the row after, or undefined.
 */
export async function updateDeploymentRowOf<Row extends AnyDeploymentRow>(
  db: Store,
  tables: DeployableNames,
  ownerId: string,
  id: string,
  changes: DeploymentChanges,
  onlyFrom?: readonly DeploymentStatus[],
): Promise<Row | undefined> {
  let update = db.updateTable(tables.deployments).set(changes).where('id', '=', id).where(tables.ownerColumn, '=', ownerId);
  if (onlyFrom) update = update.where('status', 'in', [...onlyFrom]);
  const result = await update.executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) return undefined;
  return findDeploymentRow<Row>(db, tables, ownerId, id);
}

export async function deleteDeploymentRowOf(db: Store, tables: DeployableNames, ownerId: string, id: string): Promise<boolean> {
  const result = await db.deleteFrom(tables.deployments).where('id', '=', id).where(tables.ownerColumn, '=', ownerId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function listDeploymentRowsOf<Row extends AnyDeploymentRow>(
  db: Store,
  tables: DeployableNames,
  ownerId: string,
  list: ParsedList,
  options: { total: boolean; search?: string },
): Promise<{ total: number; rows: Row[] }> {
  const page = await listRows<Row>(db, tables.deploymentsList, list, { ...options, where: { [tables.ownerColumn]: ownerId } });
  return { total: page.total, rows: page.rows.map(normalizeDeployment) };
}

/**
 * Marks a build ready and, when asked, makes it the live deployment, in one transaction: a
 * reader never sees a ready deployment that should be live but is not yet. Undefined when the
 * deployment left `building` meanwhile (canceled or deleted).
 */
export async function completeBuildOf<Row extends AnyDeploymentRow>(
  db: Store,
  tables: DeployableNames,
  ownerId: string,
  deploymentId: string,
  changes: DeploymentChanges,
  activate: boolean,
): Promise<Row | undefined> {
  return inTransaction(db, async (trx) => {
    const updated = await trx
      .updateTable(tables.deployments)
      .set({ ...changes, status: 'ready' })
      .where('id', '=', deploymentId)
      .where(tables.ownerColumn, '=', ownerId)
      .where('status', '=', 'building')
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) return undefined;
    const row = normalizeDeployment((await trx.selectFrom(tables.deployments).selectAll().where('id', '=', deploymentId).executeTakeFirstOrThrow()) as Row);
    if (activate) {
      await trx
        .updateTable(tables.owners)
        .set({ deployment_id: row.id, deployment_created_at: row.created_at, updated_at: row.updated_at })
        .where('id', '=', ownerId)
        .execute();
    }
    return row;
  });
}

function normalizeDeployment<Row extends AnyDeploymentRow>(row: Row): Row {
  // PostgreSQL returns bigint columns as text.
  return { ...row, source_size: Number(row.source_size), build_size: Number(row.build_size) };
}

/** False when the id is taken or the resource already has the key. */
export async function insertVariableRow(db: Store, tables: DeployableNames, row: AnyVariableRow): Promise<boolean> {
  return (await uniqueOrExists(() => db.insertInto(tables.variables).values(row).execute())) !== 'exists';
}

export async function findVariableRow<Row extends AnyVariableRow>(db: Store, tables: DeployableNames, ownerId: string, id: string): Promise<Row | undefined> {
  return db.selectFrom(tables.variables).selectAll().where('id', '=', id).where(tables.ownerColumn, '=', ownerId).executeTakeFirst() as Promise<Row | undefined>;
}

export async function listVariableRowsOf<Row extends AnyVariableRow>(db: Store, tables: DeployableNames, ownerId: string): Promise<Row[]> {
  return db.selectFrom(tables.variables).selectAll().where(tables.ownerColumn, '=', ownerId).orderBy('created_at').orderBy('id').execute() as Promise<Row[]>;
}

/** 'conflict' when another variable of the resource has the key. */
export async function updateVariableRowOf<Row extends AnyVariableRow>(
  db: Store,
  tables: DeployableNames,
  ownerId: string,
  id: string,
  changes: VariableChangesBase,
): Promise<Row | 'conflict' | undefined> {
  return inTransaction(db, async (trx) => {
    if (changes.key !== undefined) {
      const clash = await trx
        .selectFrom(tables.variables)
        .select('id')
        .where(tables.ownerColumn, '=', ownerId)
        .where('key', '=', changes.key)
        .where('id', '!=', id)
        .executeTakeFirst();
      if (clash) return 'conflict';
    }
    const result = await trx.updateTable(tables.variables).set(changes).where('id', '=', id).where(tables.ownerColumn, '=', ownerId).executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return undefined;
    return (await trx.selectFrom(tables.variables).selectAll().where('id', '=', id).executeTakeFirst()) as Row | undefined;
  });
}

export async function deleteVariableRowOf(db: Store, tables: DeployableNames, ownerId: string, id: string): Promise<boolean> {
  const result = await db.deleteFrom(tables.variables).where('id', '=', id).where(tables.ownerColumn, '=', ownerId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
