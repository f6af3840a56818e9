import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { searchWords, type FulltextIndex, type FulltextSupport } from './fulltext.js';

/**
 * A GIN index on the `simple` tsvector of the columns; the match repeats the indexed
 * expression exactly so that the planner uses the index.
 */
export const postgresFulltext: FulltextSupport = {
  async create(db, index) {
    await db.schema.createIndex(index.name).ifNotExists().on(index.table).using('gin').expression(vector(index)).execute();
  },
  async drop(db, index) {
    await db.schema.dropIndex(index.name).ifExists().execute();
  },
  match(index: FulltextIndex, term: string): RawBuilder<SqlBool> {
    const words = searchWords(term);
    if (words.length === 0) return sql<SqlBool>`1 = 0`;
    return sql<SqlBool>`${vector(index)} @@ plainto_tsquery('simple', ${words.join(' ')})`;
  },
};

function vector(index: FulltextIndex): RawBuilder<unknown> {
  const text = sql.join(
    index.columns.map((c) => sql`coalesce(${sql.ref(c)}, '')`),
    sql` || ' ' || `,
  );
  return sql`to_tsvector('simple', ${text})`;
}
