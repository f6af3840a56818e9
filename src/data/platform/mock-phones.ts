import type { Kysely } from 'kysely';
import type { MockPhoneRow, PlatformTables } from '../tables.js';

/** Inserts the number unless the project has it already; false when it did. */
export async function insertMockPhone(db: Kysely<PlatformTables>, row: MockPhoneRow): Promise<boolean> {
  const result = await db
    .insertInto('mock_phones')
    .values(row)
    .onConflict((conflict) => conflict.columns(['project_id', 'number']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
}

export async function findMockPhone(db: Kysely<PlatformTables>, projectId: string, number: string): Promise<MockPhoneRow | undefined> {
  return db
    .selectFrom('mock_phones')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('number', '=', number)
    .executeTakeFirst();
}

/** In the order they were created; `limit` undefined for all of them. */
export async function listMockPhoneRows(
  db: Kysely<PlatformTables>,
  projectId: string,
  page: { limit?: number; offset: number },
): Promise<MockPhoneRow[]> {
  let query = db
    .selectFrom('mock_phones')
    .selectAll()
    .where('project_id', '=', projectId)
    .orderBy('created_at')
    .orderBy('number');
  // SQLite accepts OFFSET only after a LIMIT; -1 there and ALL in PostgreSQL both mean none.
  if (page.limit !== undefined) query = query.limit(page.limit);
  else if (page.offset > 0) query = query.limit(Number.MAX_SAFE_INTEGER);
  if (page.offset > 0) query = query.offset(page.offset);
  return query.execute();
}

export async function countMockPhones(db: Kysely<PlatformTables>, projectId: string): Promise<number> {
  const row = await db
    .selectFrom('mock_phones')
    .select((eb) => eb.fn.countAll<string | number | bigint>().as('count'))
    .where('project_id', '=', projectId)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Sets a number's OTP; undefined when the project has no such number. */
export async function updateMockPhoneOtp(
  db: Kysely<PlatformTables>,
  projectId: string,
  number: string,
  otp: string,
  updatedAt: string,
): Promise<MockPhoneRow | undefined> {
  const result = await db
    .updateTable('mock_phones')
    .set({ otp, updated_at: updatedAt })
    .where('project_id', '=', projectId)
    .where('number', '=', number)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) return undefined;
  return findMockPhone(db, projectId, number);
}

/** False when the project has no such number. */
export async function deleteMockPhone(db: Kysely<PlatformTables>, projectId: string, number: string): Promise<boolean> {
  const result = await db.deleteFrom('mock_phones').where('project_id', '=', projectId).where('number', '=', number).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
