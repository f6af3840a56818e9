import type { Kysely } from 'kysely';
import type { DialectCapabilities } from './dialects/capabilities.js';
import type { PlatformWriteWatch } from './platform/platform-writes.js';
import type { PlatformTables, ProjectTables } from './tables.js';

/**
 * The one door to persistence. The platform store holds projects, keys and jobs; each
 * project has a store of its own (a SQLite file, or a PostgreSQL schema) so that one
 * project's data can be moved or dropped without touching another's.
 */
export interface Database {
  readonly dialect: DialectCapabilities;
  readonly platform: Kysely<PlatformTables>;
  /** Which platform tables this process's own statements write, as they are sent. */
  readonly platformWrites: PlatformWriteWatch;
  /**
   * The store of an existing project; callers check that the project exists first. Its
   * first use in this process brings it to the current schema; on SQLite its file is
   * opened then, and closed again while idle once too many others are open.
   */
  project(projectId: string): Kysely<ProjectTables>;
  /** Applies pending migrations to the platform store; a project store's wait for its first use. */
  migrate(): Promise<void>;
  /** Creates a project's store and brings it to the current schema. */
  createProjectStore(projectId: string): Promise<void>;
  dropProjectStore(projectId: string): Promise<void>;
  close(): Promise<void>;
}
