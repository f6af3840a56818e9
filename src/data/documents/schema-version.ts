import { createQueryId, type CompiledQuery, type Kysely } from 'kysely';

/** The statement compiled once per store: it runs before every document request. */
const compiled = new WeakMap<Kysely<any>, CompiledQuery<{ version: number }>>();

/**
 * The project's schema version: a counter that every write to the Databases metadata
 * tables moves, in the same transaction (see migration 0007).
 */
export async function readSchemaVersion(db: Kysely<any>): Promise<number> {
  let query = compiled.get(db);
  if (!query) {
    query = db.selectFrom('schema_version').select('version').where('id', '=', 1).compile() as CompiledQuery<{ version: number }>;
    compiled.set(db, query);
  }
  const { rows } = await db.executeQuery<{ version: number }>({ ...query, queryId: createQueryId() });
  const row = rows[0];
  if (!row) throw new Error('the schema_version row is missing');
  return Number(row.version);
}

/** The version as a one-row select named `value`, for a statement that reads it beside others. */
export function schemaVersionSelect(db: Kysely<any>) {
  return db.selectFrom('schema_version').select('version as value').where('id', '=', 1);
}

/** A change made on cached metadata found the schema version moved: it rolled back, to be made again on the current one. */
export class SchemaVersionMoved extends Error {
  constructor() {
    super('the schema version moved under a change made on cached metadata');
  }
}
