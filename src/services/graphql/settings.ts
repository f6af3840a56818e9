/** Limits of the GraphQL endpoint; each comes from an environment variable (docs/configuration.md). */
export interface GraphqlSettings {
  /** Requests one HTTP request may batch. */
  maxBatch: number;
  /** How deep an operation may nest (the top field is level 0); 0: no limit. */
  maxDepth: number;
  /** What an operation may cost: a field one, a list its page size times its selection; 0: no limit. */
  maxComplexity: number;
  /** Whether clients may read the schema (`__schema`, `__type`). */
  introspection: boolean;
}

/** Appwrite's defaults. */
export const DEFAULT_GRAPHQL_SETTINGS: GraphqlSettings = { maxBatch: 10, maxDepth: 3, maxComplexity: 250, introspection: true };
