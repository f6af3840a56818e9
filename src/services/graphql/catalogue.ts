/**
 * The API as Appwrite's GraphQL schema names it: one entry per SDK method (the field
 * `databasesListDocuments` is namespace `databases` + method `listDocuments`), with its route,
 * its parameters and the model it answers with. The data is generated from Appwrite's spec
 * (catalogue-data.ts); which of these fields a server offers is decided by the routes it mounts.
 */

/** A parameter's type: a scalar, a key-value object (`assoc`), a file upload, or a list of one (`['string']`). */
export type ParamType = 'string' | 'int' | 'float' | 'bool' | 'json' | 'assoc' | 'file' | readonly [ParamType];

/** [name, where it goes (p path, q query, b body), type, 1 when required]. */
export type CatalogueArg = readonly [name: string, where: 'p' | 'q' | 'b', type: ParamType, required: 0 | 1];

/** [GraphQL field, HTTP method, route path under /v1 with `:name` parameters, arguments, response model or the models it may be]. */
export type CatalogueOperation = readonly [name: string, method: string, path: string, args: readonly CatalogueArg[], model: string | readonly string[]];

export type FieldType =
  | 'string'
  | 'int'
  | 'float'
  | 'bool'
  | 'json'
  | { readonly model: string }
  | { readonly union: readonly string[] }
  | { readonly list: FieldType };

export interface CatalogueModel {
  readonly fields: Readonly<Record<string, { readonly type: FieldType; readonly required?: boolean }>>;
  /** Models with free-form keys (documents, rows, preferences) carry them in a JSON `data` field. */
  readonly additional: boolean;
}
