import type { Kysely } from 'kysely';
import type { ParsedList } from '../../core/queries.js';
import { listRows, type ListTable } from '../list-query.js';

export type ExecutionStatus = 'waiting' | 'processing' | 'completed' | 'failed' | 'scheduled';

export interface ExecutionRow {
  id: string;
  function_id: string;
  deployment_id: string;
  user_id: string;
  permissions: string;
  trigger: 'http' | 'schedule' | 'event';
  status: ExecutionStatus;
  request_method: string;
  request_path: string;
  request_headers: string;
  response_status_code: number;
  response_body: string;
  response_headers: string;
  logs: string;
  errors: string;
  duration: number;
  scheduled_at: string | null;
  created_at: string;
  updated_at: string;
}

type Store = Kysely<{ executions: ExecutionRow }>;

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
export async function insertExecution(db: Kysely<any>, row: ExecutionRow): Promise<boolean> {
  const result = await (db as Store)
    .insertInto('executions')
    .values(row)
    .onConflict((conflict) => conflict.column('id').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 1n) > 0;
}

export async function findExecution(db: Kysely<any>, functionId: string, id: string): Promise<ExecutionRow | undefined> {
  return (db as Store).selectFrom('executions').selectAll().where('id', '=', id).where('function_id', '=', functionId).executeTakeFirst();
}

/** An execution of any of the project's functions. */
export async function findExecutionById(db: Kysely<any>, id: string): Promise<ExecutionRow | undefined> {
  return (db as Store).selectFrom('executions').selectAll().where('id', '=', id).executeTakeFirst();
}

export type ExecutionChanges = Partial<Omit<ExecutionRow, 'id' | 'function_id' | 'created_at'>>;

/** Changes an execution only while it is in one of `onlyFrom`, so a job that runs twice does not run it twice. */
export async function updateExecutionRow(
  db: Kysely<any>,
  id: string,
  changes: ExecutionChanges,
  onlyFrom?: readonly ExecutionStatus[],
): Promise<boolean> {
  let update = (db as Store).updateTable('executions').set(changes).where('id', '=', id);
  if (onlyFrom) update = update.where('status', 'in', [...onlyFrom]);
  const result = await update.executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function deleteExecutionRow(db: Kysely<any>, functionId: string, id: string): Promise<boolean> {
  const result = await (db as Store).deleteFrom('executions').where('id', '=', id).where('function_id', '=', functionId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** One page of a function's executions; with `userId`, only that user's. */
export async function listExecutionRows(
  db: Kysely<any>,
  functionId: string,
  list: ParsedList,
  options: { total: boolean; userId?: string },
): Promise<{ total: number; rows: ExecutionRow[] }> {
  const where: Record<string, string> = { function_id: functionId };
  if (options.userId !== undefined) where.user_id = options.userId;
  return listRows<ExecutionRow>(db, EXECUTIONS_LIST_TABLE, list, { total: options.total, where });
}
