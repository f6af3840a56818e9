import { sql, type AliasedRawBuilder, type Kysely, type RawBuilder, type SelectQueryBuilder, type SqlBool } from 'kysely';
import { AppError } from '../core/errors.js';
import type { SpatialFilter } from '../core/spatial-queries.js';
import { MAX_LIMIT, STORED_ORDER, type CompareOp, type Filter, type ListOrder, type ParsedList, type Scalar } from '../core/queries.js';
import { isInvalidRegex, isQueryTimeout } from './documents/driver-errors.js';
import { storeCapabilities } from './dialects/store-capabilities.js';

/** How one table answers list queries. */
export interface ListTable {
  /** A table or view, or a row set built in the statement (e.g. a VALUES list of a fixed catalogue). */
  table: string | AliasedRawBuilder<object, string>;
  /** API attribute -> column, e.g. { $id: 'id', $createdAt: 'created_at', name: 'name' }. */
  columns: Readonly<Record<string, string>>;
  /** Column holding lower-cased searchable text, for the `search` query and the `search` list param. */
  searchColumn?: string;
  /** Columns of booleans stored as 0/1 integers, so equal(true) compares with 1. */
  booleanColumns?: readonly string[];
  /** Columns of numbers; every other column is text. */
  numberColumns?: readonly string[];
  /** Number columns the API shows as strings of digits (`$sequence`), so a query may give either. */
  digitStringColumns?: readonly string[];
  /** Columns of JSON arrays (as text): `contains` matches an element, not a substring. */
  arrayColumns?: readonly string[];
  /** Array columns whose `equal` matches when an element is one of the values, and `notEqual` when none is. */
  elementEqualColumns?: readonly string[];
  /** Columns with a full-text index, each with the condition that matches a search term on it. */
  fulltextMatch?: Readonly<Record<string, (term: string) => RawBuilder<SqlBool>>>;
  /** How the engine matches a column against a regular expression; without it, regex queries are refused. */
  regexMatch?: (column: string, pattern: string) => RawBuilder<SqlBool>;
  /** How the engine matches a geo column against a spatial filter; without it, spatial queries are refused. */
  spatialMatch?: (column: string, filter: SpatialFilter) => RawBuilder<SqlBool>;
  /** Columns regex may name (plain strings); every text column when absent. */
  regexColumns?: readonly string[];
  /** The unique id column cursors name and ties break on; `id` by default. */
  idColumn?: string;
  /** The order when a list asks for none; `created_at` by default. */
  defaultOrderColumn?: string;
}

/** The attributes a list's queries may name: exactly those its table maps to columns. */
export function queryAttributes(table: ListTable): string[] {
  return Object.keys(table.columns);
}

export interface ListOptions {
  /** Count the matches (capped at 5000); when false no count runs and total is 0. */
  total: boolean;
  /** The list param: every word must occur in the search column. */
  search?: string;
  /** Fixed conditions, column -> value, e.g. { user_id: 'u1' }. */
  where?: Readonly<Record<string, string | number>>;
  /**
   * Further conditions of the caller's own (e.g. a permission subquery), inside the same
   * statements. They bound the cursor row too: a row the caller may not see is no cursor.
   */
  conditions?: readonly RawBuilder<SqlBool>[];
  /**
   * A one-row, one-column select read in the same statement as the page (joined laterally, so
   * only where the engine can), its value returned as `alongside`: e.g. a version to check.
   */
  alongside?: SelectQueryBuilder<any, any, { value: unknown }>;
}

export interface ListPage<Row> {
  total: number;
  rows: Row[];
  /** The value of `alongside`, when one was asked for. */
  alongside?: unknown;
}

/** The total's and the companion value's columns in a page read with them; no table column is named so. */
const TOTAL_COLUMN = '$$total';
const ALONGSIDE_COLUMN = '$$alongside';

type Condition = RawBuilder<SqlBool>;
type Direction = 'asc' | 'desc';
interface OrderColumn {
  column: string;
  direction: Direction;
}

const TRUE: Condition = sql<SqlBool>`1 = 1`;
const FALSE: Condition = sql<SqlBool>`1 = 0`;

/**
 * One page of a table under a parsed list: one select, plus a count when a total is
 * wanted and a lookup of the cursor row. Every value is bound as a parameter.
 *
 * Portable semantics, the same on SQLite and PostgreSQL:
 * - NULL sorts as the smallest value (first ascending, last descending), as Appwrite does.
 * - startsWith/endsWith/contains are case-sensitive on both engines: LIKE narrows, then an
 *   exact substr/replace comparison drops what SQLite's case-insensitive LIKE let through.
 * - Text ordering and ranges follow the engine's collation: byte order on SQLite, the
 *   database collation on PostgreSQL (identical when it is C / C.UTF-8).
 */
