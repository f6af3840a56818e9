// The order test files start in: the slowest first, so that no long file starts last and runs
// on alone while the other worker idles. test-durations.json holds each file's seconds from an
// earlier run (refresh it with PLINTH_TEST_DURATIONS=write npm test; only the order of the
// numbers matters); a file it does not know yet counts as a file of median length.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';

const KNOWN = new URL('./test-durations.json', import.meta.url).pathname;

function known() {
  return existsSync(KNOWN) ? JSON.parse(readFileSync(KNOWN, 'utf8')) : {};
}

/** The files (paths relative to the repository) ordered by their last known duration, longest first. */
export function slowestFirst(files) {
  const seconds = known();
  const lengths = Object.values(seconds).sort((a, b) => a - b);
  const unknown = lengths[Math.floor(lengths.length / 2)] ?? 0;
  const of = (file) => seconds[file] ?? unknown;
  return [...files].sort((a, b) => of(b) - of(a) || a.localeCompare(b));
}

/**
 * A node test reporter (`--test-reporter=./scripts/test-durations.js`): adds up each file's
 * top-level test durations and, when the run ends, merges them into test-durations.json.
 */
export default async function* recordDurations(source) {
  const root = new URL('..', import.meta.url).pathname;
  const byFile = {};
  for await (const event of source) {
    if ((event.type !== 'test:pass' && event.type !== 'test:fail') || event.data.nesting !== 0 || !event.data.file) continue;
    // A compiled file names its source through its source map, or else is its build's copy.
    const file = relative(root, event.data.file).replace(/^\.test-build\/run-\d+\//, '').replace(/\.js$/, '.ts');
    byFile[file] = (byFile[file] ?? 0) + (event.data.details?.duration_ms ?? 0) / 1000;
  }
  const merged = { ...known() };
  for (const [file, seconds] of Object.entries(byFile)) merged[file] = Math.round(seconds * 10) / 10;
  const sorted = Object.fromEntries(Object.keys(merged).sort().map((file) => [file, merged[file]]));
  writeFileSync(KNOWN, `${JSON.stringify(sorted, null, 2)}\n`);
}
