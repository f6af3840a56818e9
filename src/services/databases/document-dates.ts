import { formatDateTime } from '../../core/datetime.js';
import { parseDateTimeInput } from '../../core/datetime-input.js';
import { apiError, type ApiNames } from './api-names.js';

/** `$createdAt` / `$updatedAt` a write asked for, normalised; only API keys may set them. */
export interface ChosenDates {
  createdAt?: string;
  updatedAt?: string;
}

/**
 * Reads the system dates from document data. Clients may not rewrite history: as in
 * Appwrite, a non-key caller's dates are dropped without a word and the server stamps its
 * own. A key's value must be a datetime in any form a datetime attribute takes.
 */
export function chosenDates(api: ApiNames, actsForProject: boolean, data: Readonly<Record<string, unknown>>): ChosenDates {
  const result: ChosenDates = {};
  if (!actsForProject) return result;
  for (const [key, field] of [['$createdAt', 'createdAt'], ['$updatedAt', 'updatedAt']] as const) {
    const value = data[key];
    if (value === undefined || value === null) continue;
    const invalid = (reason: string) => apiError(api, 'document_invalid_structure', { message: `Invalid document structure: ${reason}` });
    const date = typeof value === 'string' ? parseDateTimeInput(value) : undefined;
    if (!date) throw invalid(`Attribute "${key}" must be a valid datetime`);
    result[field] = formatDateTime(date);
  }
  return result;
}
