import { nowDateTime } from '../../core/datetime.js';
import { AppError } from '../../core/errors.js';
import {
  countMockPhones,
  deleteMockPhone as deleteMockPhoneRow,
  findMockPhone,
  insertMockPhone,
  deleteMockPhonesOf,
  listMockPhonePage,
  MOCK_PHONES_LIST_TABLE,
  updateMockPhoneOtp,
} from '../../data/platform/mock-phones.js';
import type { MockPhoneRow } from '../../data/tables.js';
import type { ServiceDeps } from '../deps.js';
import { queryAttributes } from '../../data/list-query.js';
import { parseQueriesParam, type ListInput } from './queries-param.js';

/** The most mock numbers a project may hold, as Appwrite allows. */
export const MOCK_PHONE_LIMIT = 5000;

/** Appwrite's `mockNumber` model. */
export interface MockNumberModel {
  number: string;
  otp: string;
  $createdAt: string;
  $updatedAt: string;
}

export interface MockNumberListModel {
  total: number;
  mockNumbers: MockNumberModel[];
}

function toMockNumberModel(row: MockPhoneRow): MockNumberModel {
  return { number: row.number, otp: row.otp, $createdAt: row.created_at, $updatedAt: row.updated_at };
}

export async function createMockPhone(deps: ServiceDeps, projectId: string, number: string, otp: string): Promise<MockNumberModel> {
  const db = deps.db.platform;
  if ((await countMockPhones(db, projectId)) >= MOCK_PHONE_LIMIT) throw new AppError('mock_number_limit_exceeded');
  const now = nowDateTime();
  const row: MockPhoneRow = { project_id: projectId, number, otp, created_at: now, updated_at: now };
  if (!(await insertMockPhone(db, row))) throw new AppError('mock_number_already_exists');
  return toMockNumberModel(row);
}

export async function listMockPhones(deps: ServiceDeps, projectId: string, input: ListInput): Promise<MockNumberListModel> {
  const list = parseQueriesParam(input.queries, { attributes: queryAttributes(MOCK_PHONES_LIST_TABLE) });
  const { total, rows } = await listMockPhonePage(deps.db.platform, projectId, list, { total: input.total });
  return { total, mockNumbers: rows.map(toMockNumberModel) };
}

/** Removes every mock number of the project. */
export async function clearMockPhones(deps: ServiceDeps, projectId: string): Promise<void> {
  await deleteMockPhonesOf(deps.db.platform, projectId);
}

export async function getMockPhone(deps: ServiceDeps, projectId: string, number: string): Promise<MockNumberModel> {
  const row = await findMockPhone(deps.db.platform, projectId, number);
  if (!row) throw new AppError('mock_number_not_found');
  return toMockNumberModel(row);
}

export async function updateMockPhone(deps: ServiceDeps, projectId: string, number: string, otp: string): Promise<MockNumberModel> {
  const row = await updateMockPhoneOtp(deps.db.platform, projectId, number, otp, nowDateTime());
  if (!row) throw new AppError('mock_number_not_found');
  return toMockNumberModel(row);
}

export async function deleteMockPhone(deps: ServiceDeps, projectId: string, number: string): Promise<void> {
  if (!(await deleteMockPhoneRow(deps.db.platform, projectId, number))) throw new AppError('mock_number_not_found');
}
