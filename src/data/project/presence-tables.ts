import type { Generated } from 'kysely';

/** Tables of a project's store that hold who is online (project migration 0012). */
export interface PresenceTables {
  presences: PresenceTable;
  /** One row per role a presence grants an action to. */
  presence_permissions: { presence_seq: number; type: string; role: string };
}

/** A presence as the presences table holds it. */
export interface PresenceRow {
  seq: number;
  id: string;
  user_id: string;
  status: string | null;
  source: string;
  expires_at: string | null;
  metadata: string;
  permissions: string;
  created_at: string;
  updated_at: string;
}

/** The presences table: its sequence is numbered by the database. */
export interface PresenceTable extends Omit<PresenceRow, 'seq'> {
  seq: Generated<number>;
}
