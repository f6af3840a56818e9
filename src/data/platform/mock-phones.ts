import type { Kysely } from 'kysely';
import type { ParsedList } from '../../core/queries.js';
import { listRows, type ListTable } from '../list-query.js';
import type { MockPhoneRow, PlatformTables } from '../tables.js';
import { uniqueOrExists } from '../duplicates.js';

/** `GET /project/mock-phones` pages by `limit` and `offset`; a number is its own id. */
export const MOCK_PHONES_LIST_TABLE: ListTable = {
  table: 'mock_phones',
  columns: { $createdAt: 'created_at', $updatedAt: 'updated_at' },
  idColumn: 'number',
};

/** Inserts the number unless the project has it already; false when it did. */
export async function insertMockPhone(db: Kysely<PlatformTables>, row: MockPhoneRow): Promise<boolean> {
  return (await uniqueOrExists(() => db.insertInto('mock_phones').values(row).execute())) !== 'exists';
}

export async function findMockPhone(db: Kysely<PlatformTables>, projectId: string, number: string): Promise<MockPhoneRow | undefined> {
  return db
    .selectFrom('mock_phones')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('number', '=', number)
    .executeTakeFirst();
}

/** All of a project's numbers, in the order they were created. */
export async function listMockPhoneRows(db: Kysely<PlatformTables>, projectId: string): Promise<MockPhoneRow[]> {
  return db.selectFrom('mock_phones').selectAll().where('project_id', '=', projectId).orderBy('created_at').orderBy('number').execute();
}

export async function listMockPhonePage(
  db: Kysely<PlatformTables>,
  projectId: string,
  list: ParsedList,
  options: { total: boolean },
): Promise<{ total: number; rows: MockPhoneRow[] }> {
  return listRows<MockPhoneRow>(db, MOCK_PHONES_LIST_TABLE, list, { ...options, where: { project_id: projectId } });
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

/** Removes every number of the project. */
export async function deleteMockPhonesOf(db: Kysely<PlatformTables>, projectId: string): Promise<void> {
  await db.deleteFrom('mock_phones').where('project_id', '=', projectId).execute();
}
