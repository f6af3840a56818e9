import type { Grant } from '../../core/permissions.js';
import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { ParsedList } from '../../core/queries.js';
import type { DialectCapabilities } from '../dialects/capabilities.js';
import type { FulltextIndex } from '../dialects/fulltext.js';
import type { SpatialIndex } from '../dialects/spatial.js';
import { listRows, type ListTable } from '../list-query.js';
import { uniqueOrExists } from '../duplicates.js';
import { findDocumentById } from './document-lookup.js';
import { schemaVersionSelect } from './schema-version.js';
import { insertDocumentRow } from './document-insert.js';
import type { StoredDocument } from './stored-document.js';
import { documentTableName, permissionTableName, SYSTEM_COLUMNS } from './naming.js';

/** In a file of its own, so the statements this module composes can name it without importing this module. */
export type { StoredDocument };

/** How queries see a collection's table: attribute keys to columns, and what each column holds. */
export interface DocumentLayout {
  collectionSeq: number;
  /** Available attributes only: key -> column. */
  columns: Readonly<Record<string, string>>;
  numberColumns: readonly string[];
  booleanColumns: readonly string[];
  arrayColumns: readonly string[];
  /** Columns of string attributes (any format, not datetimes): what regex queries may name. */
  stringColumns: readonly string[];
  /** Column -> the available fulltext index that covers it. */
  fulltext: Readonly<Record<string, FulltextIndex>>;
  /** Column -> the available spatial index over it. */
  spatial?: Readonly<Record<string, SpatialIndex>>;
}

/** Restricts rows to those the roles may act on through the permission table. */
export interface DocumentAccess {
  type: 'read' | 'update' | 'delete';
  roles: readonly string[];
}

export interface NewDocument {
  id: string;
  createdAt: string;
  updatedAt: string;
  permissions: readonly string[];
  grants: readonly Grant[];
  /** column -> stored value. */
  values: Readonly<Record<string, unknown>>;
}

/** Inserts a document and its grants in one transaction; 'exists' on an id or unique-index clash. */
export async function insertDocument(db: Kysely<any>, collectionSeq: number, doc: NewDocument): Promise<StoredDocument | 'exists'> {
  // Without grants the insert is one statement, atomic on its own: no transaction to open.
  if (doc.grants.length === 0) return uniqueOrExists(() => insertDocumentIn(db, collectionSeq, doc));
  return uniqueOrExists(() => db.transaction().execute((trx) => insertDocumentIn(trx, collectionSeq, doc)));
}

/** The insert itself, inside a transaction the caller holds (bulk writes share one). */
export async function insertDocumentIn(trx: Kysely<any>, collectionSeq: number, doc: NewDocument): Promise<StoredDocument> {
  const row = await insertDocumentRow(trx, collectionSeq, newDocumentColumns(doc));
  await insertGrants(trx, collectionSeq, row._seq, doc.grants);
  return row;
}

/** The columns a new document's row is inserted with (the database adds its sequence). */
export function newDocumentColumns(doc: NewDocument): Record<string, unknown> {
  return { ...doc.values, _uid: doc.id, _created_at: doc.createdAt, _updated_at: doc.updatedAt, _permissions: JSON.stringify(doc.permissions) };
}

/** The document with this id; with `access`, only when the roles hold that permission on it. */
export async function findDocument(
  db: Kysely<any>,
  collectionSeq: number,
  id: string,
  access?: DocumentAccess,
): Promise<StoredDocument | undefined> {
  if (!access) return findDocumentById(db, collectionSeq, id);
  const table = documentTableName(collectionSeq);
  let query = db.selectFrom(table).selectAll().where('_uid', '=', id);
  if (access) query = query.where(grantedTo(db, collectionSeq, access));
  return (await query.executeTakeFirst()) as StoredDocument | undefined;
}

/** What an update writes: columns, the dates, and (when given) new permissions. */
export interface DocumentChange {
  updatedAt: string;
  createdAt?: string;
  values: Readonly<Record<string, unknown>>;
  permissions?: readonly string[];
  grants?: readonly Grant[];
}

/** Changes columns (and, when given, replaces the permissions); 'exists' on a unique-index clash. */
export async function updateDocument(
  db: Kysely<any>,
  collectionSeq: number,
  documentSeq: number,
  change: DocumentChange,
): Promise<StoredDocument | 'exists'> {
  // Keeping the permissions, the update is one statement: no transaction to open.
  if (!change.grants) return uniqueOrExists(() => updateDocumentIn(db, collectionSeq, documentSeq, change));
  return uniqueOrExists(() => db.transaction().execute((trx) => updateDocumentIn(trx, collectionSeq, documentSeq, change)));
}

