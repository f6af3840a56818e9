import type BetterSqlite3 from 'better-sqlite3';
import { compileRegex, type CompiledRegex } from '../../core/regex.js';

const MAX_CACHED = 200;
/** Compiled patterns (null: not a valid pattern), shared by every connection of the process. */
const compiled = new Map<string, CompiledRegex | null>();

/** The code of the error that stops a statement whose regex matches ran past their budget. */
export const REGEX_TIMED_OUT = 'PLINTH_REGEX_TIMED_OUT';

/** The budget unless configured: far above what a filter over a typical table needs. */
export const DEFAULT_REGEX_TIMEOUT_MS = 1000;

export interface RegexpOptions {
  /** How long the regex matches of one statement may hold the event loop together, in milliseconds. */
  timeoutMs: number;
  /** The clock, in milliseconds; performance.now unless a test gives its own. */
  now?: () => number;
}

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
 * Charges each match to the statement it runs in, and stops the statement once its matches
 * have run past the budget. A statement runs synchronously from its first match to its end,
 * so the first microtask after that first match marks the end of the statement (or of the
 * statements run back to back without yielding: together they hold the event loop too).
 */
function statementBudget({ timeoutMs, now = () => performance.now() }: RegexpOptions): () => void {
  let startedAt: number | undefined;
  return () => {
    if (startedAt === undefined) {
      startedAt = now();
      queueMicrotask(() => {
        startedAt = undefined;
      });
    } else if (now() - startedAt > timeoutMs) {
      throw Object.assign(new Error(`regex matches ran past ${timeoutMs} ms`), { code: REGEX_TIMED_OUT });
    }
  };
}

/**
 * Gives the connection the `regexp(pattern, value)` function behind `value REGEXP pattern`.
 * SQLite calls it on the event loop's thread, row after row, so it runs on RE2 (linear in
 * each value, never the backtracking that could hold every request), and a statement whose
 * matches run past the budget is stopped: a large table cannot hold the process either.
 * NULL values, non-text values and invalid patterns never match.
 */
export function registerRegexp(connection: BetterSqlite3.Database, options: RegexpOptions): void {
  const charge = statementBudget(options);
  connection.function('regexp', { deterministic: true }, (pattern: unknown, value: unknown) => {
    if (typeof pattern !== 'string' || typeof value !== 'string') return 0;
    charge();
    const regex = patternOf(pattern);
    return regex !== null && regex.test(value) ? 1 : 0;
  });
}