export async function listRows<Row>(
  db: Kysely<any>,
  table: ListTable,
  list: ParsedList,
  options: ListOptions,
): Promise<ListPage<Row>> {
  const compiler = new ConditionCompiler(table);
  const fixed = Object.entries(options.where ?? {}).map(([column, value]) => sql<SqlBool>`${sql.ref(column)} = ${value}`);
  const matching = [
    ...fixed,
    ...(options.conditions ?? []),
    ...list.filters.map((filter) => compiler.filter(filter)),
    ...(options.search === undefined ? [] : [compiler.searchWords(requireSearchColumn(table), options.search)]),
  ];

  const orders = orderColumns(compiler, list.orders, table.idColumn ?? 'id', table.defaultOrderColumn ?? 'created_at');
  const before = list.cursor?.direction === 'before';
  // cursorBefore walks the order backwards from the cursor, then turns the page round.
  const walk = before ? orders.map((o) => ({ ...o, direction: flip(o.direction) })) : orders;
  const visible = [...fixed, ...(options.conditions ?? [])];
  const keyset = list.cursor ? await cursorCondition(db, table, walk, list.cursor.id, visible) : undefined;

  let page = rowsOf(db, table.table).selectAll().where(allOf([...matching, ...(keyset ? [keyset] : [])]));
  if (list.random) page = page.orderBy(sql`random()`);
  else {
    // Nulls sort first ascending, as Appwrite's engine does. The id and the default order
    // column are never null, and a plain ORDER BY on them lets PostgreSQL walk their index.
    const neverNull = new Set([table.idColumn ?? 'id', table.defaultOrderColumn ?? 'created_at']);
    for (const { column, direction } of walk) {
      if (neverNull.has(column)) page = page.orderBy(sql.ref(column), direction);
      else page = page.orderBy(sql.ref(column), (o) => (direction === 'asc' ? o.asc().nullsFirst() : o.desc().nullsLast()));
    }
  }
  page = page.limit(list.limit).offset(list.offset);

  // Where the engine joins laterally, count and page come from one statement, so the total
  // is that of the page's own snapshot even while rows are written.
  if ((options.total && storeCapabilities(db)?.lateralJoin) || options.alongside) {
    const count = options.total ? countQuery(db, table.table, allOf(matching)) : undefined;
    const joined = await pageJoined<Row>(db, page, { count, alongside: options.alongside }, table.idColumn ?? 'id').catch(asQueryError);
    if (before) joined.rows.reverse();
    return joined;
  }
  const [rows, total] = await Promise.all([
    page.execute() as Promise<Row[]>,
    options.total ? countRows(db, table.table, allOf(matching)) : Promise.resolve(0),
  ]).catch(asQueryError);
  if (before) rows.reverse();
  return { total, rows };
}

/** Explicit orders first, then the id as the tie-break; the default is created_at, id ascending. */
function orderColumns(compiler: ConditionCompiler, orders: readonly ListOrder[], idColumn: string, defaultColumn: string): OrderColumn[] {
  const result: OrderColumn[] = [];
  for (const order of orders) {
    const column = order.attribute === STORED_ORDER ? defaultColumn : compiler.column(order.attribute);
    if (!result.some((o) => o.column === column)) result.push({ column, direction: order.direction });
  }
  if (result.length === 0) result.push({ column: defaultColumn, direction: 'asc' });
  // The tie-break follows the last order, so orderDesc($createdAt) is the default reversed.
  const last = result[result.length - 1]!;
  if (!result.some((o) => o.column === idColumn)) result.push({ column: idColumn, direction: last.direction });
  return result;
}

/** Rows strictly past the cursor row in the walk order: (a, b, id) > (va, vb, vid), NULL smallest. */
async function cursorCondition(
  db: Kysely<any>,
  table: ListTable,
  walk: readonly OrderColumn[],
  cursorId: string,
  visible: readonly Condition[],
): Promise<Condition> {
  const cursor = await rowsOf(db, table.table)
    .select(walk.map((o) => o.column))
    .where(allOf([sql<SqlBool>`${sql.ref(table.idColumn ?? 'id')} = ${cursorId}`, ...visible]))
    .executeTakeFirst();
  if (!cursor) throw new AppError('general_cursor_not_found');

  const branches = walk.map((order, i) => {
    const equalBefore = walk.slice(0, i).map((o) => sameAs(o.column, cursor[o.column]));
    return allOf([...equalBefore, pastValue(order, cursor[order.column])]);
  });
  return anyOf(branches);
}

