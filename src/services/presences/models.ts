import type { PresenceRow } from '../../data/project/presences.js';

export type PresenceModel = Record<string, unknown>;

/** The presence as the API returns it: the app's metadata fields beside the model's own. */
export function toPresenceModel(row: PresenceRow): PresenceModel {
  const metadata = JSON.parse(row.metadata) as Record<string, unknown>;
  return {
    ...metadata,
    $id: row.id,
    $sequence: String(row.seq),
    $createdAt: row.created_at,
    $updatedAt: row.updated_at,
    $permissions: JSON.parse(row.permissions) as string[],
    userInternalId: row.user_id,
    userId: row.user_id,
    status: row.status,
    source: row.source,
    expiresAt: row.expires_at,
  };
}
