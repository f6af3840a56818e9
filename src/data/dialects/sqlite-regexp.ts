import type BetterSqlite3 from 'better-sqlite3';

const MAX_CACHED = 200;
/** Compiled patterns (null: not a valid pattern), shared by every connection of the process. */
const compiled = new Map<string, RegExp | null>();

function patternOf(source: string): RegExp | null {
  let regex = compiled.get(source);
  if (regex === undefined) {
    try {
      // 'u' as the query parser checks it, so both agree on what is valid.
      regex = new RegExp(source, 'u');
    } catch {
      regex = null;
    }
    // A small bound: drop everything rather than track use, patterns repeat across pages.
    if (compiled.size >= MAX_CACHED) compiled.clear();
    compiled.set(source, regex);
  }
  return regex;
}

/**
 * Gives the connection the `regexp(pattern, value)` function behind `value REGEXP pattern`,
 * run as a JavaScript RegExp. NULL values, non-text values and invalid patterns never match.
 */
export function registerRegexp(connection: BetterSqlite3.Database): void {
  connection.function('regexp', { deterministic: true }, (pattern: unknown, value: unknown) => {
    if (typeof pattern !== 'string' || typeof value !== 'string') return 0;
    const regex = patternOf(pattern);
    return regex !== null && regex.test(value) ? 1 : 0;
  });
}
