#!/usr/bin/env node
// Runs a bundle of the TypeScript sources, rebuilt whenever a source file is newer than it.
// Starting from a bundle takes about half the time and a third less memory than compiling
// the sources on the fly, and the rebuild takes milliseconds, so an edit is never missed.
import { existsSync, readdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const sources = join(root, 'src');
const entry = join(sources, 'cli', 'main.ts');
const bundle = join(root, 'dist', 'plinth.mjs');

function newestChange(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestChange(path) : statSync(path).mtimeMs);
  }
  return newest;
}

if (!existsSync(bundle) || statSync(bundle).mtimeMs < newestChange(sources)) {
  const { buildSync } = await import('esbuild');
  // Several commands may start at once: each writes its own file and renames it into place.
  const building = `${bundle}.${process.pid}.tmp`;
  buildSync({
    entryPoints: [entry],
    outfile: building,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  renameSync(building, bundle);
}

await import(pathToFileURL(bundle).href);
