import type { Kysely } from 'kysely';
import type { PlatformTables, VariableRow } from '../tables.js';

/** Inserts a project variable; false when its id or its key is already taken in the project. */
export async function insertVariable(db: Kysely<PlatformTables>, row: VariableRow): Promise<boolean> {
  const result = await db
    .insertInto('variables')
    .values(row)
    .onConflict((conflict) => conflict.doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function findVariable(db: Kysely<PlatformTables>, projectId: string, id: string): Promise<VariableRow | undefined> {
  return db.selectFrom('variables').selectAll().where('project_id', '=', projectId).where('id', '=', id).executeTakeFirst();
}

/** A project's variables, oldest first. */
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
