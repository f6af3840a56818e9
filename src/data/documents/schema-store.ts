import type { Kysely, Selectable, Updateable } from 'kysely';
import type { ParsedList } from '../../core/queries.js';
import { listRows, type ListTable } from '../list-query.js';
import type { AttributeRow, CollectionRow, DatabaseRow, DatabaseTables, IndexRow } from '../tables.js';
import { uniqueOrExists } from '../duplicates.js';
import { inTransaction } from '../transactions.js';

/** The metadata of databases, collections, attributes and indexes, as named operations. */
export type SchemaStore = Kysely<DatabaseTables>;
export type StoredDatabase = Selectable<DatabaseRow>;
export type StoredCollection = Selectable<CollectionRow>;
export type StoredAttribute = Selectable<AttributeRow>;
export type StoredIndex = Selectable<IndexRow>;

export function schemaStore(db: Kysely<any>): SchemaStore {
  return db as SchemaStore;
}

/** Inserts a database; 'exists' when the id is taken. */
export async function insertDatabase(db: SchemaStore, row: Omit<StoredDatabase, 'seq'>): Promise<StoredDatabase | 'exists'> {
  return uniqueOrExists(() => db.insertInto('databases').values(row).returningAll().executeTakeFirstOrThrow());
}

export async function findDatabase(db: SchemaStore, id: string): Promise<StoredDatabase | undefined> {
  return db.selectFrom('databases').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateDatabase(db: SchemaStore, seq: number, changes: Updateable<DatabaseRow>): Promise<StoredDatabase | undefined> {
  return db.updateTable('databases').set(changes).where('seq', '=', seq).returningAll().executeTakeFirst();
}

export async function deleteDatabaseRow(db: SchemaStore, seq: number): Promise<void> {
  await db.deleteFrom('databases').where('seq', '=', seq).execute();
}

export async function insertCollection(db: SchemaStore, row: Omit<StoredCollection, 'seq'>): Promise<StoredCollection | 'exists'> {
  return uniqueOrExists(() => db.insertInto('collections').values(row).returningAll().executeTakeFirstOrThrow());
}

export async function findCollection(db: SchemaStore, databaseSeq: number, id: string): Promise<StoredCollection | undefined> {
  return db.selectFrom('collections').selectAll().where('database_seq', '=', databaseSeq).where('id', '=', id).executeTakeFirst();
}

export async function listCollectionsOf(db: SchemaStore, databaseSeq: number): Promise<StoredCollection[]> {
  return db.selectFrom('collections').selectAll().where('database_seq', '=', databaseSeq).orderBy('seq').execute();
}

export async function updateCollection(
  db: SchemaStore,
  seq: number,
  changes: Updateable<CollectionRow>,
): Promise<StoredCollection | undefined> {
  return db.updateTable('collections').set(changes).where('seq', '=', seq).returningAll().executeTakeFirst();
}

/** Removes a collection's metadata with its attributes and indexes. */
export async function deleteCollectionRows(db: SchemaStore, seq: number): Promise<void> {
  await inTransaction(db, async (trx) => {
    await trx.deleteFrom('indexes').where('collection_seq', '=', seq).execute();
    await trx.deleteFrom('attributes').where('collection_seq', '=', seq).execute();
    await trx.deleteFrom('collections').where('seq', '=', seq).execute();
  });
}

export async function insertAttribute(db: SchemaStore, row: Omit<StoredAttribute, 'seq'>): Promise<StoredAttribute | 'exists'> {
  return uniqueOrExists(() => db.insertInto('attributes').values(row).returningAll().executeTakeFirstOrThrow());
}

/** A collection's attributes in creation order. */
export async function listAttributesOf(db: SchemaStore, collectionSeq: number): Promise<StoredAttribute[]> {
  return db.selectFrom('attributes').selectAll().where('collection_seq', '=', collectionSeq).orderBy('seq').execute();
}

export async function findAttributeBySeq(db: SchemaStore, seq: number): Promise<StoredAttribute | undefined> {
  return db.selectFrom('attributes').selectAll().where('seq', '=', seq).executeTakeFirst();
}

export async function updateAttribute(
  db: SchemaStore,
  seq: number,
  changes: Updateable<AttributeRow>,
): Promise<StoredAttribute | undefined | 'exists'> {
  return uniqueOrExists(() => db.updateTable('attributes').set(changes).where('seq', '=', seq).returningAll().executeTakeFirst());
}

export async function deleteAttributeRow(db: SchemaStore, seq: number): Promise<void> {
  await db.deleteFrom('attributes').where('seq', '=', seq).execute();
}

export async function insertIndex(db: SchemaStore, row: Omit<StoredIndex, 'seq'>): Promise<StoredIndex | 'exists'> {
  return uniqueOrExists(() => db.insertInto('indexes').values(row).returningAll().executeTakeFirstOrThrow());
}

export async function listIndexesOf(db: SchemaStore, collectionSeq: number): Promise<StoredIndex[]> {
  return db.selectFrom('indexes').selectAll().where('collection_seq', '=', collectionSeq).orderBy('seq').execute();
}

export async function findIndexBySeq(db: SchemaStore, seq: number): Promise<StoredIndex | undefined> {
  return db.selectFrom('indexes').selectAll().where('seq', '=', seq).executeTakeFirst();
}

export async function updateIndex(db: SchemaStore, seq: number, changes: Updateable<IndexRow>): Promise<void> {
  await db.updateTable('indexes').set(changes).where('seq', '=', seq).execute();
}

export async function deleteIndexRow(db: SchemaStore, seq: number): Promise<void> {
  await db.deleteFrom('indexes').where('seq', '=', seq).execute();
}

const DATABASES_LIST: ListTable = {
  table: 'databases',
  columns: { $id: 'id', $createdAt: 'created_at', $updatedAt: 'updated_at', name: 'name' },
  idColumn: 'id',
};

const COLLECTIONS_LIST: ListTable = {
  table: 'collections',
  columns: { $id: 'id', $createdAt: 'created_at', $updatedAt: 'updated_at', name: 'name', enabled: 'enabled', documentSecurity: 'document_security', rowSecurity: 'document_security' },
  booleanColumns: ['enabled', 'document_security'],
  idColumn: 'id',
};

const ATTRIBUTES_LIST: ListTable = {
  table: 'attributes',
  columns: { key: 'key', type: 'type', status: 'status', size: 'size', required: 'required', array: 'array' },
  booleanColumns: ['required', 'array'],
  numberColumns: ['size'],
  idColumn: 'key',
  defaultOrderColumn: 'seq',
};

const INDEXES_LIST: ListTable = {
  table: 'indexes',
  columns: { $id: 'key', key: 'key', type: 'type', status: 'status' },
  idColumn: 'key',
  defaultOrderColumn: 'seq',
};

export async function listDatabaseRows(db: SchemaStore, list: ParsedList, total: boolean): Promise<{ total: number; rows: StoredDatabase[] }> {
  return listRows<StoredDatabase>(db, DATABASES_LIST, list, { total });
}

export async function listCollectionRows(
  db: SchemaStore,
  databaseSeq: number,
  list: ParsedList,
  total: boolean,
): Promise<{ total: number; rows: StoredCollection[] }> {
  return listRows<StoredCollection>(db, COLLECTIONS_LIST, list, { total, where: { database_seq: databaseSeq } });
}

export async function listAttributeRows(
  db: SchemaStore,
  collectionSeq: number,
  list: ParsedList,
  total: boolean,
): Promise<{ total: number; rows: StoredAttribute[] }> {
  return listRows<StoredAttribute>(db, ATTRIBUTES_LIST, list, { total, where: { collection_seq: collectionSeq } });
}

export async function listIndexRows(
  db: SchemaStore,
  collectionSeq: number,
  list: ParsedList,
  total: boolean,
): Promise<{ total: number; rows: StoredIndex[] }> {
  return listRows<StoredIndex>(db, INDEXES_LIST, list, { total, where: { collection_seq: collectionSeq } });
}

/** The query attributes each schema list accepts, for the parser. */
export const SCHEMA_QUERY_ATTRIBUTES = {
  databases: ['name'],
  collections: ['name', 'enabled', 'documentSecurity', 'rowSecurity'],
  attributes: ['key', 'type', 'status', 'size', 'required', 'array'],
  indexes: ['key', 'type', 'status'],
} as const;
