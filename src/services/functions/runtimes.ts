import { existsSync, readFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../../core/errors.js';
import type { FunctionsSettings } from './settings.js';

/** The part of the settings that narrows which runtimes a server offers. */
type Offering = Pick<FunctionsSettings, 'runtimes'> | undefined;

/** A runtime's program published on the npm registry, fetched into the runtimes folder on first use. */
export interface FetchedProgram {
  /** Its folder under the runtimes folder, e.g. `node-22` or `bun-1.3`. */
  dir: string;
  /** What `npm install` is given: a platform package and a version range. */
  spec: string;
  /** The program inside that folder. */
  binary: string;
  /** More packages installed beside it: the npm an old Node.js needs (the host's refuses to run on it). */
  extras?: string[];
}

/** A runtime Appwrite names, and how this host provides it (if it can). */
export interface RuntimeDefinition {
  id: string;
  key: string;
  name: string;
  version: string;
  /** The program on this host, or undefined when it is fetched or unavailable here. */
  program: string | undefined;
  /** Fetched from the npm registry on first use, when this host has npm. */
  fetched?: FetchedProgram;
  programArgs: string[];
  /** Environment its processes get beneath the function's own. */
  env?: Record<string, string>;
  /** The runtime server file under runtimes/. */
  server: string;
  /** Entrypoint when neither the function nor the deployment names one. */
  defaultEntrypoint: string;
}

const NODE_VERSION = process.versions.node;
const NODE_MAJOR = NODE_VERSION.split('.')[0];

function hasNpm(): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && existsSync(join(dir, 'npm')));
}

/** The npm registry publishes Node.js, Bun and Deno builds for these platforms only. */
const ARCH: Record<string, { node: string; bun: string; deno: string } | undefined> = {
  x64: { node: 'x64', bun: cpuHasAvx2() ? 'x64' : 'x64-baseline', deno: 'x64' },
  arm64: { node: 'arm64', bun: 'aarch64', deno: 'arm64' },
};
const platform = process.platform === 'linux' ? ARCH[process.arch] : undefined;

/** Bun's default x64 build needs AVX2; older processors get its baseline build. */
function cpuHasAvx2(): boolean {
  try {
    return /\bavx2\b/.test(readFileSync('/proc/cpuinfo', 'utf8'));
  } catch {
    return false;
  }
}

/** The newest npm each old Node.js major runs; newer majors build with the host's npm. */
const NPM_FOR_NODE: Record<string, string> = { '14': 'npm@6', '16': 'npm@8', '18': 'npm@10', '19': 'npm@9', '21': 'npm@10' };

/** Appwrite's Node.js ids; this host's Node serves its own major, the npm registry's `node-<os>-<arch>` the others. */
function nodeRuntime(id: string): RuntimeDefinition {
  const major = id.slice('node-'.length).split('.')[0]!;
  const here = major === NODE_MAJOR;
  const packageName = `node-${process.platform}-${process.arch}`;
  const npm = NPM_FOR_NODE[major];
  const fetched: FetchedProgram = { dir: `node-${major}`, spec: `${packageName}@${major}`, binary: `node_modules/${packageName}/bin/node`, ...(npm ? { extras: [npm] } : {}) };
  return {
    ...(!here && platform ? { fetched } : {}),
    id,
    key: 'node',
    name: 'Node.js',
    version: here ? NODE_VERSION : major,
    program: here ? process.execPath : undefined,
    programArgs: [],
    server: 'node/server.mjs',
    defaultEntrypoint: 'index.js',
  };
}

/** Bun from the npm registry (`@oven/bun-<os>-<arch>`), running our contract server in TypeScript. */
function bunRuntime(version: string): RuntimeDefinition {
  const packageName = `@oven/bun-linux-${platform?.bun ?? 'x64'}`;
  return {
    ...(platform ? { fetched: { dir: `bun-${version}`, spec: `${packageName}@${version}`, binary: `node_modules/${packageName}/bin/bun` } } : {}),
    id: `bun-${version}`,
    key: 'bun',
    name: 'Bun',
    version,
    program: undefined,
    programArgs: ['run', '--no-install'],
    // No transpiler cache: it would fill the process's small private /tmp and die with it anyway.
    env: { BUN_RUNTIME_TRANSPILER_CACHE_PATH: '0', DO_NOT_TRACK: '1' },
    server: 'web/bun.ts',
    defaultEntrypoint: 'index.ts',
  };
}

/** Deno from the npm registry (`@deno/<os>-<arch>-glibc`), running our contract server as an ES module. */
function denoRuntime(version: string): RuntimeDefinition {
  const packageName = `@deno/linux-${platform?.deno ?? 'x64'}-glibc`;
  return {
    ...(platform ? { fetched: { dir: `deno-${version}`, spec: `${packageName}@${version}`, binary: `node_modules/${packageName}/deno` } } : {}),
    id: `deno-${version}`,
    key: 'deno',
    name: 'Deno',
    version,
    program: undefined,
    // The sandbox is the boundary; inside it the function may use what Deno offers.
    programArgs: ['run', '--allow-all', '--no-prompt'],
    env: { DENO_DIR: '/tmp/deno', DENO_NO_UPDATE_CHECK: '1', DENO_NO_PROMPT: '1' },
    server: 'web/deno.ts',
    defaultEntrypoint: 'index.ts',
  };
}

