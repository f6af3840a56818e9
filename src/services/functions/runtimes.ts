import { existsSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../../core/errors.js';

/** A runtime Appwrite names, and how this host provides it (if it can). */
export interface RuntimeDefinition {
  id: string;
  key: string;
  name: string;
  version: string;
  /** The interpreter on this host, or undefined when the runtime is unavailable here. */
  program: string | undefined;
  /** A Node.js major fetched from the npm registry on first use, when this host has npm. */
  npmNodeMajor?: string;
  programArgs: string[];
  /** The runtime server file under runtimes/. */
  server: string;
  /** Entrypoint when neither the function nor the deployment names one. */
  defaultEntrypoint: string;
}

const NODE_VERSION = process.versions.node;
const NODE_MAJOR = NODE_VERSION.split('.')[0];

/** Node majors fetched from the npm registry (the platform's `node-<os>-<arch>` package) on first use. */
const FETCHED_NODE_MAJORS = new Set(['22', '24']);

function hasNpm(): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && existsSync(join(dir, 'npm')));
}

function nodeRuntime(major: string): RuntimeDefinition {
  const here = major === NODE_MAJOR;
  const fetched = !here && FETCHED_NODE_MAJORS.has(major);
  return {
    ...(fetched ? { npmNodeMajor: major } : {}),
    id: `node-${major}`,
    key: 'node',
    name: 'Node.js',
    version: here ? NODE_VERSION : major,
    program: here ? process.execPath : undefined,
    programArgs: [],
    server: 'node/server.mjs',
    defaultEntrypoint: 'index.js',
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

/** Every runtime id Appwrite 1.9 knows for Node and Python; others are refused as unknown. */
export const RUNTIMES: readonly RuntimeDefinition[] = [
  ...['14.5', '16.0', '18.0', '19.0', '20.0', '21.0', '22', '23', '24', '25'].map((v) => {
    const major = v.split('.')[0]!;
    return { ...nodeRuntime(major), id: `node-${v}` };
  }),
  ...['3.8', '3.9', '3.10', '3.11', '3.12', '3.13', '3.14'].map((v) => pythonRuntime(v, `/usr/bin/python${v}`)),
];

/** Whether this host runs the runtime: a local interpreter, or npm to fetch one. */
export function isAvailable(runtime: RuntimeDefinition): boolean {
  return runtime.program !== undefined || (runtime.npmNodeMajor !== undefined && npmPresent());
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
export function requireAvailableRuntime(id: string): RuntimeDefinition {
  const runtime = findRuntime(id);
  if (!runtime || !isAvailable(runtime)) {
    throw new AppError('function_runtime_unsupported', `Runtime "${id}" is not available on this server. Available: ${availableRuntimeIds().join(', ')}.`);
  }
  return runtime;
}

export function availableRuntimeIds(): string[] {
  return RUNTIMES.filter(isAvailable).map((runtime) => runtime.id);
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
