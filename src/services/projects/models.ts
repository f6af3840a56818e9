import type { KeyRow, ProjectRow } from '../../data/tables.js';

export interface ProjectModel {
  $id: string;
  $createdAt: string;
  $updatedAt: string;
  name: string;
}

export interface KeyModel {
  $id: string;
  $createdAt: string;
  $updatedAt: string;
  name: string;
  expire: string;
  scopes: string[];
  /** Only filled in the answer to its creation: the store keeps a hash. */
  secret: string;
  accessedAt: string;
  sdks: string[];
}

export function toProjectModel(row: ProjectRow): ProjectModel {
  return { $id: row.id, $createdAt: row.created_at, $updatedAt: row.updated_at, name: row.name };
}

export function toKeyModel(row: KeyRow, secret = ''): KeyModel {
  return {
    $id: row.id,
    $createdAt: row.created_at,
    $updatedAt: row.updated_at,
    name: row.name,
    expire: row.expire ?? '',
    scopes: JSON.parse(row.scopes) as string[],
    secret,
    accessedAt: row.accessed_at ?? '',
    sdks: JSON.parse(row.sdks) as string[],
  };
}
