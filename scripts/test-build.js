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
import { copyFileSync, cpSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { dirname, join, relative } from 'node:path';
import { build } from 'esbuild';

export const BUILD_DIR = '.test-build';
const COMPILED = ['src', 'test'];
const LINKED = ['node_modules', 'bin', 'dist', 'bench'];
const SKIPPED = ['.git', BUILD_DIR];

/**
 * Packages a test bundle loads from node_modules as they are: native addons, programs run by
 * path, and packages that find their own files next to their code.
 */
const BUNDLE_EXTERNAL = [
  'better-sqlite3', 'sharp', '@node-rs/argon2', 'esbuild', 'pg-native', '@bokuweb/zstd-wasm',
  'playwright-core', 'appwrite-cli', 'oidc-provider',
];

/**
 * Our modules find files relative to themselves (import.meta.url, import.meta.dirname). In a
 * bundle those would name the bundle: `define` turns them into two names, and each of our
 * sources that uses them declares both with its own mirrored path (on its first line, so line
 * numbers stay). A define rewrites code only, never text: an `import.meta.url` inside a string,
 * such as a function's source a test deploys, stays as written.
 */
const MODULE_PATHS = { 'import.meta.url': '__plinthModuleUrl', 'import.meta.dirname': '__plinthModuleDir' };

function keepModulePaths(root, out) {
  return {
    name: 'keep-module-paths',
    setup(build) {
      build.onLoad({ filter: /\/(src|test)\/.*\.ts$/ }, async (args) => {
        if (args.path.includes('/node_modules/')) return undefined;
        const source = readFileSync(args.path, 'utf8');
        if (!source.includes('import.meta.')) return undefined;
        const mirrored = join(out, relative(root, args.path)).replace(/\.ts$/, '.js');
        const paths = `const __plinthModuleUrl = ${JSON.stringify(pathToFileURL(mirrored).href)}; const __plinthModuleDir = ${JSON.stringify(dirname(mirrored))}; `;
        return { loader: 'ts', contents: paths + source };
      });
    },
  };
}

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
    // A nested package's node_modules (the console's: its build tools, 70 MB) is never run from the build.
    else cpSync(join(root, entry), join(out, entry), { recursive: true, dereference: true, filter: (source) => !source.endsWith('/node_modules') });
  }
  const sources = COMPILED.flatMap((dir) => walk(join(root, dir)));
  // The sources stay too: fixture scripts are run with tsx, and file lists and hashes see the same names.
  for (const source of sources) {
    const copy = join(out, relative(root, source));
    mkdirSync(dirname(copy), { recursive: true });
    copyFileSync(source, copy);
  }
  const compiled = sources.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'));
  const tests = compiled.filter((file) => file.endsWith('.test.ts'));
  const options = { outdir: out, outbase: root, format: 'esm', platform: 'node', target: 'node20', logLevel: 'warning' };
  // Every other module file by file, for what runs by path (fixtures, workers).
  await build({ ...options, entryPoints: compiled.filter((file) => !file.endsWith('.test.ts')), sourcemap: 'inline' });
  // Each test file as one bundle with what it imports (shared parts in chunks): loading a test
  // file's several hundred modules one by one took about 2.5 s of CPU, the bundle under 1 s.
  await build({
    ...options,
    entryPoints: tests,
    bundle: true,
    splitting: true,
    chunkNames: '.chunks/[name]-[hash]',
    sourcemap: 'linked',
    external: BUNDLE_EXTERNAL,
    plugins: [keepModulePaths(root, out)],
    define: MODULE_PATHS,
    // A bundled CommonJS package may call require: give the ES module bundle one.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  });
  return { dir: out, remove: () => rmSync(out, { recursive: true, force: true }) };
}
