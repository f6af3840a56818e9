#!/usr/bin/env node
// Builds the web console (console/ → console/dist) when the build is missing or older than its
// sources, judged by a hash of them kept beside the build. With --install it first installs the
// console's own dependencies when they are missing or behind its lockfile (npm ci in console/).
// PLINTH_CONSOLE=off skips everything: the API server runs without the console.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';

const consoleDir = new URL('../console/', import.meta.url).pathname;
const dist = join(consoleDir, 'dist');
const stamp = join(dist, '.source-hash');
const INPUTS = ['src', 'public', 'index.html', 'vite.config.js', 'tsconfig.json', 'package-lock.json'];

function listFiles(path) {
  if (!existsSync(path)) return [];
  if (statSync(path).isFile()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => listFiles(join(path, name)));
}

function sourceHash() {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap((input) => listFiles(join(consoleDir, input)))) {
    hash.update(relative(consoleDir, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

/** Worth compressing: text, and not so small that the headers outweigh the saving. */
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.json', '.svg', '.txt']);
const MIN_COMPRESS_BYTES = 512;

/** Writes .br and .gz copies beside the build's text files, so the server compresses nothing at run time. */
function precompress() {
  for (const file of listFiles(dist)) {
    if (!COMPRESSIBLE.has(extname(file))) continue;
    const body = readFileSync(file);
    if (body.length < MIN_COMPRESS_BYTES) continue;
    const brotli = brotliCompressSync(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: body.length } });
    const gzip = gzipSync(body, { level: 9 });
    if (brotli.length < body.length) writeFileSync(`${file}.br`, brotli);
    if (gzip.length < body.length) writeFileSync(`${file}.gz`, gzip);
  }
}

function run(command, args) {
  const result = spawnSync(command, args, { cwd: consoleDir, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function dependenciesCurrent() {
  // npm writes this file on every install; it is older than the lockfile when the lockfile changed since.
  const installed = join(consoleDir, 'node_modules', '.package-lock.json');
  return existsSync(installed) && statSync(installed).mtimeMs >= statSync(join(consoleDir, 'package-lock.json')).mtimeMs;
}

// Off, or a copy of the package without the console's sources: nothing to build.
if (process.env.PLINTH_CONSOLE === 'off' || !existsSync(join(consoleDir, 'package.json'))) process.exit(0);

if (process.argv.includes('--install') && !dependenciesCurrent()) {
  console.log('Installing the web console\'s dependencies (console/)');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}

const hash = sourceHash();
const built = existsSync(stamp) && readFileSync(stamp, 'utf8') === hash && existsSync(join(dist, 'index.html'));
if (!built) {
  if (!existsSync(join(consoleDir, 'node_modules', 'vite'))) {
    console.error('The web console is not built and its dependencies are missing: run `npm ci` in console/ (or `npm install` here).');
    process.exit(1);
  }
  console.log('Building the web console (console/dist)');
  run(process.execPath, [join(consoleDir, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn']);
  precompress();
  writeFileSync(stamp, hash);
}
