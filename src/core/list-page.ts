import { AppError } from './errors.js';
import type { ParsedList } from './queries.js';

/** A page of an in-memory list; filters, orders and cursors are refused. */
export function pageOf<T>(items: readonly T[], list: ParsedList): T[] {
  if (list.filters.length > 0 || list.orders.length > 0 || list.cursor) {
    throw new AppError('general_query_invalid', 'Invalid query: Only limit and offset queries are supported here.');
  }
  return items.slice(list.offset, list.offset + list.limit);
}
