import { AppError } from '../../core/errors.js';
import { parseListQueries, type ParsedList, type QuerySchema } from '../../core/queries.js';

/** A list's `queries` and `total` parameters, as the routes receive them. */
export interface ListInput {
  queries: string[];
  total: boolean;
}

/**
 * Parses list queries where a bad one answers as a bad `queries` argument
 * (`general_argument_invalid`, 400), as the key and mock phone lists always have.
 */
export function parseQueriesParam(queries: readonly string[], schema: QuerySchema): ParsedList {
  try {
    return parseListQueries(queries, schema);
  } catch (error) {
    if (error instanceof AppError && error.type === 'general_query_invalid') {
      throw new AppError('general_argument_invalid', `Invalid \`queries\` param: ${error.message}`);
    }
    throw error;
  }
}
