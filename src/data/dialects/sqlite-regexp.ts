import type BetterSqlite3 from 'better-sqlite3';
import { compileRegex, type CompiledRegex } from '../../core/regex.js';

const MAX_CACHED = 200;
/** Compiled patterns (null: not a valid pattern), shared by every connection of the process. */
const compiled = new Map<string, CompiledRegex | null>();

function patternOf(source: string): CompiledRegex | null {
  let regex = compiled.get(source);
  if (regex === undefined) {
    // The engine the query parser checks with, so both agree on what is valid.
    regex = compileRegex(source) ?? null;
    // A small bound: drop everything rather than track use, patterns repeat across pages.
    if (compiled.size >= MAX_CACHED) compiled.clear();
    compiled.set(source, regex);
  }
  return regex;
}

/**
 * Gives the connection the `regexp(pattern, value)` function behind `value REGEXP pattern`.
 * SQLite calls it on the event loop's thread, row after row, so it runs on RE2: linear in
 * each value, never the backtracking that could hold every request. NULL values, non-text
 * values and invalid patterns never match.
 */
export function registerRegexp(connection: BetterSqlite3.Database): void {
  connection.function('regexp', { deterministic: true }, (pattern: unknown, value: unknown) => {
    if (typeof pattern !== 'string' || typeof value !== 'string') return 0;
    const regex = patternOf(pattern);
    return regex !== null && regex.test(value) ? 1 : 0;
  });
}
