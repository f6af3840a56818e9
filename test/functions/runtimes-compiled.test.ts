// @engine-independent: each runtime is tested for its contract, which no engine changes; the functions tests cover both engines.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Functions } from 'node-appwrite';
import { TestServer } from '../support/plinth.js';
import { testRuntimesDir } from '../support/runtimes-cache.js';
import { sdkClient } from '../support/sdk.js';
import { CPP_CONFORMANCE, RUST_CONFORMANCE } from './conformance-compiled-functions.js';
import { deployConformance, describeConformance, testTimeouts, type ConformanceCode, type ConformanceState, type Deployed } from './conformance-suite.js';
import { deployFunction } from './deploy.js';

const PROJECT = 'compiled';
const CPP: ConformanceCode = { files: { 'src/main.cc': CPP_CONFORMANCE }, entrypoint: 'src/main.cc' };
/** A build script that tries to change the crates Rust builds share, which a deployment's build sees read-only. */
const CACHE_PROBE = `fn main() {
    let cache = std::env::var("PLINTH_BUILD_CACHE").expect("the compile step sees the shared crates");
    let deps = std::path::Path::new(&cache).join("release/deps");
    assert!(std::fs::write(deps.join("libserde-planted.rlib"), b"planted").is_err(), "wrote a new file into the shared crates");
    for entry in std::fs::read_dir(&deps).expect("the shared crates are readable") {
        let path = entry.unwrap().path();
        assert!(std::fs::OpenOptions::new().append(true).open(&path).is_err(), "opened {} for writing", path.display());
    }
}
`;
/** With a build script that probes the shared crates: its build passes only if it could not change them. */
const RUST: ConformanceCode = {
  files: {
    'Cargo.toml': '[package]\nname = "conformance"\nversion = "0.1.0"\nedition = "2021"\nbuild = "build.rs"\n\n[lib]\npath = "src/lib.rs"\n\n[dependencies]\nopenruntimes = "0.1"\nserde_json = "1"\n',
    'build.rs': CACHE_PROBE,
    'src/lib.rs': RUST_CONFORMANCE,
  },
  entrypoint: 'src/lib.rs',
};

/** Debian's g++ (both standards) and rustc-web, each function compiled once with its server at build. */
const CASES = [
  { runtime: 'cpp-17', code: CPP },
  { runtime: 'cpp-20', code: CPP },
  { runtime: 'rust-1.83', code: RUST },
];

/** A type error in each language, built beside the conformance functions. */
function buildFailures(functions: Functions) {
  const cppTypeError = CPP_CONFORMANCE.replace('const RuntimeRequest& req = context.req;', 'const RuntimeRequest& req = context.req;\n    int count = "many";');
  const rustTypeError = RUST_CONFORMANCE.replace('let req = &context.req;', 'let req = &context.req;\n    let count: i32 = "many";');
  return Promise.all([
    deployFunction(functions, { runtime: 'cpp-20', files: { 'src/main.cc': cppTypeError }, entrypoint: CPP.entrypoint }),
    deployFunction(functions, { runtime: 'rust-1.83', files: { ...RUST.files, 'src/lib.rs': rustTypeError }, entrypoint: RUST.entrypoint }),
  ]);
}

describe('C++ and Rust answer the Open Runtimes contract like every runtime', () => {
  let server: TestServer;
  let functions: Functions;
  let offered: Set<string>;
  let failures: ReturnType<typeof buildFailures> | undefined;
  const deployed: Deployed = new Map();
  const state = (): ConformanceState => ({ server, functions, project: PROJECT, deployed });

  before(async () => {
    // The crates Rust builds share are kept with the fetched runtimes, across runs.
    server = await TestServer.start({ env: { PLINTH_FUNCTIONS_RUNTIMES_DIR: testRuntimesDir() } });
    await server.createProject(PROJECT);
    functions = new Functions(sdkClient(server, PROJECT, await server.createKey(PROJECT)));
    offered = new Set((await functions.listRuntimes()).runtimes.map((runtime) => runtime.$id));
    if (CASES.every(({ runtime }) => offered.has(runtime))) {
      failures = buildFailures(functions);
      failures.catch(() => {});
    }
    await deployConformance(functions, offered, CASES, deployed);
  });
  after(() => server?.stop());

  for (const { runtime } of CASES) describeConformance(runtime, state);

  testTimeouts(state);

  test('lists C++ under its standard and Rust under the version Debian installed', async (t) => {
    const runtimes = (await functions.listRuntimes()).runtimes;
    const rust = runtimes.find((runtime) => runtime.$id === 'rust-1.83');
    if (!rust) return t.skip('rust-1.83 is not available on this host');
    assert.match(rust.version, /^1\.(8[3-9]|9\d|\d{3})\.\d+$/);
    assert.deepEqual(runtimes.filter((runtime) => runtime.key === 'cpp').map((runtime) => [runtime.$id, runtime.version]), [['cpp-17', '17'], ['cpp-20', '20']]);
  });

  test("fails a build that does not compile, with the compiler's message in its log", async (t) => {
    if (!failures) return t.skip(`not all offered here: ${CASES.map(({ runtime }) => runtime).join(', ')}`);
    const [cpp, rust] = await failures;
    assert.equal(cpp.deployment.status, 'failed');
    assert.match(cpp.deployment.buildLogs, /src\/main\.cc:\d+:\d+: error: invalid conversion from .const char\*. to .int./);
    assert.match(cpp.deployment.buildLogs, /Compiling the function failed/);
    assert.equal(rust.deployment.status, 'failed');
    assert.match(rust.deployment.buildLogs, /error\[E0308\]: mismatched types/);
    assert.match(rust.deployment.buildLogs, /src\/lib\.rs:\d+:\d+/);
    assert.match(rust.deployment.buildLogs, /Compiling the function failed/);
  });

  test('Rust builds start from crates compiled once per toolchain, which no deployment can change', async (t) => {
    const rust = deployed.get('rust-1.83');
    if (!rust || 'skip' in rust) return t.skip('rust-1.83 is not available on this host');
    const deployment = await functions.getDeployment({ functionId: rust.functionId, deploymentId: rust.deploymentId });
    assert.match(deployment.buildLogs, /Reusing the crates compiled by an earlier build/);
    const caches = join(testRuntimesDir(), 'build-caches');
    for (const cache of readdirSync(caches).filter((name) => name.startsWith('rust-'))) {
      assert.ok(!existsSync(join(caches, cache, 'release/deps/libserde-planted.rlib')));
    }
  });
});
