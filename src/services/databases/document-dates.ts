import { formatDateTime, parseDateTime } from '../../core/datetime.js';
import { apiError, type ApiNames } from './api-names.js';

/** `$createdAt` / `$updatedAt` a write asked for, normalised; only API keys may set them. */
export interface ChosenDates {
  createdAt?: string;
  updatedAt?: string;
}

/**
 * Reads the system dates from document data. Clients may not rewrite history, so a
 * non-key caller sending either key is an invalid structure; a key's value must be a date.
 */
export function chosenDates(api: ApiNames, isKey: boolean, data: Readonly<Record<string, unknown>>): ChosenDates {
  const result: ChosenDates = {};
  for (const [key, field] of [['$createdAt', 'createdAt'], ['$updatedAt', 'updatedAt']] as const) {
    const value = data[key];
    if (value === undefined || value === null) continue;
    const invalid = (reason: string) => apiError(api, 'document_invalid_structure', { message: `Invalid document structure: ${reason}` });
    if (!isKey) throw invalid(`Attribute "${key}" may only be set with an API key`);
    const date = typeof value === 'string' ? parseDateTime(value) : undefined;
    if (!date) throw invalid(`Attribute "${key}" must be a valid datetime`);
    result[field] = formatDateTime(date);
  }
  return result;
}
