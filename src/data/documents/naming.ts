/**
 * Names of the tables, columns and indexes that hold documents. They come from internal
 * sequence numbers only, never from ids or keys a user chose, so no user input reaches
 * an identifier and renaming a key never touches the table.
 */
export function documentTableName(collectionSeq: number): string {
  return `docs_${collectionSeq}`;
}

/** The companion table of (document, permission type, role) rows. */
export function permissionTableName(collectionSeq: number): string {
  return `docs_${collectionSeq}_perms`;
}

export function attributeColumnName(attributeSeq: number): string {
  return `col_${attributeSeq}`;
}

export function indexName(collectionSeq: number, indexSeq: number): string {
  return `docs_${collectionSeq}_idx_${indexSeq}`;
}

/** The fixed columns every document table has. */
export const SYSTEM_COLUMNS = {
  $sequence: '_seq',
  $id: '_uid',
  $createdAt: '_created_at',
  $updatedAt: '_updated_at',
} as const;
