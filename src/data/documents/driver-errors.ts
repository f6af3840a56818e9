/**
 * Whether a driver error is a unique-constraint clash: better-sqlite3 reports
 * SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY, node-postgres SQLSTATE 23505.
 */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}
