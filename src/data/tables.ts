import type { Generated, Insertable, Selectable } from 'kysely';

/** Tables of the platform store: what exists across projects. Datetimes are ISO text. */
export interface PlatformTables {
  projects: ProjectTable;
  keys: KeyRow;
  platforms: PlatformRow;
  jobs: JobRow;
  project_settings: ProjectSettingRow;
  variables: VariableRow;
  mock_phones: MockPhoneRow;
}

export interface ProjectTable {
  id: string;
  name: string;
  /** JSON array of label strings. */
  labels: Generated<string>;
  created_at: string;
  updated_at: string;
}
export type ProjectRow = Selectable<ProjectTable>;
export type NewProjectRow = Insertable<ProjectTable>;

export interface KeyRow {
  id: string;
  project_id: string;
  name: string;
  /** JSON array of scope names. */
  scopes: string;
  expire: string | null;
  /** SHA-256 of the whole secret: secrets are random and long, so a fast hash is enough. */
  secret_hash: string;
  accessed_at: string | null;
  /** JSON array of SDK names seen using the key. */
  sdks: string;
  created_at: string;
  updated_at: string;
}

export interface PlatformRow {
  id: string;
  project_id: string;
  type: string;
  name: string;
  /** Bundle id, package name or app id, depending on the type. */
  identifier: string | null;
  hostname: string | null;
  created_at: string;
  updated_at: string;
}

export interface JobRow {
  id: Generated<number>;
  project_id: string | null;
  queue: string;
  /** JSON payload. */
  payload: string;
  status: 'pending' | 'failed';
  attempts: number;
  max_attempts: number;
  /** Epoch milliseconds. */
  run_at: number;
  locked_until: number | null;
  last_error: string | null;
  created_at: string;
}

export interface ProjectSettingRow {
  project_id: string;
  /** e.g. `service:account`, `protocol:rest`, `auth:anonymous`, `policy:session-limit`. */
  name: string;
  /** JSON. */
  value: string;
  updated_at: string;
}

export interface VariableRow {
  id: string;
  project_id: string;
  key: string;
  /** Encrypted with the server secret (see core/crypto). */
  value: string;
  /** 1 when the value may never be read back through the API. */
  secret: number;
  created_at: string;
  updated_at: string;
}

export interface MockPhoneRow {
  project_id: string;
  number: string;
  otp: string;
  created_at: string;
  updated_at: string;
}

/** Tables of one project's store. Services add theirs through project migrations. */
export interface ProjectTables {
  plinth_migrations: MigrationRow;
}

export interface MigrationRow {
  name: string;
  applied_at: string;
}
