import type { ScheduleRow } from '../../data/tables.js';

/** Appwrite's `schedule` model. */
export interface ScheduleModel {
  $id: string;
  $createdAt: string;
  $updatedAt: string;
  resourceType: ScheduleRow['resource_type'];
  resourceId: string;
  resourceUpdatedAt: string;
  projectId: string;
  schedule: string;
  data: Record<string, unknown>;
  active: boolean;
  region: string;
}

export function toScheduleModel(row: ScheduleRow): ScheduleModel {
  return {
    $id: row.id,
    $createdAt: row.created_at,
    $updatedAt: row.updated_at,
    resourceType: row.resource_type,
    resourceId: row.resource_id,
    resourceUpdatedAt: row.resource_updated_at,
    projectId: row.project_id,
    schedule: row.schedule,
    data: JSON.parse(row.data) as Record<string, unknown>,
    active: row.active === 1,
    // One region, named as projects name it.
    region: 'default',
  };
}