/** The columns an update sets. */
export function changedColumns(change: DocumentChange): Record<string, unknown> {
  return {
    ...change.values,
    _updated_at: change.updatedAt,
    ...(change.createdAt ? { _created_at: change.createdAt } : {}),
    ...(change.permissions ? { _permissions: JSON.stringify(change.permissions) } : {}),
  };
}

/** The update itself, inside a transaction the caller holds. */
export async function updateDocumentIn(trx: Kysely<any>, collectionSeq: number, documentSeq: number, change: DocumentChange): Promise<StoredDocument> {
  const row = (await trx
    .updateTable(documentTableName(collectionSeq))
    .set(changedColumns(change))
    .where('_seq', '=', documentSeq)
    .returningAll()
    .executeTakeFirstOrThrow()) as StoredDocument;
  if (change.grants) {
    await trx.deleteFrom(permissionTableName(collectionSeq)).where('_document', '=', documentSeq).execute();
    await insertGrants(trx, collectionSeq, documentSeq, change.grants);
  }
  return row;
}

export async function deleteDocument(db: Kysely<any>, collectionSeq: number, documentSeq: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom(permissionTableName(collectionSeq)).where('_document', '=', documentSeq).execute();
    await trx.deleteFrom(documentTableName(collectionSeq)).where('_seq', '=', documentSeq).execute();
  });
}

/**
 * One page of documents: the filters, orders and cursor of the list, with the permission
 * condition (when given) inside the same statements as an EXISTS on the permission table.
 */
export async function listDocuments(
  db: Kysely<any>,
  dialect: DialectCapabilities,
  layout: DocumentLayout,
  list: ParsedList,
  options: { total: boolean; access?: DocumentAccess; withSchemaVersion?: boolean },
): Promise<{ total: number; rows: StoredDocument[]; schemaVersion?: number }> {
  // The schema version rides along only where the page is one statement with it anyway.
  const alongside = options.withSchemaVersion && dialect.lateralJoin ? schemaVersionSelect(db) : undefined;
  const page = await listRows<StoredDocument>(db, documentListTable(dialect, layout), list, {
    total: options.total,
    ...(alongside ? { alongside } : {}),
    ...(options.access ? { conditions: [grantedTo(db, layout.collectionSeq, options.access)] } : {}),
  });
  return alongside ? { total: page.total, rows: page.rows, schemaVersion: Number(page.alongside) } : page;
}

export function documentListTable(dialect: DialectCapabilities, layout: DocumentLayout): ListTable {
  return {
    table: documentTableName(layout.collectionSeq),
    columns: { ...layout.columns, ...SYSTEM_COLUMNS },
    numberColumns: [...layout.numberColumns, SYSTEM_COLUMNS.$sequence],
    digitStringColumns: [SYSTEM_COLUMNS.$sequence],
    booleanColumns: layout.booleanColumns,
    arrayColumns: layout.arrayColumns,
    regexColumns: layout.stringColumns,
    regexMatch: (column, pattern) => dialect.regexMatch(column, pattern),
    fulltextMatch: Object.fromEntries(
      Object.entries(layout.fulltext).map(([column, index]) => [column, (term: string) => dialect.fulltext.match(index, term)]),
    ),
    spatialMatch: (column, filter) => dialect.spatial.match(column, filter, layout.spatial?.[column]),
    idColumn: SYSTEM_COLUMNS.$id,
    defaultOrderColumn: SYSTEM_COLUMNS.$sequence,
  };
}

/**
 * EXISTS a grant of the type to one of the roles, the roles bound as parameters. Built with
 * the query builder so the store's schema (PostgreSQL) qualifies the permission table.
 */
function grantedTo(db: Kysely<any>, collectionSeq: number, access: DocumentAccess): RawBuilder<SqlBool> {
  if (access.roles.length === 0) return sql<SqlBool>`1 = 0`;
  const table = documentTableName(collectionSeq);
  const granted = db
    .selectFrom(`${permissionTableName(collectionSeq)} as p`)
    .select(sql<number>`1`.as('one'))
    .whereRef('p._document', '=', `${table}._seq`)
    .where('p._type', '=', access.type)
    .where('p._role', 'in', [...access.roles])
    // SQLite 3.51 turns an EXISTS over a multi-role IN into a join that yields a document
    // once per matching grant, so OFFSET skipped the wrong rows; a LIMIT keeps it a probe
    // of the (document, type, role) index. Written as a literal, PostgreSQL drops it and
    // still plans a semi-join.
    .limit(sql.lit(1));
  // An embedded query compiles inside parentheses already.
  return sql<SqlBool>`exists ${granted}`;
}

async function insertGrants(db: Kysely<any>, collectionSeq: number, documentSeq: number, grants: readonly Grant[]): Promise<void> {
  if (grants.length === 0) return;
  await db
    .insertInto(permissionTableName(collectionSeq))
    .values(grants.map((grant) => ({ _document: documentSeq, _type: grant.type, _role: grant.role })))
    .execute();
}
