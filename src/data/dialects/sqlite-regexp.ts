import type BetterSqlite3 from 'better-sqlite3';
import { compileRegex, type CompiledRegex } from '../../core/regex.js';

/** The code of the error that stops a statement whose regex matches ran past their time. */
export const REGEX_TIMED_OUT = 'PLINTH_REGEX_TIMED_OUT';

/** The time unless configured: far above what a filter over a typical table needs. */
export const DEFAULT_REGEX_TIMEOUT_MS = 1000;

export interface RegexpOptions {
  /** How long the regex matches of one statement may hold the event loop together, in milliseconds. */
  timeoutMs: number;
  /** The clock, in milliseconds; performance.now unless a test gives its own. */
  now?: () => number;
}

/** What one statement's matches share: when the first ran, and the patterns compiled for it. */
interface StatementRun {
  startedAt: number;
  /** null: not a valid pattern (never matches). */
  patterns: Map<string, CompiledRegex | null>;
}

/**
 * The compiled pattern for each match, charged to the statement it runs in: the statement is
 * stopped once its matches have run past the timeout. A statement runs synchronously from its
 * first match to its end, so the first microtask after that first match marks its end (or the
 * end of statements run back to back without yielding: together they hold the event loop too).
 * Compiled patterns live as long as the statement: each may grow a DFA cache of megabytes.
 */
function statementPatterns({ timeoutMs, now = () => performance.now() }: RegexpOptions): (source: string) => CompiledRegex | null {
  let run: StatementRun | undefined;
  return (source) => {
    if (run === undefined) {
      run = { startedAt: now(), patterns: new Map() };
      queueMicrotask(() => {
        run = undefined;
      });
    } else if (now() - run.startedAt > timeoutMs) {
      throw Object.assign(new Error(`regex matches ran past ${timeoutMs} ms`), { code: REGEX_TIMED_OUT });
    }
    let regex = run.patterns.get(source);
    if (regex === undefined) {
      // The engine the query parser checks with, so both agree on what is valid.
      regex = compileRegex(source) ?? null;
      run.patterns.set(source, regex);
    }
    return regex;
  };
}

/**
 * Gives the connection the `regexp(pattern, value)` function behind `value REGEXP pattern`.
 * SQLite calls it on the event loop's thread, row after row, so it runs on RE2 (linear in
 * each value, never the backtracking that could hold every request), and a statement whose
 * matches run past the timeout is stopped: a large table cannot hold the process either.
 * NULL values, non-text values and invalid patterns never match.
 */
export function registerRegexp(connection: BetterSqlite3.Database, options: RegexpOptions): void {
  const patternFor = statementPatterns(options);
  connection.function('regexp', { deterministic: true }, (pattern: unknown, value: unknown) => {
    if (typeof pattern !== 'string' || typeof value !== 'string') return 0;
    const regex = patternFor(pattern);
    return regex !== null && regex.test(value) ? 1 : 0;
  });
}
