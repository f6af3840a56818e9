// Builds dist/plinth.cjs, the bundle bin/plinth.js runs: the TypeScript sources and the packages
// they import in one file, which Node loads far faster than hundreds of modules (it resolves,
// reads and compiles each on its own): a start costs about a third less CPU, and the server holds
// less memory, than with the packages left outside. Run as a process of its own by bin/plinth.js,
// so that the server never holds esbuild or what the build allocated.
//
//   node scripts/build-server.js <output file>
import { buildSync } from 'esbuild';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outfile = process.argv[2] ?? join(root, 'dist', 'plinth.cjs');

/**
 * Packages loaded from node_modules as they are: native addons, programs run by path, and
 * pino, whose transports start workers from its own files. Packages the sources load by name
 * on first use (createRequire) stay outside too, since esbuild cannot see those.
 */
const EXTERNAL = ['better-sqlite3', 'sharp', '@node-rs/argon2', 'esbuild', 'pg-native', 'pino'];

buildSync({
  entryPoints: [join(root, 'src', 'cli', 'main.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  // A script rather than an ES module: Node 20 can start a script from V8's code cache (see
  // bin/plinth.js), not a module. Our modules' own URL is given to the script by its runner.
  format: 'cjs',
  define: { 'import.meta.url': '__plinthBundleUrl' },
  target: 'node20',
  external: EXTERNAL,
  // V8 keeps a module's source in memory, two bytes a character if a single one is not Latin-1,
  // so the source is kept ASCII and without comments and blank space (names stay, for stack traces).
  charset: 'ascii',
  legalComments: 'none',
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
});