function sameAs(column: string, value: unknown): Condition {
  return value === null ? sql<SqlBool>`${sql.ref(column)} is null` : sql<SqlBool>`${sql.ref(column)} = ${value}`;
}

function pastValue({ column, direction }: OrderColumn, value: unknown): Condition {
  const ref = sql.ref(column);
  if (direction === 'asc') return value === null ? sql<SqlBool>`${ref} is not null` : sql<SqlBool>`${ref} > ${value}`;
  return value === null ? FALSE : sql<SqlBool>`(${ref} < ${value} or ${ref} is null)`;
}

/** The rows a list reads: a table or view by name, or a row set built in the statement. */
function rowsOf(db: Kysely<any>, table: ListTable['table']): SelectQueryBuilder<any, any, object> {
  return typeof table === 'string' ? db.selectFrom(table) : db.selectFrom(table);
}

/** Counts matches up to the cap without scanning past it. */
function countQuery(db: Kysely<any>, tableName: ListTable['table'], where: Condition) {
  const matched = rowsOf(db, tableName).select(sql<number>`1`.as('one')).where(where).limit(MAX_LIMIT);
  return db.selectFrom(matched.as('matched')).select(sql<number | string>`count(*)`.as('total'));
}

async function countRows(db: Kysely<any>, tableName: ListTable['table'], where: Condition): Promise<number> {
  const row = await countQuery(db, tableName, where).executeTakeFirst();
  return Number(row?.total ?? 0);
}

/**
 * One driving row (the count, the companion value, or both) with the page joined to it
 * laterally: one statement, one round trip. An empty page still gives the driving row, its
 * page columns null; the single outer row keeps the page in its own order.
 */
async function pageJoined<Row>(
  db: Kysely<any>,
  page: SelectQueryBuilder<any, any, object>,
  driving: { count: ReturnType<typeof countQuery> | undefined; alongside: ListOptions['alongside'] },
  idColumn: string,
): Promise<ListPage<Row>> {
  const from = [
    ...(driving.count ? [driving.count.as('counted')] : []),
    ...(driving.alongside ? [driving.alongside.as('alongside')] : []),
  ];
  const joined = (await db
    .selectFrom(from as never)
    .leftJoinLateral(page.as('page'), (join) => join.onTrue())
    .select([
      ...(driving.count ? [sql.ref('counted.total').as(TOTAL_COLUMN)] : []),
      ...(driving.alongside ? [sql.ref('alongside.value').as(ALONGSIDE_COLUMN)] : []),
    ] as never)
    .selectAll('page' as never)
    .execute()) as Record<string, unknown>[];
  const first = joined[0];
  const result: ListPage<Row> = { total: driving.count ? Number(first?.[TOTAL_COLUMN] ?? 0) : 0, rows: [] };
  if (driving.alongside) result.alongside = first?.[ALONGSIDE_COLUMN];
  for (const row of joined) {
    if (row[idColumn] === null) continue;
    delete row[TOTAL_COLUMN];
    delete row[ALONGSIDE_COLUMN];
    result.rows.push(row as Row);
  }
  return result;
}

function requireSearchColumn(table: ListTable): string {
  if (!table.searchColumn) throw new Error('this list has no search column');
  return table.searchColumn;
}

/**
 * Failures the query itself caused: a pattern RE2 admits that PostgreSQL does not read (400),
 * or a statement stopped for running too long (408).
 */
function asQueryError(error: unknown): never {
  if (isInvalidRegex(error)) throw invalid('Invalid query: regex pattern is not one the database supports');
  if (isQueryTimeout(error)) throw new AppError('database_timeout');
  throw error;
}

function invalid(message: string): AppError {
  return new AppError('general_query_invalid', message);
}

/** Turns filters into SQL conditions over one table's columns. */
class ConditionCompiler {
  constructor(private readonly table: ListTable) {}

  column(attribute: string): string {
    const column = this.table.columns[attribute];
    if (!column) throw invalid(`Invalid query: Attribute not found in schema: ${attribute}`);
    return column;
  }

