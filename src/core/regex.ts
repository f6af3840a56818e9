import type { RE2JS } from 're2js';
import { onFirstUse } from './load-package.js';

const loadRe2 = onFirstUse<typeof import('re2js')>('re2js');

/** A pattern ready to test values against, in time linear in the value whatever the pattern. */
export type CompiledRegex = Pick<RE2JS, 'test'>;

/**
 * Compiles a regex query's pattern with RE2, or undefined when RE2 refuses it. A backtracking
 * engine (JavaScript's, PCRE) can spend exponential time on a pattern such as `^(.+)+Q$`;
 * RE2 cannot. Its syntax is what PCRE and POSIX share (anchors, classes, `.`, alternation,
 * groups, lazy and counted quantifiers up to 1000, `\d \w \s \b`, `(?i)`); backreferences
 * and lookarounds need backtracking, so they are refused.
 */
export function compileRegex(pattern: string): CompiledRegex | undefined {
  const { RE2JS } = loadRe2();
  try {
    return RE2JS.compile(pattern);
  } catch {
    return undefined;
  }
}
