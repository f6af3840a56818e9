import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, realpath, rename } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import { FRAMEWORKS } from './frameworks.js';

/** A package's place in node_modules as npm's lockfile names it: `node_modules/<name>`, nested any depth. */
const PACKAGE_PATH = /^node_modules\/(?:@[\w.~-]+\/)?[\w.~-]+(?:\/node_modules\/(?:@[\w.~-]+\/)?[\w.~-]+)*$/;

/** A package entry of npm's lockfile (v2 and v3 `packages`). */
interface LockedPackage {
  dev?: boolean;
  link?: boolean;
}

/** The framework's own start command for `ssr`, which the kept files are chosen for. */
function defaultStartCommand(frameworkKey: string): string | undefined {
  return FRAMEWORKS.find((framework) => framework.key === frameworkKey)?.adapters.find((adapter) => adapter.key === 'ssr')?.startCommand;
}

async function readLock(file: string): Promise<Record<string, LockedPackage> | undefined> {
  try {
    const lock = JSON.parse(await readFile(file, 'utf8')) as { packages?: Record<string, LockedPackage> };
    return lock.packages;
  } catch {
    return undefined;
  }
}

/**
 * The installed packages that are not only for development, as npm's lockfile marks them (the
 * project's, else the one npm keeps in node_modules). Without a lockfile npm wrote, or with linked
 * workspace packages, all of node_modules: no smaller complete set is known then.
 */
export async function productionPackages(treeDir: string): Promise<string[]> {
  if (!existsSync(join(treeDir, 'node_modules'))) return [];
  const packages = (await readLock(join(treeDir, 'package-lock.json'))) ?? (await readLock(join(treeDir, 'node_modules', '.package-lock.json')));
  if (!packages) return ['node_modules'];
  // The lockfile is the site's own: a path of any other shape (`..`, say) is not taken from it.
  const installed = Object.entries(packages).filter(([path]) => PACKAGE_PATH.test(path) && !path.split('/').some((segment) => segment === '.' || segment === '..'));
  if (installed.some(([, entry]) => entry.link)) return ['node_modules'];
  return installed.filter(([path, entry]) => !entry.dev && existsSync(join(treeDir, path))).map(([path]) => path);
}

/** Every entry of the tree but `.next/cache`, the build's cache, which `next start` does not read. */
async function allButNextCache(treeDir: string): Promise<string[]> {
  const top = (await readdir(treeDir)).filter((name) => name !== '.next').sort();
  const next = existsSync(join(treeDir, '.next')) ? (await readdir(join(treeDir, '.next'))).filter((name) => name !== 'cache').map((name) => `.next/${name}`) : [];
  return [...top, ...next.sort()];
}

/** Those of the paths the tree holds. */
function present(treeDir: string, paths: string[]): string[] {
  return paths.filter((path) => existsSync(join(treeDir, path)));
}

/**
 * What of a server-rendered build its framework's server needs to run, as each framework documents
 * it, relative to the built tree; undefined for the whole tree. The choice holds for the
 * framework's own start command only: a start command of the site's own may need anything.
 *
 * - Next.js with `output: 'standalone'`: `.next/standalone` (the server with the packages it
 *   traced), `.next/static` and `public` (which Plinth serves itself).
 * - Next.js without it (`next start`): everything but the build cache `.next/cache`.
 * - Nuxt (node-server preset): `.output`, a server with the packages it uses.
 * - SvelteKit (adapter-node) and Astro (@astrojs/node): the build folder, package.json and the
 *   production packages the server imports.
 * - Any other framework, or a start command of the site's own: the whole tree.
 */
export async function ssrServerFiles(treeDir: string, frameworkKey: string, startCommand: string): Promise<string[] | undefined> {
  if (startCommand !== defaultStartCommand(frameworkKey)) return undefined;
  switch (frameworkKey) {
    case 'nextjs':
      return existsSync(join(treeDir, '.next/standalone/server.js')) ? present(treeDir, ['.next/standalone', '.next/static', 'public']) : await allButNextCache(treeDir);
    case 'nuxt':
      return present(treeDir, ['.output']);
    case 'sveltekit':
      return [...present(treeDir, ['build', 'package.json']), ...(await productionPackages(treeDir))];
    case 'astro':
      return [...present(treeDir, ['dist', 'package.json']), ...(await productionPackages(treeDir))];
    default:
      return undefined;
  }
}

/** The paths without those inside another of them (a package nested in a kept package moves with it). */
function outermost(paths: string[]): string[] {
  const sorted = [...new Set(paths)].sort();
  const kept: string[] = [];
  for (const path of sorted) if (!kept.some((outer) => path.startsWith(`${outer}/`))) kept.push(path);
  return kept;
}

/**
 * The folder to store for a server-rendered build: the built tree itself, or a new folder inside it
 * that the files its server needs were moved into (the rest is removed with the tree).
 */
export async function ssrServerTree(treeDir: string, frameworkKey: string, startCommand: string): Promise<string> {
  const paths = await ssrServerFiles(treeDir, frameworkKey, startCommand);
  if (paths === undefined) return treeDir;
  const kept = join(treeDir, `.plinth-server-${randomBytes(6).toString('hex')}`);
  await mkdir(kept);
  const root = await realpath(treeDir);
  for (const path of outermost(paths)) {
    // A folder on the way may be the build's link to elsewhere: only what lies inside the tree moves.
    const parent = await realpath(dirname(join(treeDir, path)));
    if (parent !== root && !parent.startsWith(`${root}${sep}`)) continue;
    await mkdir(dirname(join(kept, path)), { recursive: true });
    await rename(join(treeDir, path), join(kept, path));
  }
  return kept;
}
