import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AppError } from '../../core/errors.js';
import type { ServiceDeps } from '../deps.js';
import type { RuntimeDefinition } from './runtimes.js';

const run = promisify(execFile);
/** One download per runtime at a time, however many builds ask for it. */
const fetching = new Map<string, Promise<string>>();

/** Where fetched runtime programs are kept: `PLINTH_FUNCTIONS_RUNTIMES_DIR`, else the data directory's runtimes/. */
export function runtimesDir(deps: ServiceDeps): string {
  return deps.functions?.runtimesDir || join(deps.dataDir, 'runtimes');
}

/** The folder a fetched runtime's packages are installed in; undefined for one this host has. */
export function fetchedDir(deps: ServiceDeps, runtime: RuntimeDefinition): string | undefined {
  return runtime.fetched ? join(runtimesDir(deps), runtime.fetched.dir) : undefined;
}

/**
 * The program a runtime runs on this host. One this host lacks (a Node.js major, Bun, Deno) is
 * fetched from the npm registry into the runtimes folder the first time a build or an execution needs it.
 */
export async function resolveProgram(deps: ServiceDeps, runtime: RuntimeDefinition, log: (line: string) => void = () => {}): Promise<string> {
  if (runtime.program) return runtime.program;
  const fetched = runtime.fetched;
  if (!fetched) throw new AppError('function_runtime_unsupported', `Runtime "${runtime.id}" is not available on this server.`);
  const dir = fetchedDir(deps, runtime)!;
  const binary = join(dir, fetched.binary);
  if (existsSync(binary) && (fetched.extras ?? []).every((spec) => existsSync(join(dir, 'node_modules', packageNameOf(spec))))) return binary;
  let pending = fetching.get(dir);
  if (!pending) {
    log(`Fetching ${runtime.name} ${runtime.version} (${fetched.spec}) from the npm registry…`);
    pending = (async () => {
      await mkdir(dir, { recursive: true });
      await run('npm', ['install', '--no-audit', '--no-fund', '--no-save', '--prefix', dir, fetched.spec, ...(fetched.extras ?? [])], { timeout: 300_000 });
      if (!existsSync(binary)) throw new Error(`npm installed ${fetched.spec} but ${binary} is missing`);
      // Some packages ship the program without its execute bit (their wrapper's install script sets it).
      await chmod(binary, 0o755);
      return binary;
    })().finally(() => fetching.delete(dir));
    fetching.set(dir, pending);
  }
  return pending;
}

/** `npm@6` → `npm`, `@scope/name@1` → `@scope/name`. */
function packageNameOf(spec: string): string {
  const at = spec.lastIndexOf('@');
  return at > 0 ? spec.slice(0, at) : spec;
}