  filter(filter: Filter): Condition {
    switch (filter.kind) {
      case 'logical': {
        const parts = filter.filters.map((f) => this.filter(f));
        return filter.op === 'and' ? allOf(parts) : anyOf(parts);
      }
      case 'null': {
        const ref = sql.ref(this.column(filter.attribute));
        return filter.negate ? sql<SqlBool>`${ref} is not null` : sql<SqlBool>`${ref} is null`;
      }
      case 'compare':
        return this.compare(filter.op, filter.attribute, filter.values);
      case 'between': {
        const column = this.column(filter.attribute);
        const low = this.bind(filter.attribute, column, filter.low);
        const high = this.bind(filter.attribute, column, filter.high);
        const ref = sql.ref(column);
        return filter.negate ? sql<SqlBool>`${ref} not between ${low} and ${high}` : sql<SqlBool>`${ref} between ${low} and ${high}`;
      }
      case 'text': {
        if (filter.op === 'contains' && this.table.arrayColumns?.includes(this.column(filter.attribute))) {
          const column = this.column(filter.attribute);
          const parts = filter.values.map((value) => arrayHas(column, this.elementJson(filter.attribute, value)));
          const matches = filter.every ? allOf(parts) : anyOf(parts);
          return filter.negate ? not(matches) : matches;
        }
        const column = this.textColumn(filter.attribute);
        const parts = filter.values.map((value) => textMatch(column, filter.op, value));
        const matches = filter.every ? allOf(parts) : anyOf(parts);
        return filter.negate ? not(matches) : matches;
      }
      case 'search': {
        const column = this.column(filter.attribute);
        const fulltext = this.table.fulltextMatch?.[column];
        if (column !== this.table.searchColumn && !fulltext) {
          throw invalid(`Invalid query: Searching by attribute "${filter.attribute}" requires a fulltext index.`);
        }
        const matches = fulltext ? fulltext(filter.term) : this.searchWords(column, filter.term);
        return filter.negate ? not(matches) : matches;
      }
      case 'regex':
        return this.regex(filter.attribute, filter.pattern);
      case 'spatial':
      case 'distance': {
        const column = this.column(filter.attribute);
        if (!this.table.spatialMatch) throw invalid(`Invalid query: Spatial queries are not supported for this list`);
        return this.table.spatialMatch(column, filter);
      }
    }
  }

  /** Plain string columns only: never numbers, booleans, arrays (JSON text) or other text kinds. */
  private regex(attribute: string, pattern: string): Condition {
    const column = this.textColumn(attribute);
    const { regexMatch, regexColumns } = this.table;
    if (!regexMatch) throw invalid('Invalid query: Method not supported for this list: regex');
    if (this.table.arrayColumns?.includes(column) || (regexColumns && !regexColumns.includes(column))) {
      throw invalid(`Invalid query: regex needs a string attribute, and "${attribute}" is not one`);
    }
    return regexMatch(column, pattern);
  }

  /** Every word of the term must occur in the lower-cased column. */
  searchWords(column: string, term: string): Condition {
    const words = term.toLowerCase().split(/\s+/).filter((word) => word !== '');
    return allOf(words.map((word) => sql<SqlBool>`${sql.ref(column)} like ${`%${escapeLike(word)}%`} escape '\\'`));
  }

  /** An array element as JSON.stringify writes it inside the stored array. */
  private elementJson(attribute: string, value: string): string {
    const column = this.column(attribute);
    if (this.table.numberColumns?.includes(column)) {
      const number = Number(value);
      if (value.trim() === '' || !Number.isFinite(number)) throw invalid(`Invalid query: Query value is invalid for attribute "${attribute}"`);
      return JSON.stringify(number);
    }
    if (this.table.booleanColumns?.includes(column)) {
      if (value !== 'true' && value !== 'false') throw invalid(`Invalid query: Query value is invalid for attribute "${attribute}"`);
      return value;
    }
    return JSON.stringify(value);
  }

