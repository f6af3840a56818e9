import { sql, type Kysely } from 'kysely';
import type { StoredAttribute, StoredCollection } from './schema-store.js';
import { isDuplicate } from '../duplicates.js';
import { inTransaction } from '../transactions.js';
import { documentTableName } from './naming.js';

export type RelationType = 'oneToOne' | 'oneToMany' | 'manyToOne' | 'manyToMany';
export type RelationOnDelete = 'cascade' | 'restrict' | 'setNull';

/** The relationship columns of an attribute row (null on other attribute types). */
export interface RelationshipFields {
  related_collection_seq: number;
  related_collection: string;
  relation_type: RelationType;
  two_way: number;
  two_way_key: string;
  on_delete: RelationOnDelete;
  side: 'parent' | 'child';
  /** The parent side's sequence: it names the relationship's column or junction table. */
  relation_seq: number;
}

export type StoredRelationship = StoredAttribute & RelationshipFields;

export function isRelationship(attribute: StoredAttribute): attribute is StoredRelationship {
  return attribute.type === 'relationship';
}

/**
 * Where links live, seen from one side. `own`: this document's table holds the other's id;
 * `foreign`: the other table holds this document's id; `junction`: a table of id pairs.
 */
export type LinkStorage =
  | { kind: 'own'; table: string; column: string }
  | { kind: 'foreign'; table: string; column: string }
  | { kind: 'junction'; table: string; self: 'parent' | 'child'; other: 'parent' | 'child' };

/** The column holding a one-side id (named from the relationship's sequence, like every column). */
export function relationColumnName(relationSeq: number): string {
  return `rel_${relationSeq}`;
}

/** The table of (parent, child) id pairs of a manyToMany relationship. */
export function junctionTableName(relationSeq: number): string {
  return `rel_${relationSeq}`;
}

/** The physical home of a relationship: a column on one of the two tables, or a junction table. */
function relationHome(type: RelationType, relationSeq: number, parentSeq: number, childSeq: number): { table: string; column?: string } {
  switch (type) {
    case 'oneToOne':
    case 'manyToOne':
      return { table: documentTableName(parentSeq), column: relationColumnName(relationSeq) };
    case 'oneToMany':
      return { table: documentTableName(childSeq), column: relationColumnName(relationSeq) };
    case 'manyToMany':
      return { table: junctionTableName(relationSeq) };
  }
}

/** Inserts the relationship's attribute rows (the parent, and the twin of a two-way one) together. */
export async function insertRelationshipRows(
  db: Kysely<any>,
  parent: Omit<StoredRelationship, 'seq' | 'relation_seq'>,
  child: Omit<StoredRelationship, 'seq' | 'relation_seq'> | undefined,
): Promise<{ parent: StoredRelationship; child?: StoredRelationship } | 'exists'> {
  try {
    return await inTransaction(db, async (trx) => {
      const inserted = (await trx.insertInto('attributes').values({ ...parent, relation_seq: 0 }).returningAll().executeTakeFirstOrThrow()) as StoredRelationship;
      const stored = (await trx
        .updateTable('attributes')
        .set({ relation_seq: inserted.seq })
        .where('seq', '=', inserted.seq)
        .returningAll()
        .executeTakeFirstOrThrow()) as StoredRelationship;
      if (!child) return { parent: stored };
      const twin = (await trx.insertInto('attributes').values({ ...child, relation_seq: inserted.seq }).returningAll().executeTakeFirstOrThrow()) as StoredRelationship;
      return { parent: stored, child: twin };
    });
  } catch (error) {
    if (isDuplicate(error)) return 'exists';
    throw error;
  }
}

/** Both attribute rows of a relationship (one for a one-way relationship), parent first. */
export async function relationshipRows(db: Kysely<any>, relationSeq: number): Promise<StoredRelationship[]> {
  return (await db.selectFrom('attributes').selectAll().where('relation_seq', '=', relationSeq).orderBy('seq').execute()) as StoredRelationship[];
}

/** The parent rows of every relationship a collection takes part in, on either side. */
export async function relationshipsTouching(db: Kysely<any>, collectionSeq: number): Promise<StoredRelationship[]> {
  return (await db
    .selectFrom('attributes')
    .selectAll()
    .where('type', '=', 'relationship')
    .where('side', '=', 'parent')
    .where((eb) => eb.or([eb('collection_seq', '=', collectionSeq), eb('related_collection_seq', '=', collectionSeq)]))
    .orderBy('seq')
    .execute()) as StoredRelationship[];
}

/** Changes a relationship row; 'exists' when a new key clashes in its collection. */
export async function updateRelationshipRow(
  db: Kysely<any>,
  seq: number,
  changes: Partial<Pick<StoredRelationship, 'key' | 'two_way_key' | 'on_delete' | 'status' | 'error' | 'updated_at'>>,
): Promise<StoredRelationship | undefined | 'exists'> {
  try {
    return (await db.updateTable('attributes').set(changes).where('seq', '=', seq).returningAll().executeTakeFirst()) as StoredRelationship | undefined;
  } catch (error) {
    if (isDuplicate(error)) return 'exists';
    throw error;
  }
}

