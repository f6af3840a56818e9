import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { searchWords, type FulltextIndex, type FulltextSupport } from './fulltext.js';

/**
 * An FTS5 table with the document table as external content (rowid = `_seq`), kept in
 * step by triggers; a match is `_seq IN (rowids the FTS table matches)`.
 */
export const sqliteFulltext: FulltextSupport = {
  async create(db, index) {
    const fts = sql.table(index.name);
    const table = sql.table(index.table);
    const columns = sql.join(index.columns.map((c) => sql.id(c)));
    const fromNew = sql.join(index.columns.map((c) => sql`new.${sql.id(c)}`));
    const fromOld = sql.join(index.columns.map((c) => sql`old.${sql.id(c)}`));
    const watched = sql.join(index.columns.map((c) => sql.id(c)));
    await db.transaction().execute(async (trx) => {
      await sql`create virtual table ${fts} using fts5(${columns}, content=${sql.lit(index.table)}, content_rowid='_seq')`.execute(trx);
      await sql`create trigger ${sql.id(`${index.name}_ai`)} after insert on ${table} begin
        insert into ${fts}(rowid, ${columns}) values (new._seq, ${fromNew}); end`.execute(trx);
      await sql`create trigger ${sql.id(`${index.name}_ad`)} after delete on ${table} begin
        insert into ${fts}(${fts}, rowid, ${columns}) values ('delete', old._seq, ${fromOld}); end`.execute(trx);
      await sql`create trigger ${sql.id(`${index.name}_au`)} after update of ${watched} on ${table} begin
        insert into ${fts}(${fts}, rowid, ${columns}) values ('delete', old._seq, ${fromOld});
        insert into ${fts}(rowid, ${columns}) values (new._seq, ${fromNew}); end`.execute(trx);
      await sql`insert into ${fts}(${fts}) values ('rebuild')`.execute(trx);
    });
  },
  async drop(db, index) {
    await db.transaction().execute(async (trx) => {
      for (const suffix of ['_ai', '_ad', '_au']) await sql`drop trigger if exists ${sql.id(index.name + suffix)}`.execute(trx);
      await sql`drop table if exists ${sql.table(index.name)}`.execute(trx);
    });
  },
  match(index: FulltextIndex, term: string): RawBuilder<SqlBool> {
    const words = searchWords(term);
    if (words.length === 0) return sql<SqlBool>`1 = 0`;
    // Each word quoted, so FTS5 reads none of them as an operator; juxtaposed words must all occur.
    const query = words.map((word) => `"${word}"`).join(' ');
    return sql<SqlBool>`${sql.ref(`${index.table}._seq`)} in (select rowid from ${sql.table(index.name)} where ${sql.table(index.name)} match ${query})`;
  },
};
