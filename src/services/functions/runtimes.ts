import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
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
  /** What this host must have for it, named in the error when it lacks it. */
  needs?: string;
  /** A compiled language's build script under runtimes/, run after the deployment's commands: it compiles the function with our server into the deployment. */
  compile?: string;
  /**
   * Compiled dependencies its builds share (see build-cache.ts): `seed`, a function under the runtime's
   * folder whose build fills them; `toolchain`, the host's paths whose change makes them stale; `name`,
   * what build logs call them.
   */
  buildCache?: { seed: string; toolchain: string[]; name?: string };
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

/** Relative to the deployment's folder, where build commands run; the server adds it to its module path. */
const PIP_ENV = { PIP_TARGET: '.plinth/python', PIP_DISABLE_PIP_VERSION_CHECK: '1', PIP_NO_INPUT: '1' };

function pythonRuntime(version: string, program: string): RuntimeDefinition {
  return {
    id: `python-${version}`,
    key: 'python',
    name: 'Python',
    version,
    // The system interpreter: it lives under /usr, which the sandbox shows read-only.
    program: existsSync(program) ? program : undefined,
    programArgs: ['-B'],
    // `pip install` at build puts packages in the deployment, where the server finds them; with a target,
    // Debian's pip also installs beside its externally managed Python.
    env: PIP_ENV,
    server: 'python/server.py',
    defaultEntrypoint: 'main.py',
    needs: program,
  };
}

/** Debian's packages of the scientific stack, beside its Python. */
const ML_PACKAGES = ['numpy', 'pandas', 'sklearn'].map((name) => `/usr/lib/python3/dist-packages/${name}`);

/** Python with NumPy, pandas and scikit-learn: listed only when Debian's packages of all three are installed. */
function pythonMlRuntime(version: string, program: string): RuntimeDefinition {
  const plain = pythonRuntime(version, program);
  return {
    ...plain,
    id: `python-ml-${version}`,
    key: 'python-ml',
    name: 'Python (ML)',
    program: ML_PACKAGES.every((dir) => existsSync(dir)) ? plain.program : undefined,
    needs: `${program} and Debian's python3-numpy, python3-pandas and python3-sklearn`,
  };
}

/** A language's interpreter from Debian (under /usr, which the sandbox shows read-only), running our server in that language. */
function debianRuntime(definition: Omit<RuntimeDefinition, 'program' | 'programArgs'> & { program: string; programArgs?: string[]; debianPackage: string }): RuntimeDefinition {
  const { debianPackage, ...runtime } = definition;
  return { programArgs: [], ...runtime, program: existsSync(runtime.program) ? runtime.program : undefined, needs: `${runtime.program} (Debian's ${debianPackage})` };
}

/** PHP: the entrypoint returns the function; `composer install` builds with Debian's Composer. */
const PHP = debianRuntime({ id: 'php-8.2', key: 'php', name: 'PHP', version: '8.2', program: '/usr/bin/php8.2', debianPackage: 'php8.2-cli', server: 'php/server.php', defaultEntrypoint: 'index.php' });

/** Ruby: the entrypoint defines `main(context)`; gems installed at build (`bundle install`) stay in the deployment. */
const RUBY = debianRuntime({
  id: 'ruby-3.1',
  key: 'ruby',
  name: 'Ruby',
  version: '3.1',
  program: '/usr/bin/ruby3.1',
  debianPackage: 'ruby3.1',
  env: { BUNDLE_PATH: 'vendor/bundle' },
  server: 'ruby/server.rb',
  defaultEntrypoint: 'main.rb',
});

/** Go's version as Debian's golang-go installs it (`go1.19.8`), or undefined without it. */
function debianGoVersion(): string | undefined {
  try {
    return /^go(\d+\.\d+(?:\.\d+)?)/.exec(readFileSync('/usr/lib/go/VERSION', 'utf8'))?.[1];
  } catch {
    return undefined;
  }
}

/** The Go Debian 12 ships, named when the host has none. */
const DEBIAN_GO = '1.19';

/** A compiled language: its build script compiles the function with our server, which starts through sh (the program is in the deployment, not on the host). */
function compiledRuntime(definition: {
  id: string;
  key: string;
  name: string;
  version: string;
  available: boolean;
  dir: string;
  defaultEntrypoint: string;
  needs: string;
  env?: Record<string, string>;
  buildCache?: RuntimeDefinition['buildCache'];
}): RuntimeDefinition {
  const { available, dir, ...runtime } = definition;
  return { ...runtime, program: available ? '/usr/bin/sh' : undefined, programArgs: [], server: `${dir}/start.sh`, compile: `${dir}/build.sh` };
}

/**
 * Go: the function's package (its `Main(openruntimes.Context) openruntimes.Response`) compiled with our
 * server at build. Listed under the version this host's Go really is; Appwrite's newer Go ids are known
 * but need a Go this host lacks.
 */
function goRuntimes(): RuntimeDefinition[] {
  const version = debianGoVersion();
  const minor = version?.split('.').slice(0, 2).join('.') ?? DEBIAN_GO;
  const go = (id: string, available: boolean, needs: string) =>
    compiledRuntime({ id: `go-${id}`, key: 'go', name: 'Go', version: available && version ? version : id, available, dir: 'go', defaultEntrypoint: 'main.go', needs });
  const newer = ['1.23', '1.24', '1.25', '1.26'].filter((id) => id !== minor);
  return [
    go(minor, version !== undefined, "/usr/bin/go (Debian's golang-go)"),
    ...newer.map((id) => go(id, false, `Go ${id}; this server's Go is ${version ? `go-${minor}` : 'missing'} (Debian's golang-go)`)),
  ];
}

