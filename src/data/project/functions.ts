import type { Kysely } from 'kysely';
import type { ParsedList } from '../../core/queries.js';
import { listRows, type ListTable } from '../list-query.js';

export interface FunctionRow {
  id: string;
  name: string;
  runtime: string;
  execute: string;
  events: string;
  scopes: string;
  schedule: string;
  timeout: number;
  enabled: number;
  logging: number;
  entrypoint: string;
  commands: string;
  specification: string;
  deployment_retention: number;
  deployment_id: string;
  deployment_created_at: string;
  search: string;
  created_at: string;
  updated_at: string;
}

export interface DeploymentRow {
  id: string;
  function_id: string;
  entrypoint: string;
  commands: string;
  activate: number;
  status: DeploymentStatus;
  source_size: number;
  build_size: number;
  build_logs: string;
  build_duration: number;
  search: string;
  created_at: string;
  updated_at: string;
}

export type DeploymentStatus = 'waiting' | 'processing' | 'building' | 'ready' | 'failed' | 'canceled';

export interface FunctionVariableRow {
  id: string;
  function_id: string;
  key: string;
  value: string;
  secret: number;
  created_at: string;
  updated_at: string;
}

interface FunctionTables {
  functions: FunctionRow;
  deployments: DeploymentRow;
  function_variables: FunctionVariableRow;
}

type Store = Kysely<any>;

export const FUNCTIONS_LIST_TABLE: ListTable = {
  table: 'functions',
  columns: {
    $id: 'id',
    $createdAt: 'created_at',
    $updatedAt: 'updated_at',
    name: 'name',
    enabled: 'enabled',
    runtime: 'runtime',
    deploymentId: 'deployment_id',
    schedule: 'schedule',
    timeout: 'timeout',
    entrypoint: 'entrypoint',
    commands: 'commands',
  },
  searchColumn: 'search',
  booleanColumns: ['enabled'],
  numberColumns: ['timeout'],
};

export const DEPLOYMENTS_LIST_TABLE: ListTable = {
  table: 'deployments',
  columns: {
    $id: 'id',
    $createdAt: 'created_at',
    $updatedAt: 'updated_at',
    entrypoint: 'entrypoint',
    size: 'source_size',
    sourceSize: 'source_size',
    buildSize: 'build_size',
    buildDuration: 'build_duration',
    activate: 'activate',
    commands: 'commands',
    buildId: 'id',
    status: 'status',
  },
  searchColumn: 'search',
  booleanColumns: ['activate'],
  numberColumns: ['source_size', 'build_size', 'build_duration'],
};

function store(db: Store): Kysely<FunctionTables> {
  return db as Kysely<FunctionTables>;
}

/** False when the id is taken. */
export async function insertFunction(db: Store, row: FunctionRow): Promise<boolean> {
  return store(db).transaction().execute(async (trx) => {
    const taken = await trx.selectFrom('functions').select('id').where('id', '=', row.id).executeTakeFirst();
    if (taken) return false;
    await trx.insertInto('functions').values(row).execute();
    return true;
  });
}

export async function findFunction(db: Store, id: string): Promise<FunctionRow | undefined> {
  return store(db).selectFrom('functions').selectAll().where('id', '=', id).executeTakeFirst();
}

export type FunctionChanges = Partial<Omit<FunctionRow, 'id' | 'created_at'>>;

export async function updateFunctionRow(db: Store, id: string, changes: FunctionChanges): Promise<FunctionRow | undefined> {
  const result = await store(db).updateTable('functions').set(changes).where('id', '=', id).executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) return undefined;
  return findFunction(db, id);
}