function pythonRuntime(version: string, program: string): RuntimeDefinition {
  return {
    id: `python-${version}`,
    key: 'python',
    name: 'Python',
    version,
    // The system interpreter: it lives under /usr, which the sandbox shows read-only.
    program: existsSync(program) ? program : undefined,
    programArgs: ['-B'],
    server: 'python/server.py',
    defaultEntrypoint: 'main.py',
  };
}

/** Debian's packages of the scientific stack, beside its Python. */
const ML_PACKAGES = ['numpy', 'pandas', 'sklearn'].map((name) => `/usr/lib/python3/dist-packages/${name}`);

/** Python with NumPy, pandas and scikit-learn: listed only when Debian's packages of all three are installed. */
function pythonMlRuntime(version: string, program: string): RuntimeDefinition {
  const plain = pythonRuntime(version, program);
  return { ...plain, id: `python-ml-${version}`, key: 'python-ml', name: 'Python (ML)', program: ML_PACKAGES.every((dir) => existsSync(dir)) ? plain.program : undefined };
}

/** Every runtime id Appwrite 1.9 knows for the languages this server runs; others are refused as unknown. */
export const RUNTIMES: readonly RuntimeDefinition[] = [
  ...['14.5', '16.0', '18.0', '19.0', '20.0', '21.0', '22', '23', '24', '25'].map((v) => nodeRuntime(`node-${v}`)),
  ...['3.8', '3.9', '3.10', '3.11', '3.12', '3.13', '3.14'].map((v) => pythonRuntime(v, `/usr/bin/python${v}`)),
  pythonMlRuntime('3.11', '/usr/bin/python3.11'),
  ...['1.0', '1.1', '1.2', '1.3'].map(bunRuntime),
  ...['1.46', '2.0', '2.5', '2.6'].map(denoRuntime),
];

/** Whether this host runs the runtime (a local program, or npm to fetch one) and the server offers it (`PLINTH_FUNCTIONS_RUNTIMES`). */
export function isAvailable(runtime: RuntimeDefinition, settings: Offering): boolean {
  return isOffered(runtime, settings) && hostHas(runtime);
}

function hostHas(runtime: RuntimeDefinition): boolean {
  return runtime.program !== undefined || (runtime.fetched !== undefined && npmPresent());
}

function isOffered(runtime: RuntimeDefinition, settings: Offering): boolean {
  const offered = settings?.runtimes;
  return !offered || offered.length === 0 || offered.includes(runtime.id);
}

let npmChecked: boolean | undefined;
function npmPresent(): boolean {
  npmChecked ??= hasNpm();
  return npmChecked;
}

export function findRuntime(id: string): RuntimeDefinition | undefined {
  return RUNTIMES.find((runtime) => runtime.id === id);
}

/** The runtime, which must be one this host can run. */
export function requireAvailableRuntime(id: string, settings: Offering): RuntimeDefinition {
  const runtime = findRuntime(id);
  if (!runtime || !isAvailable(runtime, settings)) {
    throw new AppError('function_runtime_unsupported', `Runtime "${id}" is not available on this server${missingPart(runtime, id, settings)}. Available: ${availableRuntimeIds(settings).join(', ')}.`);
  }
  return runtime;
}

/** What this host lacks for a runtime Plinth knows, said in the error. */
function missingPart(runtime: RuntimeDefinition | undefined, id: string, settings: Offering): string {
  if (!runtime) return ` (it has no ${id.replace(/-[\d.]+$/, '')} runtime)`;
  if (!isOffered(runtime, settings)) return ' (PLINTH_FUNCTIONS_RUNTIMES leaves it out)';
  if (runtime.fetched) return ' (fetching it needs npm, which this server lacks)';
  if (runtime.key === 'python-ml') return ' (it needs /usr/bin/python3.11 and Debian\'s python3-numpy, python3-pandas and python3-sklearn)';
  if (runtime.key === 'python') return ` (it needs /usr/bin/python${runtime.version})`;
  return '';
}

export function availableRuntimeIds(settings: Offering): string[] {
  return RUNTIMES.filter((runtime) => isAvailable(runtime, settings)).map((runtime) => runtime.id);
}

/** Found once: every execution asks. */
const serverFiles = new Map<string, string>();

/** The runtimes/ directory shipped beside the sources (and beside the bundle in dist/). */
export function runtimeServerFile(runtime: RuntimeDefinition): string {
  let found = serverFiles.get(runtime.server);
  if (found) return found;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 6 && !found; depth++) {
    const candidate = join(dir, 'runtimes', runtime.server);
    if (existsSync(candidate)) found = candidate;
    dir = dirname(dir);
  }
  if (!found) throw new Error(`runtime server ${runtime.server} not found beside the server's files`);
  serverFiles.set(runtime.server, found);
  return found;
}
