import type { Kysely } from 'kysely';
import type { ParsedList } from '../../core/queries.js';
import { listRows, type ListTable } from '../list-query.js';
import type { ProjectTables } from '../tables.js';
import type { ExecutionRow, ExecutionStatus } from './execution-table.js';
export type { ExecutionRow, ExecutionStatus } from './execution-table.js';

type Store = Kysely<ProjectTables>;

export const EXECUTIONS_LIST_TABLE: ListTable = {
  table: 'executions',
  columns: {
    $id: 'id',
    $createdAt: 'created_at',
    $updatedAt: 'updated_at',
    trigger: 'trigger',
    status: 'status',
    requestMethod: 'request_method',
    requestPath: 'request_path',
    responseStatusCode: 'response_status_code',
    duration: 'duration',
    deploymentId: 'deployment_id',
  },
  numberColumns: ['response_status_code', 'duration'],
};

/** False when an execution with the id exists already (another node recorded the same trigger). */
export async function insertExecution(db: Store, row: ExecutionRow): Promise<boolean> {
  const result = await db
    .insertInto('executions')
    .values(row)
    .onConflict((conflict) => conflict.column('id').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 1n) > 0;
}

export async function findExecution(db: Store, functionId: string, id: string): Promise<ExecutionRow | undefined> {
  return db.selectFrom('executions').selectAll().where('id', '=', id).where('function_id', '=', functionId).executeTakeFirst();
}

/** An execution of any of the project's functions. */
export async function findExecutionById(db: Store, id: string): Promise<ExecutionRow | undefined> {
  return db.selectFrom('executions').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Executions waiting for their `scheduled_at`, of every function. */
export async function listScheduledExecutionRows(db: Store): Promise<ExecutionRow[]> {
  return db.selectFrom('executions').selectAll().where('status', '=', 'scheduled').execute();
}

export type ExecutionChanges = Partial<Omit<ExecutionRow, 'id' | 'function_id' | 'created_at'>>;

/** Changes an execution only while it is in one of `onlyFrom`, so a job that runs twice does not run it twice. */
export async function updateExecutionRow(
  db: Store,
  id: string,
  changes: ExecutionChanges,
  onlyFrom?: readonly ExecutionStatus[],
): Promise<boolean> {
  let update = db.updateTable('executions').set(changes).where('id', '=', id);
  if (onlyFrom) update = update.where('status', 'in', [...onlyFrom]);
  const result = await update.executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function deleteExecutionRow(db: Store, functionId: string, id: string): Promise<boolean> {
  const result = await db.deleteFrom('executions').where('id', '=', id).where('function_id', '=', functionId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** One page of a function's executions; with `userId`, only that user's. */
export async function listExecutionRows(
  db: Store,
  functionId: string,
  list: ParsedList,
  options: { total: boolean; userId?: string },
): Promise<{ total: number; rows: ExecutionRow[] }> {
  const where: Record<string, string> = { function_id: functionId };
  if (options.userId !== undefined) where.user_id = options.userId;
  return listRows<ExecutionRow>(db, EXECUTIONS_LIST_TABLE, list, { total: options.total, where });
}
