import type { DocumentNode, GraphQLError } from 'graphql';

/** A query parsed and checked by the rules that need no variables. */
export interface CheckedDocument {
  document: DocumentNode | undefined;
  /** Syntax errors, or what the standard rules found. */
  errors: readonly GraphQLError[];
  /** What the depth limit found, reported after the cost as Appwrite orders them. */
  depthErrors: readonly GraphQLError[];
  /** What the cost limit found, kept once known for a query that takes no variables. */
  costErrors?: readonly GraphQLError[];
}

/** The most recently used checked queries, at most `limit`, keyed by their text. */
export class DocumentCache {
  private readonly entries = new Map<string, CheckedDocument>();

  constructor(
    private readonly limit = 500,
    /** Texts longer than this are checked every time, so a few huge queries cannot fill memory. */
    private readonly maxQueryLength = 16 * 1024,
  ) {}

  get(query: string): CheckedDocument | undefined {
    const found = this.entries.get(query);
    if (found) {
      // Refresh its place: Map keeps insertion order, the oldest goes first.
      this.entries.delete(query);
      this.entries.set(query, found);
    }
    return found;
  }

  set(query: string, checked: CheckedDocument): void {
    if (query.length > this.maxQueryLength) return;
    this.entries.set(query, checked);
    if (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value as string);
  }
}
