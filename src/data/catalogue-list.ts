import { sql, type Kysely } from 'kysely';
import type { ParsedList } from '../core/queries.js';
import { listRows, type ListTable } from './list-query.js';

/**
 * A fixed catalogue of ids (such as the OAuth2 providers) as a row set built in the
 * statement, so its list takes queries, cursors and totals from the same compiler as every
 * stored list. VALUES names its columns column1, column2 on both engines.
 */
export function catalogueListTable(ids: readonly string[]): ListTable {
  const rows = ids.map((id, position) => sql`(${id}, ${sql.lit(position)})`);
  return {
    table: sql<{ column1: string; column2: number }>`(values ${sql.join(rows)})`.as('catalogue'),
    columns: { $id: 'column1' },
    idColumn: 'column1',
    defaultOrderColumn: 'column2',
  };
}

/** One page of the catalogue's ids, in catalogue order unless the list orders them; it reads no table, so any store runs it. */
export async function listCatalogueIds<Tables>(
  db: Kysely<Tables>,
  table: ListTable,
  list: ParsedList,
  options: { total: boolean },
): Promise<{ total: number; ids: string[] }> {
  const { total, rows } = await listRows<{ column1: string }>(db, table, list, options);
  return { total, ids: rows.map((row) => row.column1) };
}
