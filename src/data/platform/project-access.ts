import type { CompiledQuery, Kysely } from 'kysely';
import type { KeyRow, PlatformTables } from '../tables.js';

/** What the request pipeline needs of a project on every request. */
export interface ProjectAccess {
  /** Names of the `service:<id>`, `protocol:<id>` and `auth:<id>` settings stored as `false`. */
  disabledSwitches: string[];
  /** The project's key with the secret hash asked for, when one was asked for and exists. */
  key?: KeyAccess;
}

/** What checking a presented key needs of its row. */
export type KeyAccess = Pick<KeyRow, 'id' | 'scopes' | 'expire' | 'accessed_at'>;

interface AccessRow {
  id: string;
  setting_name: string | null;
}

interface AccessWithKeyRow extends AccessRow {
  key_id: string | null;
  key_scopes: string | null;
  key_expire: string | null;
  key_accessed_at: string | null;
}

/** Stands in for the project id in the statement compiled once per store. */
const PROJECT_ID = Symbol('projectId');
/** Stands in for the presented key's secret hash. */
const SECRET_HASH = Symbol('secretHash');
const compiled = new WeakMap<Kysely<PlatformTables>, CompiledQuery<AccessRow>>();
const compiledWithKey = new WeakMap<Kysely<PlatformTables>, CompiledQuery<AccessWithKeyRow>>();

/**
 * The statement runs on every request with a project, so it is kept lean: compiled once per
 * store (building and compiling took a third of the lookup) and selecting two columns (SQLite
 * prepares each statement anew, and every column selected adds to that).
 */
function accessQuery(db: Kysely<PlatformTables>): CompiledQuery<AccessRow> {
  let query = compiled.get(db);
  if (query === undefined) {
    query = db
      .selectFrom('projects as p')
      // Only settings stored as false match, so a project with everything on is a single row.
      .leftJoin('project_settings as s', (join) => join.onRef('s.project_id', '=', 'p.id').on('s.value', '=', 'false'))
      .select(['p.id', 's.name as setting_name'])
      .where('p.id', '=', PROJECT_ID as unknown as string)
      .compile();
    compiled.set(db, query);
  }
  return query;
}

/**
 * The access statement with the project's key of one secret hash joined in: a request presenting
 * a key learns about the project and the key in one statement (one round trip on PostgreSQL).
 * Keys are read on every request, never cached, so a deleted or expired key stops at once.
 */
function accessWithKeyQuery(db: Kysely<PlatformTables>): CompiledQuery<AccessWithKeyRow> {
  let query = compiledWithKey.get(db);
  if (query === undefined) {
    query = db
      .selectFrom('projects as p')
      .leftJoin('project_settings as s', (join) => join.onRef('s.project_id', '=', 'p.id').on('s.value', '=', 'false'))
      .leftJoin('keys as k', (join) => join.onRef('k.project_id', '=', 'p.id').on('k.secret_hash', '=', SECRET_HASH as unknown as string))
      .select(['p.id', 's.name as setting_name', 'k.id as key_id', 'k.scopes as key_scopes', 'k.expire as key_expire', 'k.accessed_at as key_accessed_at'])
      .where('p.id', '=', PROJECT_ID as unknown as string)
      .compile();
    compiledWithKey.set(db, query);
  }
  return query;
}

/**
 * Whether the project exists, and its disabled service, protocol and auth-method switches, in one
 * statement; with a secret hash, the project's key of that hash too. Undefined when the project
 * does not exist.
 */
export async function findProjectAccess(db: Kysely<PlatformTables>, projectId: string, secretHash?: string): Promise<ProjectAccess | undefined> {
  if (secretHash !== undefined) return findAccessWithKey(db, projectId, secretHash);
  const query = accessQuery(db);
  const parameters = query.parameters.map((value) => (value === PROJECT_ID ? projectId : value));
  const { rows } = await db.executeQuery<AccessRow>({ ...query, parameters });
  if (rows.length === 0) return undefined;
  return { disabledSwitches: switchesOf(rows) };
}

async function findAccessWithKey(db: Kysely<PlatformTables>, projectId: string, secretHash: string): Promise<ProjectAccess | undefined> {
  const query = accessWithKeyQuery(db);
  const parameters = query.parameters.map((value) => (value === PROJECT_ID ? projectId : value === SECRET_HASH ? secretHash : value));
  const { rows } = await db.executeQuery<AccessWithKeyRow>({ ...query, parameters });
  const first = rows[0];
  if (first === undefined) return undefined;
  const access: ProjectAccess = { disabledSwitches: switchesOf(rows) };
  // The hash is unique, so every row carries the same key (or none).
  if (first.key_id !== null && first.key_scopes !== null) {
    access.key = { id: first.key_id, scopes: first.key_scopes, expire: first.key_expire, accessed_at: first.key_accessed_at };
  }
  return access;
}

function switchesOf(rows: readonly AccessRow[]): string[] {
  const disabledSwitches: string[] = [];
  for (const row of rows) {
    const name = row.setting_name;
    // Other settings stored as false (policies) are not the pipeline's business.
    if (name !== null && /^(service|protocol|auth):/.test(name)) disabledSwitches.push(name);
  }
  return disabledSwitches;
}
