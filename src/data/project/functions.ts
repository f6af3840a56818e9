import type { Kysely } from 'kysely';
import type { ParsedList } from '../../core/queries.js';
import { listRows, type ListTable } from '../list-query.js';
import * as shared from './deployables.js';
import type { DeployableNames } from './deployables.js';
import type { ProjectTables } from '../tables.js';
import type { DeploymentStatus, FunctionRow, DeploymentRow, FunctionVariableRow } from './deployable-tables.js';

export type { DeploymentStatus, FunctionRow, DeploymentRow, FunctionVariableRow } from './deployable-tables.js';

type Store = Kysely<ProjectTables>;

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

const TABLES: DeployableNames = {
  owners: 'functions',
  deployments: 'deployments',
  variables: 'function_variables',
  ownerColumn: 'function_id',
  deploymentsList: DEPLOYMENTS_LIST_TABLE,
};

/** False when the id is taken. */
export async function insertFunction(db: Store, row: FunctionRow): Promise<boolean> {
  return shared.insertOwner(db, TABLES, row);
}

export async function findFunction(db: Store, id: string): Promise<FunctionRow | undefined> {
  return shared.findOwner<FunctionRow>(db, TABLES, id);
}

export type FunctionChanges = Partial<Omit<FunctionRow, 'id' | 'created_at'>>;

export async function updateFunctionRow(db: Store, id: string, changes: FunctionChanges): Promise<FunctionRow | undefined> {
  return shared.updateOwner<FunctionRow>(db, TABLES, id, changes);
}

export async function deleteFunctionRow(db: Store, id: string): Promise<boolean> {
  await shared.deleteOwnerChildren(db, TABLES, id);
  await db.deleteFrom('executions').where('function_id', '=', id).execute();
  return shared.deleteOwner(db, TABLES, id);
}

export async function listFunctionRows(db: Store, list: ParsedList, options: { total: boolean; search?: string }): Promise<{ total: number; rows: FunctionRow[] }> {
  return listRows<FunctionRow>(db, FUNCTIONS_LIST_TABLE, list, options);
}

/** Functions with a cron schedule, for the scheduler. */
export async function listScheduledFunctions(db: Store): Promise<FunctionRow[]> {
  return db.selectFrom('functions').selectAll().where('schedule', '!=', '').where('enabled', '=', 1).execute();
}

/** What every function's schedule is made of, as the console's schedules list them. */
export type FunctionScheduleFacts = Pick<FunctionRow, 'id' | 'schedule' | 'enabled' | 'deployment_id' | 'created_at' | 'updated_at'>;

export async function listFunctionScheduleFacts(db: Store): Promise<FunctionScheduleFacts[]> {
  return db.selectFrom('functions').select(['id', 'schedule', 'enabled', 'deployment_id', 'created_at', 'updated_at']).execute();
}

/** Functions listening to events, for the event trigger. */
export async function listEventFunctions(db: Store): Promise<FunctionRow[]> {
  return db.selectFrom('functions').selectAll().where('events', '!=', '[]').where('enabled', '=', 1).execute();
}

export async function insertDeployment(db: Store, row: DeploymentRow): Promise<void> {
  await shared.insertDeploymentRow(db, TABLES, row);
}

export async function findDeployment(db: Store, functionId: string, id: string): Promise<DeploymentRow | undefined> {
  return shared.findDeploymentRow<DeploymentRow>(db, TABLES, functionId, id);
}

export async function latestDeployment(db: Store, functionId: string): Promise<DeploymentRow | undefined> {
  return shared.latestDeploymentRow<DeploymentRow>(db, TABLES, functionId);
}

export type DeploymentChanges = Partial<Omit<DeploymentRow, 'id' | 'function_id' | 'created_at'>>;

/** Changes a deployment, optionally only while it is in one of `onlyFrom` statuses. */
export async function updateDeploymentRow(
  db: Store,
  functionId: string,
  id: string,
  changes: DeploymentChanges,
  onlyFrom?: readonly DeploymentStatus[],
): Promise<DeploymentRow | undefined> {
  return shared.updateDeploymentRowOf<DeploymentRow>(db, TABLES, functionId, id, changes, onlyFrom);
}

export async function deleteDeploymentRow(db: Store, functionId: string, id: string): Promise<boolean> {
  return shared.deleteDeploymentRowOf(db, TABLES, functionId, id);
}

export async function listDeploymentRows(
  db: Store,
  functionId: string,
  list: ParsedList,
  options: { total: boolean; search?: string },
): Promise<{ total: number; rows: DeploymentRow[] }> {
  return shared.listDeploymentRowsOf<DeploymentRow>(db, TABLES, functionId, list, options);
}

/**
 * Makes a ready deployment the active one in one statement, so executions see either the
 * old or the new deployment, never a mix.
 */
export async function activateDeployment(db: Store, functionId: string, deployment: DeploymentRow, now: string): Promise<FunctionRow | undefined> {
  return updateFunctionRow(db, functionId, { deployment_id: deployment.id, deployment_created_at: deployment.created_at, updated_at: now });
}

export async function insertFunctionVariable(db: Store, row: FunctionVariableRow): Promise<boolean> {
  return shared.insertVariableRow(db, TABLES, row);
}

export async function findFunctionVariable(db: Store, functionId: string, id: string): Promise<FunctionVariableRow | undefined> {
  return shared.findVariableRow<FunctionVariableRow>(db, TABLES, functionId, id);
}

export async function listFunctionVariableRows(db: Store, functionId: string): Promise<FunctionVariableRow[]> {
  return shared.listVariableRowsOf<FunctionVariableRow>(db, TABLES, functionId);
}

export type FunctionVariableChanges = shared.VariableChangesBase;

/** 'conflict' when another variable of the function has the key. */
export async function updateFunctionVariableRow(
  db: Store,
  functionId: string,
  id: string,
  changes: FunctionVariableChanges,
): Promise<FunctionVariableRow | 'conflict' | undefined> {
  return shared.updateVariableRowOf<FunctionVariableRow>(db, TABLES, functionId, id, changes);
}

export async function deleteFunctionVariableRow(db: Store, functionId: string, id: string): Promise<boolean> {
  return shared.deleteVariableRowOf(db, TABLES, functionId, id);
}

/** Marks a build ready and, when asked, makes it the active deployment, in one transaction. */
export async function completeBuild(
  db: Store,
  functionId: string,
  deploymentId: string,
  changes: DeploymentChanges,
  activate: boolean,
): Promise<DeploymentRow | undefined> {
  return shared.completeBuildOf<DeploymentRow>(db, TABLES, functionId, deploymentId, changes, activate);
}
