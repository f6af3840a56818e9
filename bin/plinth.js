#!/usr/bin/env node
// Runs dist/plinth.mjs, the bundle of the sources and the packages they import (see
// scripts/build-server.js), rebuilt whenever a source file, the build script or the installed
// packages are newer than it, so an edit is never missed.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';

// Starting allocates in a burst (the bundle's code, route schemas, the router) that would make V8
// grow its young generation to the 32 MB most, kept resident long after. Growth stays off until
// the server listens (src/cli/commands.ts turns it back on), so an idle server holds 4 MB there.
setFlagsFromString('--semi-space-growth-factor=1');

const root = fileURLToPath(new URL('..', import.meta.url));
const sources = join(root, 'src');
const builder = join(root, 'scripts', 'build-server.js');
const bundle = join(root, 'dist', 'plinth.mjs');
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

await import(pathToFileURL(bundle).href);
