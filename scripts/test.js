#!/usr/bin/env node
// Runs every *.test.ts under src/ and test/ (or the files and folders given) with node's test runner.
// PLINTH_TEST_DB=postgres://… runs the same suite on PostgreSQL instead of SQLite.
//
// The files run compiled to JavaScript (see test-build.js), the slowest first (see
// test-durations.js), two at a time (PLINTH_TEST_CONCURRENCY). PLINTH_TEST_TSX=1 runs the
// TypeScript sources through tsx instead, as a single `node --import tsx --test file` does.
//
// Which files run on both engines: every file under test/ does, on each pass, unless it says
// `@engine-independent` in a comment: a file whose subject cannot differ between the engines
// (a function runtime's contract, the console's pages), where a PostgreSQL pass would only
// repeat it. A unit test beside the code (src/**/*.test.ts) runs in the SQLite pass only, unless
// it names PLINTH_TEST_DB or uses the test harness (test/support): such a file tests one module
// with no store, or only SQLite's own helpers. A unit test that comes to depend on the engine
// must read PLINTH_TEST_DB (through test/support) to run on both.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { buildTests } from './test-build.js';
import { slowestFirst } from './test-durations.js';

const root = new URL('..', import.meta.url).pathname;

function collect(path) {
  if (statSync(path).isFile()) return path.endsWith('.test.ts') ? [path] : [];
  return readdirSync(path)
    .filter((name) => name !== 'node_modules' && !name.startsWith('.'))
    .flatMap((name) => collect(join(path, name)));
}

/** A test whose subject is the same on both engines: it runs in the SQLite pass only. */
function engineFree(file) {
  const source = readFileSync(join(root, file), 'utf8');
  if (!file.startsWith('src/')) return source.includes('@engine-independent');
  return !/PLINTH_TEST_DB|test\/support\//.test(source);
}

const onPostgres = Boolean(process.env.PLINTH_TEST_DB);
const targets = process.argv.slice(2);
const found = (targets.length > 0 ? targets : ['src', 'test'])
  .flatMap((target) => collect(join(root, target)))
  .map((file) => relative(root, file))
  .sort();
// Whoever names files or folders wants them run: only a whole-suite pass leaves files out.
const skipped = onPostgres && targets.length === 0 ? found.filter(engineFree) : [];
const files = slowestFirst(found.filter((file) => !skipped.includes(file)));

// The browser tests drive the built web console: build it first when its sources changed.
const built = spawnSync(process.execPath, [join(root, 'scripts', 'build-console.js')], { cwd: root, stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);

const engine = onPostgres ? 'PostgreSQL' : 'SQLite';
console.log(`Running ${files.length} test files on ${engine}${skipped.length > 0 ? ` (${skipped.length} engine-independent files ran in the SQLite pass)` : ''}`);

const fromSources = process.env.PLINTH_TEST_TSX === '1';
const build = fromSources ? undefined : await buildTests(root);
const entries = build ? files.map((file) => join(relative(root, build.dir), file.replace(/\.ts$/, '.js'))) : files;

const reporters = ['--test-reporter=spec', '--test-reporter-destination=stdout'];
if (process.env.PLINTH_TEST_DURATIONS === 'write') {
  reporters.push(`--test-reporter=${join(root, 'scripts/test-durations.js')}`, '--test-reporter-destination=stdout');
}

const result = spawnSync(
  process.execPath,
  [
    ...(fromSources ? ['--import', 'tsx'] : ['--enable-source-maps']),
    '--test',
    `--test-concurrency=${process.env.PLINTH_TEST_CONCURRENCY ?? 2}`,
    ...reporters,
    ...entries,
  ],
  { cwd: root, stdio: 'inherit' },
);
build?.remove();
process.exit(result.status ?? 1);
