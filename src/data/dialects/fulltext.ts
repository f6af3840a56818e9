import type { Kysely, RawBuilder, SqlBool } from 'kysely';

/** One full-text index over some text columns of a table keyed by an integer `_seq`. */
export interface FulltextIndex {
  /** The document table. */
  table: string;
  /** A name of our own for the index (and, where the engine needs one, its side table). */
  name: string;
  columns: readonly string[];
}

/** How an engine indexes and matches words: FTS5 on SQLite, tsvector + GIN on PostgreSQL. */
export interface FulltextSupport {
  /** Builds the index over the rows already there, and keeps it current from then on. */
  create(db: Kysely<any>, index: FulltextIndex): Promise<void>;
  drop(db: Kysely<any>, index: FulltextIndex): Promise<void>;
  /** Rows whose indexed columns hold every word of the term, whatever its case. */
  match(index: FulltextIndex, term: string): RawBuilder<SqlBool>;
}

/** The words of a search term, lower-cased, without the characters the engines' syntax treats specially. */
export function searchWords(term: string): string[] {
  return term
    .toLowerCase()
    .split(/[\s"'()*:^&|!<>\\-]+/)
    .filter((word) => word !== '');
}
