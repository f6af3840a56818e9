/** A pooled pg client as far as naming its statements goes. */
interface NamingClient {
  query: (...args: any[]) => any;
  connection: { on(event: 'readyForQuery', listener: (message: { status: string }) => void): void };
}

/** Texts a process names at most: each named text is prepared once on every connection that runs it. */
const MAX_NAMED = 2_000;
/** Distinct texts counted before the count starts again (a text is named on its second use). */
const MAX_COUNTED = 10_000;
/** SQLSTATE feature_not_supported: "cached plan must not change result type" after a column was added. */
const PLAN_CHANGED = '0A000';

/**
 * Names the statements this process repeats, so PostgreSQL parses and plans each once per
 * connection instead of on every request. The hot document statements (`select *` from a
 * collection's table, the page with its total) repeat with new values only.
 *
 * Only statements sent outside a transaction are named: a collection's table gains columns when
 * an attribute is added, and PostgreSQL then refuses a prepared `select *` once; outside a
 * transaction the statement is sent again under a new name (nothing ran), inside one the
 * refusal would abort the transaction. Texts past `MAX_NAMED` are sent unnamed.
 */
export class StatementNames {
  private readonly names = new Map<string, string>();
  private readonly seen = new Map<string, number>();
  private next = 0;

  /** Makes `client.query(text, values)` use a name for repeated texts; other calls pass through. */
  attach(client: NamingClient): void {
    const query = client.query.bind(client);
    // 'I': idle, outside a transaction ('T' in one, 'E' in a failed one).
    let status = 'I';
    client.connection.on('readyForQuery', (message) => {
      status = message.status;
    });
    client.query = (...args: any[]) => {
      const [text, values, callback] = args;
      if (typeof text !== 'string' || !Array.isArray(values) || values.length === 0 || callback !== undefined || status !== 'I') return query(...args);
      const name = this.nameFor(text);
      if (name === undefined) return query(...args);
      return (query({ name, text, values }) as Promise<unknown>).catch((error: unknown) => {
        if ((error as { code?: unknown } | null)?.code !== PLAN_CHANGED || status !== 'I') throw error;
        this.rename(text);
        return query(text, values);
      });
    };
  }

  private nameFor(text: string): string | undefined {
    const name = this.names.get(text);
    if (name !== undefined) return name;
    const count = (this.seen.get(text) ?? 0) + 1;
    if (count < 2 || this.names.size >= MAX_NAMED) {
      if (this.seen.size >= MAX_COUNTED) this.seen.clear();
      this.seen.set(text, count);
      return undefined;
    }
    this.seen.delete(text);
    return this.rename(text);
  }

  /** A fresh name: connections holding the old one prepare the text again under it. */
  private rename(text: string): string {
    const name = `plinth_${++this.next}`;
    this.names.set(text, name);
    return name;
  }
}
