import type { Kysely } from 'kysely';
import type { ParsedList } from '../../core/queries.js';
import { listRows, type ListTable } from '../list-query.js';
import type { ListedVariableRow, PlatformTables, VariableRow } from '../tables.js';
import { uniqueOrExists } from '../duplicates.js';

/** What `GET /project/variables` queries may name, and the columns behind them. */
export const VARIABLES_LIST_TABLE: ListTable = {
  table: 'variables_listed',
  columns: {
    $id: 'id',
    $createdAt: 'created_at',
    $updatedAt: 'updated_at',
    key: 'key',
    resourceType: 'resource_type',
    resourceId: 'resource_id',
    secret: 'secret',
  },
  booleanColumns: ['secret'],
};

/** Inserts a project variable; false when its id or its key is already taken in the project. */
export async function insertVariable(db: Kysely<PlatformTables>, row: VariableRow): Promise<boolean> {
  return (await uniqueOrExists(() => db.insertInto('variables').values(row).execute())) !== 'exists';
}

export async function findVariable(db: Kysely<PlatformTables>, projectId: string, id: string): Promise<VariableRow | undefined> {
  return db.selectFrom('variables').selectAll().where('project_id', '=', projectId).where('id', '=', id).executeTakeFirst();
}

export async function listVariablePage(
  db: Kysely<PlatformTables>,
  projectId: string,
  list: ParsedList,
  options: { total: boolean },
): Promise<{ total: number; rows: ListedVariableRow[] }> {
  return listRows<ListedVariableRow>(db, VARIABLES_LIST_TABLE, list, { ...options, where: { project_id: projectId } });
}

/** All of a project's variables, oldest first. */
export async function listVariableRows(db: Kysely<PlatformTables>, projectId: string): Promise<VariableRow[]> {
  return db.selectFrom('variables').selectAll().where('project_id', '=', projectId).orderBy('created_at').orderBy('id').execute();
}

export type VariableChanges = Partial<Pick<VariableRow, 'key' | 'value' | 'secret'>> & Pick<VariableRow, 'updated_at'>;

/**
 * Updates a variable unless its new key belongs to another variable of the project.
 * False when nothing was updated: no such variable, or the key is taken.
 */
export async function updateVariableRow(
  db: Kysely<PlatformTables>,
  projectId: string,
  id: string,
  changes: VariableChanges,
): Promise<boolean> {
  let update = db.updateTable('variables').set(changes).where('project_id', '=', projectId).where('id', '=', id);
  const key = changes.key;
  if (key !== undefined) {
    update = update.where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('variables as other')
            .select('other.id')
            .where('other.project_id', '=', projectId)
            .where('other.key', '=', key)
            .where('other.id', '<>', id),
        ),
      ),
    );
  }
  const result = await update.executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** False when there was no such variable. */
export async function deleteVariableRow(db: Kysely<PlatformTables>, projectId: string, id: string): Promise<boolean> {
  const result = await db.deleteFrom('variables').where('project_id', '=', projectId).where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