/** The JDK behind /usr/bin/javac (Debian's alternatives link), and its version from its release file. */
function debianJdkVersion(): string | undefined {
  try {
    const home = dirname(dirname(realpathSync('/usr/bin/javac')));
    return /^JAVA_VERSION="([^"]+)"/m.exec(readFileSync(join(home, 'release'), 'utf8'))?.[1];
  } catch {
    return undefined;
  }
}

/** Java 17: the function's class (Appwrite's `main(RuntimeContext)` style) compiled with our server by javac at build. */
function javaRuntime(): RuntimeDefinition {
  const version = debianJdkVersion();
  return compiledRuntime({
    id: 'java-17.0',
    key: 'java',
    name: 'Java',
    version: version ?? '17.0',
    available: version?.split('.')[0] === '17',
    dir: 'java',
    defaultEntrypoint: 'src/Main.java',
    needs: "javac 17 at /usr/bin/javac (Debian's openjdk-17-jdk-headless)",
  });
}

/** What g++ builds a C++ function with: the compiler and the jsoncpp and libcurl headers it includes. */
const CPP_NEEDS = ['/usr/bin/g++', '/usr/include/jsoncpp/json/json.h', '/usr/include/x86_64-linux-gnu/curl/curl.h', '/usr/include/aarch64-linux-gnu/curl/curl.h'];

function cppToolchainPresent(): boolean {
  return existsSync(CPP_NEEDS[0]!) && existsSync(CPP_NEEDS[1]!) && CPP_NEEDS.slice(2).some((header) => existsSync(header));
}

/** C++ 17 and 20: the entrypoint (Appwrite's `runtime::Handler::main(RuntimeContext&)`) compiled with our server by g++ at build. */
function cppRuntime(standard: '17' | '20'): RuntimeDefinition {
  return compiledRuntime({
    id: `cpp-${standard}`,
    key: 'cpp',
    name: 'C++',
    version: standard,
    available: cppToolchainPresent(),
    dir: 'cpp',
    defaultEntrypoint: 'src/main.cc',
    needs: "g++ with jsoncpp and libcurl (Debian's g++, libjsoncpp-dev and libcurl4-openssl-dev)",
    env: { PLINTH_CPP_STANDARD: `c++${standard}` },
  });
}

/** The Rust of Debian's rustc-web (`1.96.0`), read from its changelog's first line, or undefined without it. */
function debianRustVersion(): string | undefined {
  try {
    const changelog = gunzipSync(readFileSync('/usr/share/doc/rustc-web/changelog.Debian.gz')).toString('utf8', 0, 200);
    return /^rustc-web \((\d+\.\d+\.\d+)/.exec(changelog)?.[1];
  } catch {
    return undefined;
  }
}

function atLeast(version: string, wanted: [number, number]): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > wanted[0] || (major === wanted[0] && minor >= wanted[1]);
}

/** Debian's registry of packaged crates (the librust-*-dev packages). */
const PACKAGED_CRATES = '/usr/share/cargo/registry';

/** The server and the default function manifest use serde_json: Debian's librust-serde-json-dev puts it in the packaged registry. */
function hasPackagedSerdeJson(): boolean {
  try {
    return readdirSync(PACKAGED_CRATES).some((crate) => crate.startsWith('serde_json-'));
  } catch {
    return false;
  }
}

/** Rust: the function's library crate compiled with our server by Debian's cargo at build, its crates from Debian's packaged registry. */
function rustRuntime(): RuntimeDefinition {
  const version = debianRustVersion();
  return compiledRuntime({
    id: 'rust-1.83',
    key: 'rust',
    name: 'Rust',
    version: version ?? '1.83',
    available: version !== undefined && atLeast(version, [1, 83]) && existsSync('/usr/bin/cargo') && hasPackagedSerdeJson(),
    dir: 'rust',
    defaultEntrypoint: 'src/lib.rs',
    needs: "rustc and cargo 1.83 or newer with serde_json (Debian's rustc-web, cargo-web and librust-serde-json-dev)",
    // serde and serde_json take most of a build: compiled once per toolchain, not per deployment.
    buildCache: { seed: 'seed', toolchain: ['/usr/bin/rustc', '/usr/bin/cargo', PACKAGED_CRATES], name: 'crate cache' },
  });
}

/** Every runtime id Appwrite 1.9 knows for the languages this server runs; others are refused as unknown. */
export const RUNTIMES: readonly RuntimeDefinition[] = [
  ...['14.5', '16.0', '18.0', '19.0', '20.0', '21.0', '22', '23', '24', '25'].map((v) => nodeRuntime(`node-${v}`)),
  ...['3.8', '3.9', '3.10', '3.11', '3.12', '3.13', '3.14'].map((v) => pythonRuntime(v, `/usr/bin/python${v}`)),
  pythonMlRuntime('3.11', '/usr/bin/python3.11'),
  ...['1.0', '1.1', '1.2', '1.3'].map(bunRuntime),
  ...['1.46', '2.0', '2.5', '2.6'].map(denoRuntime),
  PHP,
  RUBY,
  ...goRuntimes(),
  javaRuntime(),
  cppRuntime('17'),
  cppRuntime('20'),
  rustRuntime(),
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
  return runtime.needs ? ` (it needs ${runtime.needs})` : '';
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