  private compare(op: CompareOp, attribute: string, values: Scalar[]): Condition {
    const column = this.column(attribute);
    const ref = sql.ref(column);
    if ((op === 'equal' || op === 'notEqual') && this.table.elementEqualColumns?.includes(column)) {
      const holds = anyOf(values.filter((v) => v !== null).map((v) => arrayHas(column, JSON.stringify(String(v)))));
      return op === 'equal' ? holds : not(holds);
    }
    if (op === 'equal' || op === 'notEqual') {
      // NULL never equals anything in SQL, so a null value means IS NULL.
      const present = values.filter((v) => v !== null).map((v) => this.bind(attribute, column, v));
      const wantsNull = present.length < values.length;
      if (op === 'equal') {
        return anyOf([
          ...(present.length > 0 ? [sql<SqlBool>`${ref} in (${sql.join(present)})`] : []),
          ...(wantsNull ? [sql<SqlBool>`${ref} is null`] : []),
        ]);
      }
      return allOf([
        ...(present.length > 0 ? [sql<SqlBool>`${ref} not in (${sql.join(present)})`] : []),
        ...(wantsNull ? [sql<SqlBool>`${ref} is not null`] : []),
      ]);
    }
    const value = this.bind(attribute, column, values[0] ?? null);
    switch (op) {
      case 'lessThan':
        return sql<SqlBool>`${ref} < ${value}`;
      case 'lessThanEqual':
        return sql<SqlBool>`${ref} <= ${value}`;
      case 'greaterThan':
        return sql<SqlBool>`${ref} > ${value}`;
      default:
        return sql<SqlBool>`${ref} >= ${value}`;
    }
  }

  private textColumn(attribute: string): string {
    const column = this.column(attribute);
    if (this.table.booleanColumns?.includes(column) || this.table.numberColumns?.includes(column)) {
      throw invalid(`Invalid query: Attribute "${attribute}" is not text`);
    }
    return column;
  }

  /**
   * The value as the column stores it: 1/0 for boolean columns, numbers for number
   * columns, and text otherwise (so both engines compare text with text).
   */
  private bind(attribute: string, column: string, value: Scalar): string | number | bigint {
    const wrong = () => invalid(`Invalid query: Query value is invalid for attribute "${attribute}"`);
    if (this.table.booleanColumns?.includes(column)) {
      if (typeof value !== 'boolean') throw wrong();
      return value ? 1 : 0;
    }
    if (this.table.numberColumns?.includes(column)) {
      if (typeof value === 'string' && this.table.digitStringColumns?.includes(column) && /^\d{1,19}$/.test(value)) {
        const integer = BigInt(value);
        return Number.isSafeInteger(Number(integer)) ? Number(integer) : integer;
      }
      if (typeof value !== 'number' && typeof value !== 'bigint') throw wrong();
      return value;
    }
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'bigint') return String(value);
    throw wrong();
  }
}

/** LIKE narrows the rows (case-insensitively on SQLite); the exact test keeps case. */
function textMatch(column: string, op: 'startsWith' | 'endsWith' | 'contains', value: string): Condition {
  const ref = sql.ref(column);
  const escaped = escapeLike(value);
  const length = [...value].length;
  if (length === 0) return sql<SqlBool>`${ref} is not null`;
  switch (op) {
    case 'startsWith':
      return sql<SqlBool>`(${ref} like ${`${escaped}%`} escape '\\' and substr(${ref}, 1, ${length}) = ${value})`;
    case 'endsWith':
      // The LIKE guarantees the column is at least `length` characters long.
      return sql<SqlBool>`(${ref} like ${`%${escaped}`} escape '\\' and substr(${ref}, length(${ref}) - ${length} + 1) = ${value})`;
    case 'contains':
      return sql<SqlBool>`(${ref} like ${`%${escaped}%`} escape '\\' and replace(${ref}, ${value}, '') <> ${ref})`;
  }
}

/**
 * Whether a JSON array (text written by JSON.stringify, no spaces) has the element. An
 * element is bounded by `[` or `,` and by `,` or `]`; quotes inside strings are escaped,
 * so a bounded match is a whole element. `replace` keeps the test case-sensitive.
 */
function arrayHas(column: string, element: string): Condition {
  const ref = sql.ref(column);
  const holds = (needle: string) => sql<SqlBool>`replace(${ref}, ${needle}, '') <> ${ref}`;
  return sql<SqlBool>`(${ref} = ${`[${element}]`} or ${holds(`[${element},`)} or ${holds(`,${element},`)} or ${holds(`,${element}]`)})`;
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (char) => `\\${char}`);
}

function allOf(parts: readonly Condition[]): Condition {
  if (parts.length === 0) return TRUE;
  if (parts.length === 1) return parts[0]!;
  return sql<SqlBool>`(${sql.join(parts, sql` and `)})`;
}

function anyOf(parts: readonly Condition[]): Condition {
  if (parts.length === 0) return FALSE;
  if (parts.length === 1) return parts[0]!;
  return sql<SqlBool>`(${sql.join(parts, sql` or `)})`;
}

function not(condition: Condition): Condition {
  return sql<SqlBool>`not (${condition})`;
}

function flip(direction: Direction): Direction {
  return direction === 'asc' ? 'desc' : 'asc';
}
