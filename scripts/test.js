#!/usr/bin/env node
// Runs every *.test.ts under src/ and test/ (or the files and folders given) with node's test runner.
// PLINTH_TEST_DB=postgres://… runs the same suite on PostgreSQL instead of SQLite.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

function collect(path) {
  if (statSync(path).isFile()) return path.endsWith('.test.ts') ? [path] : [];
  return readdirSync(path)
    .filter((name) => name !== 'node_modules' && !name.startsWith('.'))
    .flatMap((name) => collect(join(path, name)));
}

const targets = process.argv.slice(2);
const files = (targets.length > 0 ? targets : ['src', 'test'])
  .flatMap((target) => collect(join(root, target)))
  .map((file) => relative(root, file))
  .sort();

// The browser tests drive the built web console: build it first when its sources changed.
const built = spawnSync(process.execPath, [join(root, 'scripts', 'build-console.js')], { cwd: root, stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);

const engine = process.env.PLINTH_TEST_DB ? 'PostgreSQL' : 'SQLite';
console.log(`Running ${files.length} test files on ${engine}`);

const result = spawnSync(
  process.execPath,
  [
    '--import', 'tsx',
    '--test',
    `--test-concurrency=${process.env.PLINTH_TEST_CONCURRENCY ?? 2}`,
    '--test-reporter=spec',
    ...files,
  ],
  { cwd: root, stdio: 'inherit' },
);
process.exit(result.status ?? 1);
