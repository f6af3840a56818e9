import { sql, type Kysely } from 'kysely';
import type { WriteCounter } from './write-counter.js';

/** Row triggers (SQLite has no statement triggers): each written row adds one, inside the writing statement. */
export async function sqliteCountWrites(db: Kysely<any>, tables: readonly string[], counter: WriteCounter): Promise<void> {
  const column = sql.ref(counter.column);
  for (const table of tables) {
    for (const event of ['insert', 'update', 'delete']) {
      await sql`create trigger ${sql.id(`${table}_${event}_counted`)} after ${sql.raw(event)} on ${sql.table(table)}
        begin update ${sql.table(counter.table)} set ${column} = ${column} + 1; end`.execute(db);
    }
  }
}