export async function deleteFunctionRow(db: Store, id: string): Promise<boolean> {
  // Children first: SQLite enforces the cascade only with foreign keys on.
  await store(db).deleteFrom('function_variables').where('function_id', '=', id).execute();
  await store(db).deleteFrom('deployments').where('function_id', '=', id).execute();
  await db.deleteFrom('executions').where('function_id', '=', id).execute();
  const result = await store(db).deleteFrom('functions').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function listFunctionRows(db: Store, list: ParsedList, options: { total: boolean; search?: string }): Promise<{ total: number; rows: FunctionRow[] }> {
  return listRows<FunctionRow>(db, FUNCTIONS_LIST_TABLE, list, options);
}

/** Functions with a cron schedule, for the scheduler. */
export async function listScheduledFunctions(db: Store): Promise<FunctionRow[]> {
  return store(db).selectFrom('functions').selectAll().where('schedule', '!=', '').where('enabled', '=', 1).execute();
}

/** Functions listening to events, for the event trigger. */
export async function listEventFunctions(db: Store): Promise<FunctionRow[]> {
  return store(db).selectFrom('functions').selectAll().where('events', '!=', '[]').where('enabled', '=', 1).execute();
}

export async function insertDeployment(db: Store, row: DeploymentRow): Promise<void> {
  await store(db).insertInto('deployments').values(row).execute();
}

export async function findDeployment(db: Store, functionId: string, id: string): Promise<DeploymentRow | undefined> {
  const row = await store(db).selectFrom('deployments').selectAll().where('id', '=', id).where('function_id', '=', functionId).executeTakeFirst();
  return row ? normalizeDeployment(row) : undefined;
}

export async function latestDeployment(db: Store, functionId: string): Promise<DeploymentRow | undefined> {
  const row = await store(db)
    .selectFrom('deployments')
    .selectAll()
    .where('function_id', '=', functionId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? normalizeDeployment(row) : undefined;
}

export type DeploymentChanges = Partial<Omit<DeploymentRow, 'id' | 'function_id' | 'created_at'>>;

/**
 * Changes a deployment, optionally only while it is in one of `onlyFrom` statuses, so a
 * cancel and a finishing build cannot both win. Returns the row after, or undefined.
 */
export async function updateDeploymentRow(
  db: Store,
  functionId: string,
  id: string,
  changes: DeploymentChanges,
  onlyFrom?: readonly DeploymentStatus[],
): Promise<DeploymentRow | undefined> {
  let update = store(db).updateTable('deployments').set(changes).where('id', '=', id).where('function_id', '=', functionId);
  if (onlyFrom) update = update.where('status', 'in', [...onlyFrom]);
  const result = await update.executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) return undefined;
  return findDeployment(db, functionId, id);
}

export async function deleteDeploymentRow(db: Store, functionId: string, id: string): Promise<boolean> {
  const result = await store(db).deleteFrom('deployments').where('id', '=', id).where('function_id', '=', functionId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function listDeploymentRows(
  db: Store,
  functionId: string,
  list: ParsedList,
  options: { total: boolean; search?: string },
): Promise<{ total: number; rows: DeploymentRow[] }> {
  const page = await listRows<DeploymentRow>(db, DEPLOYMENTS_LIST_TABLE, list, { ...options, where: { function_id: functionId } });
  return { total: page.total, rows: page.rows.map(normalizeDeployment) };
}

/**
 * Makes a ready deployment the active one in one statement, so executions see either the
 * old or the new deployment, never a mix.
 */
export async function activateDeployment(db: Store, functionId: string, deployment: DeploymentRow, now: string): Promise<FunctionRow | undefined> {
  return updateFunctionRow(db, functionId, { deployment_id: deployment.id, deployment_created_at: deployment.created_at, updated_at: now });
}

function normalizeDeployment(row: DeploymentRow): DeploymentRow {
  // PostgreSQL returns bigint columns as text.
  return { ...row, source_size: Number(row.source_size), build_size: Number(row.build_size) };
}

export async function insertFunctionVariable(db: Store, row: FunctionVariableRow): Promise<boolean> {
  return store(db).transaction().execute(async (trx) => {
    const taken = await trx
      .selectFrom('function_variables')
      .select('id')
      .where((eb) => eb.or([eb('id', '=', row.id), eb.and([eb('function_id', '=', row.function_id), eb('key', '=', row.key)])]))
      .executeTakeFirst();
    if (taken) return false;
    await trx.insertInto('function_variables').values(row).execute();
    return true;
  });
}

export async function findFunctionVariable(db: Store, functionId: string, id: string): Promise<FunctionVariableRow | undefined> {
  return store(db).selectFrom('function_variables').selectAll().where('id', '=', id).where('function_id', '=', functionId).executeTakeFirst();
}

export async function listFunctionVariableRows(db: Store, functionId: string): Promise<FunctionVariableRow[]> {
  return store(db).selectFrom('function_variables').selectAll().where('function_id', '=', functionId).orderBy('created_at').orderBy('id').execute();
}

export type FunctionVariableChanges = Partial<Pick<FunctionVariableRow, 'key' | 'value' | 'secret'>> & Pick<FunctionVariableRow, 'updated_at'>;

/** 'conflict' when another variable of the function has the key. */
export async function updateFunctionVariableRow(
  db: Store,
  functionId: string,
  id: string,
  changes: FunctionVariableChanges,
): Promise<FunctionVariableRow | 'conflict' | undefined> {
  return store(db).transaction().execute(async (trx) => {
    if (changes.key !== undefined) {
      const clash = await trx
        .selectFrom('function_variables')
        .select('id')
        .where('function_id', '=', functionId)
        .where('key', '=', changes.key)
        .where('id', '!=', id)
        .executeTakeFirst();
      if (clash) return 'conflict';
    }
    const result = await trx.updateTable('function_variables').set(changes).where('id', '=', id).where('function_id', '=', functionId).executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return undefined;
    return trx.selectFrom('function_variables').selectAll().where('id', '=', id).executeTakeFirst();
  });
}

export async function deleteFunctionVariableRow(db: Store, functionId: string, id: string): Promise<boolean> {
  const result = await store(db).deleteFrom('function_variables').where('id', '=', id).where('function_id', '=', functionId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/**
 * Marks a build ready and, when asked, makes it the active deployment, in one transaction: a
 * reader never sees a ready deployment that should be active but is not yet. Undefined when the
 * deployment left `building` meanwhile (canceled or deleted).
 */
export async function completeBuild(
  db: Store,
  functionId: string,
  deploymentId: string,
  changes: DeploymentChanges,
  activate: boolean,
): Promise<DeploymentRow | undefined> {
  return store(db).transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('deployments')
      .set({ ...changes, status: 'ready' })
      .where('id', '=', deploymentId)
      .where('function_id', '=', functionId)
      .where('status', '=', 'building')
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) return undefined;
    const row = normalizeDeployment(await trx.selectFrom('deployments').selectAll().where('id', '=', deploymentId).executeTakeFirstOrThrow());
    if (activate) {
      await trx
        .updateTable('functions')
        .set({ deployment_id: row.id, deployment_created_at: row.created_at, updated_at: row.updated_at })
        .where('id', '=', functionId)
        .execute();
    }
    return row;
  });
}
