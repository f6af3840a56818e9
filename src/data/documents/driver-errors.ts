import { REGEX_TIMED_OUT } from '../dialects/sqlite-regexp.js';

/** Whether the database refused a regular expression: PostgreSQL's SQLSTATE 2201B (syntax, or too complex). */
export function isInvalidRegex(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '2201B';
}

/**
 * Whether a statement was stopped for running too long: SQLite's regex matches past their
 * budget, or PostgreSQL's statement_timeout (SQLSTATE 57014), when the database role has one.
 */
export function isQueryTimeout(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === REGEX_TIMED_OUT || code === '57014';
}
