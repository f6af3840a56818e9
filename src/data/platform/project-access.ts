import type { CompiledQuery, Kysely } from 'kysely';
import type { PlatformTables } from '../tables.js';

/** What the request pipeline needs of a project on every request. */
export interface ProjectAccess {
  /** Names of the `service:<id>`, `protocol:<id>` and `auth:<id>` settings stored as `false`. */
  disabledSwitches: string[];
}

interface AccessRow {
  id: string;
  setting_name: string | null;
}

/** Stands in for the project id in the statement compiled once per store. */
const PROJECT_ID = Symbol('projectId');
const compiled = new WeakMap<Kysely<PlatformTables>, CompiledQuery<AccessRow>>();

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
 * Whether the project exists, and its disabled service, protocol and auth-method switches, in one
 * statement. Undefined when the project does not exist.
 */
export async function findProjectAccess(db: Kysely<PlatformTables>, projectId: string): Promise<ProjectAccess | undefined> {
  const query = accessQuery(db);
  const parameters = query.parameters.map((value) => (value === PROJECT_ID ? projectId : value));
  const { rows } = await db.executeQuery<AccessRow>({ ...query, parameters });
  if (rows.length === 0) return undefined;
  const disabledSwitches: string[] = [];
  for (const row of rows) {
    const name = row.setting_name;
    // Other settings stored as false (policies) are not the pipeline's business.
    if (name !== null && /^(service|protocol|auth):/.test(name)) disabledSwitches.push(name);
  }
  return { disabledSwitches };
}
