// Compiles src/ and test/ to JavaScript once before a test run, into .test-build/ beside them.
//
// Loading a test file through tsx costs about 3 s of CPU, most of it in Node 20's off-thread
// module hooks resolving and loading several hundred modules one message at a time; the same
// modules as plain JavaScript load in well under half of that. Every test file pays it once per
// engine pass, so compiling up front (esbuild, the compiler tsx itself uses, in about a second)
// saves minutes. Type checking stays with `tsc --noEmit`.
//
// Each run builds into a directory of its own (.test-build/run-<pid>), removed when it ends, so
// runs side by side (SQLite and PostgreSQL, say) never see each other's half-written build.
//
// The build mirrors the repository: src/ and test/ hold a .js (with an inline source map, so a
// stack trace names the .ts line) next to a copy of every source file, and every other entry of
// the repository is there too, so paths built from import.meta.dirname reach the same files as
// from the sources. The large ones are links; the rest (runtimes, templates, …) are copies, since
// a sandboxed runtime may read only the real paths it was allowed (node's permission model
// refuses a path through a link).
import { copyFileSync, cpSync, mkdirSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { build } from 'esbuild';

export const BUILD_DIR = '.test-build';
const COMPILED = ['src', 'test'];
const LINKED = ['node_modules', 'bin', 'dist', 'bench'];
const SKIPPED = ['.git', BUILD_DIR];

function walk(dir, files = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, files);
    else files.push(path);
  }
  return files;
}

function running(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** Builds the mirror for this process (about a second) and returns its path; `remove` deletes it. */
export async function buildTests(root) {
  const builds = join(root, BUILD_DIR);
  mkdirSync(builds, { recursive: true });
  // A run that was killed leaves its build behind.
  for (const name of readdirSync(builds)) {
    const pid = Number(/^run-(\d+)$/.exec(name)?.[1]);
    if (pid && !running(pid)) rmSync(join(builds, name), { recursive: true, force: true });
  }
  const out = join(builds, `run-${process.pid}`);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out);
  for (const entry of readdirSync(root)) {
    if (COMPILED.includes(entry) || SKIPPED.includes(entry)) continue;
    if (LINKED.includes(entry)) symlinkSync(join(root, entry), join(out, entry));
    else cpSync(join(root, entry), join(out, entry), { recursive: true, dereference: true });
  }
  const sources = COMPILED.flatMap((dir) => walk(join(root, dir)));
  // The sources stay too: fixture scripts are run with tsx, and file lists and hashes see the same names.
  for (const source of sources) {
    const copy = join(out, relative(root, source));
    mkdirSync(dirname(copy), { recursive: true });
    copyFileSync(source, copy);
  }
  await build({
    entryPoints: sources.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts')),
    outdir: out,
    outbase: root,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  return { dir: out, remove: () => rmSync(out, { recursive: true, force: true }) };
}