export async function deleteRelationshipRows(db: Kysely<any>, relationSeq: number): Promise<void> {
  await db.deleteFrom('attributes').where('relation_seq', '=', relationSeq).execute();
}

/** Creates the relationship's column (indexed; unique for oneToOne) or junction table. Safe to repeat. */
export async function createRelationStorage(db: Kysely<any>, type: RelationType, relationSeq: number, parentSeq: number, childSeq: number): Promise<void> {
  const home = relationHome(type, relationSeq, parentSeq, childSeq);
  if (!home.column) {
    await db.schema
      .createTable(home.table)
      .ifNotExists()
      .addColumn('parent', 'varchar(36)', (c) => c.notNull())
      .addColumn('child', 'varchar(36)', (c) => c.notNull())
      .addPrimaryKeyConstraint(`${home.table}_pk`, ['parent', 'child'])
      .execute();
    await db.schema.createIndex(`${home.table}_child`).ifNotExists().on(home.table).columns(['child', 'parent']).execute();
    return;
  }
  if (!(await columnExists(db, home.table, home.column))) {
    await db.schema.alterTable(home.table).addColumn(home.column, 'varchar(36)').execute();
  }
  let index = db.schema.createIndex(`${home.table}_${home.column}`).ifNotExists().on(home.table).column(home.column);
  if (type === 'oneToOne') index = index.unique();
  await index.execute();
}

/** Drops the relationship's column (with its index) or junction table. Safe to repeat. */
export async function dropRelationStorage(db: Kysely<any>, type: RelationType, relationSeq: number, parentSeq: number, childSeq: number): Promise<void> {
  const home = relationHome(type, relationSeq, parentSeq, childSeq);
  if (!home.column) {
    await db.schema.dropTable(home.table).ifExists().execute();
    return;
  }
  await db.schema.dropIndex(`${home.table}_${home.column}`).ifExists().execute();
  if (await columnExists(db, home.table, home.column)) await db.schema.alterTable(home.table).dropColumn(home.column).execute();
}

async function columnExists(db: Kysely<any>, table: string, column: string): Promise<boolean> {
  try {
    await db.selectFrom(table).select(column).where(sql<boolean>`1 = 0`).execute();
    return true;
  } catch {
    return false;
  }
}

/** For each of the documents (by id), the ids linked to it through a foreign column or junction table. */
export async function linkedIds(db: Kysely<any>, storage: LinkStorage, ids: readonly string[]): Promise<Map<string, string[]>> {
  const linked = new Map<string, string[]>();
  if (ids.length === 0 || storage.kind === 'own') return linked;
  const add = (self: string, other: string) => {
    const list = linked.get(self);
    if (list) list.push(other);
    else linked.set(self, [other]);
  };
  if (storage.kind === 'foreign') {
    const rows = await db.selectFrom(storage.table).select(['_uid', storage.column]).where(storage.column, 'in', [...ids]).orderBy('_seq').execute();
    for (const row of rows as Record<string, string>[]) add(row[storage.column]!, row._uid!);
  } else {
    const rows = await db.selectFrom(storage.table).select([storage.self, storage.other]).where(storage.self, 'in', [...ids]).execute();
    for (const row of rows as Record<string, string>[]) add(row[storage.self]!, row[storage.other]!);
  }
  return linked;
}

/** Makes `ids` the documents linked to `self` through a foreign column or junction table; others let go. */
export async function replaceLinks(trx: Kysely<any>, storage: LinkStorage, self: string, ids: readonly string[]): Promise<void> {
  await unlinkAll(trx, storage, self);
  if (ids.length === 0) return;
  if (storage.kind === 'foreign') {
    await trx.updateTable(storage.table).set({ [storage.column]: self }).where('_uid', 'in', [...ids]).execute();
  } else if (storage.kind === 'junction') {
    await trx
      .insertInto(storage.table)
      .values([...new Set(ids)].map((id) => ({ [storage.self]: self, [storage.other]: id })))
      .execute();
  }
}

/** Removes every link to `self` held outside its own row. */
export async function unlinkAll(trx: Kysely<any>, storage: LinkStorage, self: string): Promise<void> {
  if (storage.kind === 'foreign') {
    await trx.updateTable(storage.table).set({ [storage.column]: null }).where(storage.column, '=', self).execute();
  } else if (storage.kind === 'junction') {
    await trx.deleteFrom(storage.table).where(storage.self, '=', self).execute();
  }
}

/** A collection's metadata row by its sequence (relationships know their ends by sequence). */
export async function collectionBySeq(db: Kysely<any>, seq: number): Promise<StoredCollection | undefined> {
  return (await db.selectFrom('collections').selectAll().where('seq', '=', seq).executeTakeFirst()) as StoredCollection | undefined;
}
