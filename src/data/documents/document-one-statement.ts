import { createQueryId, sql, type CompiledQuery, type Kysely, type SqlBool } from 'kysely';
import type { Grant } from '../../core/permissions.js';
import { outboxEntryOfCreated } from '../outbox/event-outbox.js';
import { documentTableName, permissionTableName } from './naming.js';
import { changedColumns, newDocumentColumns, type DocumentChange, type NewDocument } from './document-store.js';
import type { StoredDocument } from './stored-document.js';

// A document write, its permission rows and its outbox entries as one statement of
// data-modifying WITH clauses, each reading the written row's RETURNING: atomic without a
// transaction around it, so one round trip where every statement is one (PostgreSQL).

/** The written row as the statement's answer; the others only write. */
const WRITTEN = 'written';

/**
 * Inserts the document, its grants and the outbox entries of its events. With `schemaVersion`
 * the insert happens only while that is still the project's schema version: undefined when it
 * moved. The events were sealed before the row had its sequence, which each entry carries
 * beside its sealed event (see `outboxEntryOfCreated`).
 */
export async function insertDocumentInOneStatement(
  db: Kysely<any>,
  collectionSeq: number,
  doc: NewDocument,
  sealedEvents: readonly string[],
  schemaVersion?: number,
): Promise<StoredDocument | undefined> {
  const row = newDocumentColumns(doc);
  const columns = Object.keys(row);
  const statement = compiledCreate(db, collectionSeq, columns, schemaVersion !== undefined);
  // In the order of createStatement's values.
  const values = [...columns.map((column) => row[column]), schemaVersion, doc.grants.map((grant) => grant.type), doc.grants.map((grant) => grant.role), sealedEvents];
  const parameters = statement.sources.map((source, at) => (source === -1 ? statement.query.parameters[at] : values[source]));
  const { rows } = await db.executeQuery<StoredDocument>({ ...statement.query, parameters, queryId: createQueryId() });
  return rows[0];
}

/** A compiled statement and, per bound parameter, the value it takes (-1: keep as compiled). */
interface CompiledCreate {
  query: CompiledQuery<StoredDocument>;
  sources: readonly number[];
}

/**
 * The create's statement, compiled once per store, collection, column list and whether the
 * version is checked: its text depends on nothing else (grants and events are arrays bound
 * whole), and building it is most of what a create costs this process on PostgreSQL. Kept
 * per store because a store names its schema in the text.
 */
const compiledCreates = new WeakMap<Kysely<any>, Map<string, CompiledCreate>>();
const MAX_STATEMENTS_PER_STORE = 500;

function compiledCreate(db: Kysely<any>, collectionSeq: number, columns: readonly string[], checksVersion: boolean): CompiledCreate {
  let byLayout = compiledCreates.get(db);
  if (!byLayout) {
    byLayout = new Map();
    compiledCreates.set(db, byLayout);
  }
  const key = `${collectionSeq}:${checksVersion}:${columns.join(',')}`;
  let statement = byLayout.get(key);
  if (!statement) {
    if (byLayout.size >= MAX_STATEMENTS_PER_STORE) byLayout.clear();
    const slots = [...columns, 'version', 'types', 'roles', 'events'].map((name) => Symbol(name));
    const query = createStatement(db, collectionSeq, columns, checksVersion, slots).compile() as CompiledQuery<StoredDocument>;
    statement = { query, sources: query.parameters.map((value) => slots.indexOf(value as symbol)) };
    byLayout.set(key, statement);
  }
  return statement;
}

/**
 * The statement with stand-ins for its values: one per column, then the version, the grants'
 * types and roles, and the sealed events.
 */
