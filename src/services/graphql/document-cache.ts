import type { DocumentNode, GraphQLError } from 'graphql';
import { LruCache } from '../../core/lru-cache.js';

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
  private readonly entries: LruCache<string, CheckedDocument>;

  constructor(
    limit = 500,
    /** Texts longer than this are checked every time, so a few huge queries cannot fill memory. */
    private readonly maxQueryLength = 16 * 1024,
  ) {
    this.entries = new LruCache({ maxEntries: limit });
  }

  get(query: string): CheckedDocument | undefined {
    return this.entries.get(query);
  }

  set(query: string, checked: CheckedDocument): void {
    if (query.length <= this.maxQueryLength) this.entries.set(query, checked);
  }
}
