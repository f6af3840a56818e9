import { AppError } from '../../core/errors.js';
import { parseListQueries, type Filter } from '../../core/queries.js';

export interface ListOptions {
  /** Query strings as the SDKs send them (JSON). */
  queries?: string[];
  /** false: `total` is 0 and not counted. */
  total?: boolean;
  /** The page size when no `limit` query is given: 25, as the API; the CLI lists everything. */
  defaultLimit?: number;
}

/**
 * Applies the SDK's list queries to a project's few platforms, variables or providers, in
 * memory (there are tens of them, never thousands): `equal` and `notEqual` on the listed
 * attributes, `limit`, `offset` and `cursorAfter`/`cursorBefore`. Parsed by the same query
 * model as every other list.
 */
export function applyListQueries<T extends { $id: string }>(
  all: T[],
  options: ListOptions,
  attributes: readonly string[],
): { total: number; items: T[] } {
  const list = parseListQueries(options.queries ?? [], { attributes, ...(options.defaultLimit !== undefined ? { defaultLimit: options.defaultLimit } : {}) });
  if (list.orders.length > 0) throw new AppError('general_query_invalid', 'Invalid query: ordering is not supported on this list');
  let items = all.filter((item) => list.filters.every((filter) => matches(item as Record<string, unknown>, filter)));
  const total = options.total === false ? 0 : items.length;
  const cursor = list.cursor;
  if (cursor) {
    const at = items.findIndex((item) => item.$id === cursor.id);
    if (at < 0) throw new AppError('general_cursor_not_found');
    items = cursor.direction === 'after' ? items.slice(at + 1) : items.slice(0, at).reverse();
  }
  items = items.slice(list.offset, list.offset + list.limit);
  return { total, items: cursor?.direction === 'before' ? items.reverse() : items };
}

function matches(item: Record<string, unknown>, filter: Filter): boolean {
  if (filter.kind === 'compare' && (filter.op === 'equal' || filter.op === 'notEqual')) {
    const found = filter.values.includes(item[filter.attribute] as never);
    return filter.op === 'equal' ? found : !found;
  }
  throw new AppError('general_query_invalid', 'Invalid query: only equal and notEqual filters are supported on this list');
}