function createStatement(db: Kysely<any>, collectionSeq: number, columns: readonly string[], checksVersion: boolean, slots: readonly symbol[]) {
  const [version, types, roles, events] = slots.slice(columns.length) as [symbol, symbol, symbol, symbol];
  return db
    .with(WRITTEN, (qb) => {
      // INSERT … SELECT rather than VALUES, so the version can stop it; PostgreSQL types each
      // parameter from its column.
      let values = qb.selectNoFrom(columns.map((column, at) => sql`${slots[at]}`.as(column)));
      if (checksVersion) values = values.where((eb) => eb(eb.selectFrom('schema_version').select('version').where('id', '=', 1), '=', version));
      return qb.insertInto(documentTableName(collectionSeq)).columns([...columns]).expression(values).returningAll();
    })
    .with('granted', (qb) =>
      qb
        .insertInto(permissionTableName(collectionSeq))
        .columns(['_document', '_type', '_role'])
        .expression(qb.selectFrom(WRITTEN).select([`${WRITTEN}._seq`, sql`unnest(${types}::text[])`.as('_type'), sql`unnest(${roles}::text[])`.as('_role')])),
    )
    .with('outbox', (qb) =>
      qb
        .insertInto('event_outbox')
        .columns(['event', 'claimed_until'])
        .expression(qb.selectFrom(WRITTEN).select([outboxEntryOfCreated(events, sql.ref(`${WRITTEN}._seq`)).as('event'), sql`null`.as('claimed_until')])),
    )
    .selectFrom(WRITTEN)
    .selectAll();
}

/**
 * Updates the document as `change` says, replaces its grants when the change has some, and
 * writes the outbox entries of its events, all only while every other column still holds what
 * `current` read: the events were built from `current` with the change applied. Undefined when
 * the row changed or went meanwhile (the caller then takes the locking path).
 */
export async function updateDocumentInOneStatement(
  db: Kysely<any>,
  collectionSeq: number,
  current: StoredDocument,
  change: DocumentChange,
  sealedEvents: readonly string[],
): Promise<StoredDocument | undefined> {
  const set = changedColumns(change);
  const kept = Object.keys(current).filter((column) => column !== '_seq' && !Object.hasOwn(set, column));
  let query = db.with(WRITTEN, (qb) =>
    qb
      .updateTable(documentTableName(collectionSeq))
      .set(set)
      .where('_seq', '=', current._seq)
      .where((eb) => eb.and(kept.map((column) => eb(column, 'is not distinct from', (current as Record<string, unknown>)[column]))))
      .returningAll(),
  );
  const grants = change.grants;
  if (grants) {
    const [types, roles] = [grants.map((grant) => grant.type), grants.map((grant) => grant.role)];
    query = query
      .with('revoked', (qb) =>
        qb
          .deleteFrom(permissionTableName(collectionSeq))
          .where('_document', '=', current._seq)
          .where(sql<SqlBool>`exists (select 1 from ${sql.id(WRITTEN)})`)
          .where(sql<SqlBool>`(_type, _role) not in (select unnest(${types}::text[]), unnest(${roles}::text[]))`),
      )
      // One statement sees one snapshot: the grants kept are there still, and skipped.
      .with('granted', (qb) =>
        qb
          .insertInto(permissionTableName(collectionSeq))
          .columns(['_document', '_type', '_role'])
          .expression(qb.selectFrom(WRITTEN).select([`${WRITTEN}._seq`, ...grantColumns(grants)]))
          .onConflict((conflict) => conflict.columns(['_document', '_type', '_role']).doNothing()),
      ) as typeof query;
  }
  const written = await query
    .with('outbox', (qb) =>
      qb
        .insertInto('event_outbox')
        .columns(['event', 'claimed_until'])
        .expression(qb.selectFrom(WRITTEN).select([sql`unnest(${[...sealedEvents]}::text[])`.as('event'), sql`null`.as('claimed_until')])),
    )
    .selectFrom(WRITTEN)
    .selectAll()
    .executeTakeFirst();
  return written as StoredDocument | undefined;
}

/** The grants as two arrays unnested side by side: one row each, however many. */
function grantColumns(grants: readonly Grant[]) {
  return [
    sql`unnest(${grants.map((grant) => grant.type)}::text[])`.as('_type'),
    sql`unnest(${grants.map((grant) => grant.role)}::text[])`.as('_role'),
  ];
}
