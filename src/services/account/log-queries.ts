import { z } from 'zod';
import { AppError } from '../../core/errors.js';
import { queriesParam } from '../../http/list-params.js';

export const logQueryParams = z.object({ queries: queriesParam });

/** Logs take only `limit` and `offset`, as Appwrite's log lists do. */
export function pageOfLogs(queries: readonly string[]): { limit: number; offset: number } {
  const page = { limit: 25, offset: 0 };
  for (const text of queries) {
    let query: { method?: unknown; values?: unknown[] };
    try {
      query = JSON.parse(text) as typeof query;
    } catch {
      throw new AppError('general_query_invalid', 'Invalid query: Syntax error');
    }
    const value = query.values?.[0];
    if ((query.method !== 'limit' && query.method !== 'offset') || typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
      throw new AppError('general_query_invalid', `Invalid query: only limit and offset are allowed on logs`);
    }
    page[query.method] = query.method === 'limit' ? Math.min(value, 5000) : value;
  }
  return page;
}
