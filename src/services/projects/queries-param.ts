import { AppError } from '../../core/errors.js';
import { MAX_LIMIT, parseListQueries, type ParsedList, type QuerySchema } from '../../core/queries.js';

/** A list's `queries` and `total` parameters, as the routes receive them. */
export interface ListInput {
  queries: string[];
  total: boolean;
}

/** The same, as the CLI passes them too: everything optional, and a page size of its own. */
export interface ListOptions {
  queries?: string[];
  /** false: `total` is 0 and not counted. */
  total?: boolean;
  /** The page size when no `limit` query is given: 25, as the API; the CLI lists everything. */
  defaultLimit?: number;
}

export function defaultLimitOf(options: ListOptions): Pick<QuerySchema, 'defaultLimit'> {
  return options.defaultLimit === undefined ? {} : { defaultLimit: options.defaultLimit };
}

/**
 * Parses list queries where a bad one answers as a bad `queries` argument
 * (`general_argument_invalid`, 400), as the key and mock phone lists always have; their
 * pages hold at least one item.
 */
export function parseQueriesParam(queries: readonly string[], schema: QuerySchema): ParsedList {
  let list: ParsedList;
  try {
    list = parseListQueries(queries, schema);
  } catch (error) {
    if (error instanceof AppError && error.type === 'general_query_invalid') throw badQueries(error.message);
    throw error;
  }
  if (list.limit < 1) throw badQueries(`Invalid query: limit must be an integer between 1 and ${MAX_LIMIT}`);
  return list;
}

function badQueries(why: string): AppError {
  return new AppError('general_argument_invalid', `Invalid \`queries\` param: ${why}`);
}
