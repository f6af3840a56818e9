#!/usr/bin/env node
// Runs dist/plinth.cjs, the bundle of the sources and the packages they import (see
// scripts/build-server.js), rebuilt whenever a source file, the build script or the installed
// packages are newer than it, so an edit is never missed. The bundle is compiled from V8's code
// cache of an earlier start when there is one, which spares most of its parsing and compiling.
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, fstatSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { Script } from 'node:vm';

// Starting allocates in a burst (the bundle's code, route schemas, the router) that would make V8
// grow its young generation to the 32 MB most, kept resident long after. Growth stays off until
// the server listens (src/cli/commands.ts turns it back on), so an idle server holds 4 MB there.
setFlagsFromString('--semi-space-growth-factor=1');

const root = fileURLToPath(new URL('..', import.meta.url));
const sources = join(root, 'src');
const builder = join(root, 'scripts', 'build-server.js');
const dist = join(root, 'dist');
const bundle = join(dist, 'plinth.cjs');
/** What the bundle is made from besides the sources: the build settings and the installed packages. */
const inputs = [builder, join(root, 'package-lock.json'), join(root, 'node_modules', '.package-lock.json')];

function newestChange(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestChange(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function newestInput() {
  let newest = newestChange(sources);
  for (const input of inputs) if (existsSync(input)) newest = Math.max(newest, statSync(input).mtimeMs);
  return newest;
}

if (!existsSync(bundle) || statSync(bundle).mtimeMs < newestInput()) {
  // Several commands may start at once: each writes its own file and renames it into place.
  const building = `${bundle}.${process.pid}.tmp`;
  execFileSync(process.execPath, [builder, building], { stdio: 'inherit' });
  renameSync(building, bundle);
}

/**
 * Compiles the bundle, from the code cache of its build when there is one. Read through one
 * descriptor, so the source and the name of its cache belong to the same build even if another
 * command renames a new bundle into place meanwhile (V8 checks a cache against the source's
 * length only, hence a name per build). Nothing here outlives the compile but the script itself,
 * which holds its source: neither the file's text nor the cache's bytes stay in memory twice.
 */
function compileBundle() {
  const descriptor = openSync(bundle, 'r');
  const { mtimeMs, size } = fstatSync(descriptor);
  const wrapped = `(function (exports, require, module, __filename, __dirname, __plinthBundleUrl) {${readFileSync(descriptor, 'utf8')}\n})`;
  closeSync(descriptor);
  const cacheName = `plinth.${Math.round(mtimeMs)}-${size}.code-cache`;
  const cacheFile = join(dist, cacheName);
  const cachedData = existsSync(cacheFile) ? readFileSync(cacheFile) : undefined;
  const script = new Script(wrapped, { filename: bundle, cachedData });
  return { script, cacheName, cacheUsed: cachedData !== undefined && !script.cachedDataRejected };
}

/** Once the program has started (`serve` listening, say), what V8 compiled so far is kept for the next start. */
function keepCodeCache(script, cacheName) {
  process.once('plinth:started', () => {
    try {
      // Written aside and renamed, as the bundle is; caches of other builds go.
      const writing = join(dist, `${cacheName}.${process.pid}.tmp`);
      writeFileSync(writing, script.createCachedData());
      renameSync(writing, join(dist, cacheName));
      for (const name of readdirSync(dist)) if (name.endsWith('.code-cache') && name !== cacheName) rmSync(join(dist, name), { force: true });
    } catch {
      // A read-only checkout starts without a cache.
    }
  });
}

const { script, cacheName, cacheUsed } = compileBundle();
if (!cacheUsed) keepCodeCache(script, cacheName);

const module = { exports: {} };
script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, dirname(bundle), pathToFileURL(bundle).href);
