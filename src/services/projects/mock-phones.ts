import { nowDateTime } from '../../core/datetime.js';
import { AppError } from '../../core/errors.js';
import {
  countMockPhones,
  deleteMockPhone as deleteMockPhoneRow,
  findMockPhone,
  insertMockPhone,
  listMockPhoneRows,
  updateMockPhoneOtp,
} from '../../data/platform/mock-phones.js';
import type { MockPhoneRow } from '../../data/tables.js';
import type { ServiceDeps } from '../deps.js';

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

export interface MockPhonePage {
  limit?: number;
  offset: number;
  /** False to skip counting: `total` is then 0. */
  total: boolean;
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

export async function listMockPhones(deps: ServiceDeps, projectId: string, page: MockPhonePage): Promise<MockNumberListModel> {
  const db = deps.db.platform;
  const [rows, total] = await Promise.all([
    listMockPhoneRows(db, projectId, page),
    page.total ? countMockPhones(db, projectId) : Promise.resolve(0),
  ]);
  return { total, mockNumbers: rows.map(toMockNumberModel) };
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
