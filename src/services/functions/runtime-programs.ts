import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AppError } from '../../core/errors.js';
import type { ServiceDeps } from '../deps.js';
import type { RuntimeDefinition } from './runtimes.js';

const run = promisify(execFile);
/** One download per runtime at a time, however many builds ask for it. */
const fetching = new Map<string, Promise<string>>();

/**
 * The interpreter a runtime runs on this host. A Node.js major this host lacks is fetched from
 * the npm registry into `<dataDir>/runtimes/` the first time a build or an execution needs it.
 */
export async function resolveProgram(deps: ServiceDeps, runtime: RuntimeDefinition, log: (line: string) => void = () => {}): Promise<string> {
  if (runtime.program) return runtime.program;
  const major = runtime.npmNodeMajor;
  if (!major) throw new AppError('function_runtime_unsupported', `Runtime "${runtime.id}" is not available on this server.`);
  const platformPackage = `node-${process.platform}-${process.arch}`;
  const dir = join(deps.dataDir, 'runtimes', `node-${major}`);
  const binary = join(dir, 'node_modules', platformPackage, 'bin', 'node');
  if (existsSync(binary)) return binary;
  let pending = fetching.get(dir);
  if (!pending) {
    log(`Fetching Node.js ${major} (${platformPackage}) from the npm registry…`);
    pending = (async () => {
      await mkdir(dir, { recursive: true });
      await run('npm', ['install', '--no-audit', '--no-fund', '--no-save', '--prefix', dir, `${platformPackage}@${major}`], { timeout: 300_000 });
      if (!existsSync(binary)) throw new Error(`npm installed ${platformPackage}@${major} but ${binary} is missing`);
      return binary;
    })().finally(() => fetching.delete(dir));
    fetching.set(dir, pending);
  }
  return pending;
}
