import { AppError } from '../../core/errors.js';

/** One GraphQL request of a (possibly batched) HTTP request. */
export interface GraphqlRequest {
  query: string;
  operationName?: string;
  variables?: Record<string, unknown>;
}

/** A file of a multipart GraphQL request, held until the route it goes to is called. */
export class UploadedFile {
  constructor(
    readonly filename: string,
    readonly mimetype: string,
    readonly data: Buffer,
  ) {}
}

/**
 * The requests an HTTP request carries, as Appwrite reads them: one object, or a list of up to
 * `maxBatch`; each needs a non-empty `query`.
 */
export function batchOf(payload: unknown, maxBatch: number): GraphqlRequest[] {
  const items = Array.isArray(payload) ? payload : isEmpty(payload) ? [] : [typeof payload === 'string' ? { query: payload } : payload];
  if (items.length === 0) throw new AppError('graphql_no_query');
  if (items.length > maxBatch) throw new AppError('graphql_too_many_queries');
  return items.map(requestOf);
}

function isEmpty(payload: unknown): boolean {
  if (payload === undefined || payload === null || payload === '') return true;
  return typeof payload === 'object' && Object.keys(payload).length === 0;
}

function requestOf(item: unknown): GraphqlRequest {
  const fields = typeof item === 'object' && item !== null ? (item as Record<string, unknown>) : {};
  if (typeof fields.query !== 'string' || fields.query === '') throw new AppError('graphql_no_query');
  const request: GraphqlRequest = { query: fields.query };
  if (typeof fields.operationName === 'string' && fields.operationName !== '') request.operationName = fields.operationName;
  const variables = typeof fields.variables === 'string' ? parseJsonObject(fields.variables, 'variables') : fields.variables;
  if (typeof variables === 'object' && variables !== null && !Array.isArray(variables)) request.variables = variables as Record<string, unknown>;
  return request;
}

export function parseJsonObject(text: string, name: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('general_argument_invalid', `Param "${name}" is not valid JSON.`);
  }
}

/**
 * Puts each file of a multipart request where its `map` says (`{"0": ["variables.file"]}`), into
 * the `operations` payload (GraphQL multipart request spec).
 */
export function placeFiles(operations: unknown, map: unknown, files: ReadonlyMap<string, UploadedFile>): unknown {
  // A list is read as an object keyed by index (`[["variables.file"]]` maps file `0`), as Appwrite reads it.
  if (typeof map !== 'object' || map === null) throw new AppError('general_argument_invalid', 'Param "map" must be a JSON object.');
  for (const [key, paths] of Object.entries(map)) {
    const file = files.get(key);
    if (!file || !Array.isArray(paths)) continue;
    for (const path of paths) {
      if (typeof path !== 'string') continue;
      setAt(operations, path.split('.'), file);
    }
  }
  return operations;
}

function setAt(target: unknown, keys: string[], value: unknown): void {
  let node = target as Record<string, unknown>;
  for (const [index, key] of keys.entries()) {
    // Never walk into the prototype chain from a client's path.
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') return;
    if (typeof node !== 'object' || node === null) return;
    if (index === keys.length - 1) {
      node[key] = value;
      return;
    }
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
}
