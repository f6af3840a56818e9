// @engine-independent: each runtime is tested for its contract, which no engine changes; the functions tests cover both engines.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Functions, ID } from 'node-appwrite';
import { TestServer } from '../support/plinth.js';
import { testRuntimesDir } from '../support/runtimes-cache.js';
import { rejectsWith, sdkClient } from '../support/sdk.js';
import { GO_CONFORMANCE, JAVA_CONFORMANCE, JS_CONFORMANCE, PHP_CONFORMANCE, PYTHON_CONFORMANCE, PYTHON_ML_CONFORMANCE, RUBY_CONFORMANCE } from './conformance-functions.js';
import { deployConformance, describeConformance, testTimeouts, type ConformanceCode as Code, type ConformanceState, type Deployed } from './conformance-suite.js';
import { deployFunction } from './deploy.js';
import { BUNDLER_DEPENDENCY_FUNCTION, COMPOSER_DEPENDENCY_FUNCTION, npmDependencyFunction, packGreetingPackage } from './fixtures.js';

const PROJECT = 'runtimes';
const JS: Code = { files: { 'package.json': JSON.stringify({ name: 'conformance', type: 'module' }), 'src/main.js': JS_CONFORMANCE }, entrypoint: 'src/main.js' };
const PYTHON: Code = { files: { 'src/main.py': PYTHON_CONFORMANCE }, entrypoint: 'src/main.py' };
const PYTHON_ML: Code = { files: { 'src/main.py': PYTHON_ML_CONFORMANCE }, entrypoint: 'src/main.py' };
const PHP: Code = { files: { 'src/index.php': PHP_CONFORMANCE }, entrypoint: 'src/index.php' };
const RUBY: Code = { files: { 'lib/main.rb': RUBY_CONFORMANCE }, entrypoint: 'lib/main.rb' };
const GO: Code = { files: { 'go.mod': 'module example.com/conformance\n\ngo 1.19\n', 'handler/main.go': GO_CONFORMANCE }, entrypoint: 'handler/main.go' };
const JAVA: Code = { files: { 'src/Main.java': JAVA_CONFORMANCE }, entrypoint: 'src/Main.java' };

/**
 * One runtime per family and the oldest and newest of those fetched: the machine's Node, Node
 * majors, Bun and Deno from the npm registry (cached across runs, see testRuntimesDir), Debian's
 * Python, PHP, Ruby, Go and Java (the last two compiled at build).
 */
const CASES: Array<{ runtime: string; code: Code }> = [
  { runtime: 'node-20.0', code: JS },
  { runtime: 'node-14.5', code: JS },
  { runtime: 'node-25', code: JS },
  { runtime: 'bun-1.0', code: JS },
  { runtime: 'bun-1.3', code: JS },
  { runtime: 'deno-1.46', code: JS },
  { runtime: 'deno-2.6', code: JS },
  { runtime: 'python-3.11', code: PYTHON },
  { runtime: 'python-ml-3.11', code: PYTHON_ML },
  { runtime: 'php-8.2', code: PHP },
  { runtime: 'ruby-3.1', code: RUBY },
  { runtime: 'go-1.19', code: GO },
  { runtime: 'java-17.0', code: JAVA },
];

const LANGUAGE_TOOL_RUNTIMES = ['php-8.2', 'ruby-3.1', 'go-1.19', 'java-17.0'];

/** Composer and Bundler installing from the deployment's own folders, and the ways Go and Java builds fail. */
function buildWithLanguageTools(functions: Functions) {
  const goTypeError = GO_CONFORMANCE.replace('req := Context.Req', 'req := Context.Req\n\tvar count int = "many"');
  const javaTypeError = JAVA_CONFORMANCE.replace('RuntimeRequest req =', 'int count = "many";\n        RuntimeRequest req =');
  return Promise.all([
    deployFunction(functions, { runtime: 'php-8.2', files: COMPOSER_DEPENDENCY_FUNCTION, entrypoint: 'index.php', commands: 'composer install --no-interaction' }),
    deployFunction(functions, { runtime: 'ruby-3.1', files: BUNDLER_DEPENDENCY_FUNCTION, entrypoint: 'main.rb', commands: 'bundle install' }),
    deployFunction(functions, { runtime: 'go-1.19', files: { ...GO.files, 'handler/main.go': goTypeError }, entrypoint: GO.entrypoint }),
    deployFunction(functions, { runtime: 'go-1.19', files: { ...GO.files, 'go.mod': 'module example.com/newer\n\ngo 1.99\n' }, entrypoint: GO.entrypoint }),
    deployFunction(functions, { runtime: 'java-17.0', files: { 'src/Main.java': javaTypeError }, entrypoint: JAVA.entrypoint }),
  ]);
}

/** The same requests through node-appwrite against every runtime, expecting the same answers. */
describe('every runtime answers the Open Runtimes contract alike', () => {
  let server: TestServer;
  let functions: Functions;
  let offered: Set<string>;
  /** Each runtime's deployed function, or why it was skipped. */
  const deployed: Deployed = new Map();
  const state = (): ConformanceState => ({ server, functions, project: PROJECT, deployed });
  let languageToolBuilds: ReturnType<typeof buildWithLanguageTools> | undefined;

  before(async () => {
    server = await TestServer.start({ env: { PLINTH_FUNCTIONS_RUNTIMES_DIR: testRuntimesDir() } });
    await server.createProject(PROJECT);
    functions = new Functions(sdkClient(server, PROJECT, await server.createKey(PROJECT)));
    offered = new Set((await functions.listRuntimes()).runtimes.map((runtime) => runtime.$id));
    // Started now, to build beside the others; their test awaits them.
    if (LANGUAGE_TOOL_RUNTIMES.every((runtime) => offered.has(runtime))) {
      languageToolBuilds = buildWithLanguageTools(functions);
      languageToolBuilds.catch(() => {});
    }
    // Built side by side: a runtime this host has not fetched yet is downloaded once, into the shared cache.
    await deployConformance(functions, offered, CASES, deployed);
  });
  after(() => server?.stop());

  for (const { runtime } of CASES) {
    describeConformance(runtime, state, runtime === 'python-ml-3.11' ? (run, ready) => {
      test('has NumPy, pandas and scikit-learn', async (t) => {
        if (!ready(t)) return;
        const fitted = await run('/ml');
        assert.deepEqual(JSON.parse(fitted.responseBody), { mean: 4, slope: 2 }, fitted.errors);
      });
    } : undefined);
  }

  testTimeouts(state);

  // Side by side: an old Node.js with the npm it runs (the host's refuses it), Bun's own installer, and a failing command.
  test('builds with the runtime\'s own tools, and a failed build keeps its log', async (t) => {
    const wanted = ['node-14.5', 'bun-1.3', 'node-25'];
    const missing = wanted.filter((runtime) => !('functionId' in (deployed.get(runtime) ?? {})));
    if (missing.length > 0) return t.skip(`not deployed here: ${missing.join(', ')}`);
    const files = npmDependencyFunction(await packGreetingPackage());
    const [node, bun, failing] = await Promise.all([
      deployFunction(functions, { runtime: 'node-14.5', files, entrypoint: 'src/main.js', commands: 'node --version && npm --version && npm install' }),
      deployFunction(functions, { runtime: 'bun-1.3', files, entrypoint: 'src/main.js', commands: 'bun --version && bun install' }),
      deployFunction(functions, { runtime: 'node-25', ...JS, commands: 'echo about to fail && exit 3' }),
    ]);
    assert.equal(node.deployment.status, 'ready', node.deployment.buildLogs);
    assert.match(node.deployment.buildLogs, /^v14\./m);
    assert.match(node.deployment.buildLogs, /^6\./m);
    assert.equal(bun.deployment.status, 'ready', bun.deployment.buildLogs);
    assert.match(bun.deployment.buildLogs, /^1\.3\./m);
    for (const built of [node, bun]) {
      const execution = await functions.createExecution({ functionId: built.functionId });
      assert.equal(JSON.parse(execution.responseBody).greeting, 'Hello, sandbox, from plinth-greeting', execution.errors);
    }
    assert.equal(failing.deployment.status, 'failed');
    assert.match(failing.deployment.buildLogs, /about to fail/);
    assert.match(failing.deployment.buildLogs, /exited with code 3/);
  });

  test('builds PHP with Composer and Ruby with Bundler; Go and Java builds fail with the compiler\'s (or Go\'s version) reason in their log', async (t) => {
    if (!languageToolBuilds) return t.skip(`not all offered here: ${LANGUAGE_TOOL_RUNTIMES.join(', ')}`);
    const [php, ruby, wrong, newer, javaWrong] = await languageToolBuilds;
    for (const built of [php, ruby]) {
      assert.equal(built.deployment.status, 'ready', built.deployment.buildLogs);
      const execution = await functions.createExecution({ functionId: built.functionId });
      assert.deepEqual(JSON.parse(execution.responseBody), { greeting: built === php ? 'Hello, sandbox, from plinth/greeting' : 'Hello, sandbox, from plinth-greeting' }, execution.errors);
    }
    assert.match(php.deployment.buildLogs, /Installing plinth\/greeting/);
    assert.match(ruby.deployment.buildLogs, /Bundle complete/);
    assert.equal(wrong.deployment.status, 'failed');
    assert.match(wrong.deployment.buildLogs, /handler\/main\.go:\d+:\d+: .*cannot use "many"/);
    assert.match(wrong.deployment.buildLogs, /Compiling the function failed/);
    assert.equal(newer.deployment.status, 'failed');
    assert.match(newer.deployment.buildLogs, /go\.mod asks for Go 1\.99; this runtime has Go 1\.19/);
    assert.equal(javaWrong.deployment.status, 'failed');
    assert.match(javaWrong.deployment.buildLogs, /src\/Main\.java:\d+: error: incompatible types: String cannot be converted to int/);
  });

  test('lists every runtime this host offers, and refuses one it lacks with a reason', async () => {
    for (const id of ['node-14.5', 'node-16.0', 'node-18.0', 'node-19.0', 'node-20.0', 'node-21.0', 'node-22', 'node-23', 'node-24', 'node-25', 'bun-1.0', 'bun-1.3', 'deno-1.46', 'deno-2.0', 'deno-2.5', 'deno-2.6']) {
      assert.ok(offered.has(id), `${id} is offered`);
    }
    await rejectsWith(functions.create({ functionId: ID.unique(), name: 'unknown', runtime: 'dart-3.5' as never }), 404, 'function_runtime_unsupported');
    await assert.rejects(functions.create({ functionId: ID.unique(), name: 'unknown', runtime: 'dart-3.5' as never }), /has no dart runtime/);
    for (const id of LANGUAGE_TOOL_RUNTIMES) assert.ok(offered.has(id), `${id} is offered`);
    await assert.rejects(functions.create({ functionId: ID.unique(), name: 'newer go', runtime: 'go-1.23' as never }), /needs Go 1\.23; this server's Go is go-1\.19/);
    if (!offered.has('python-3.12')) {
      await assert.rejects(functions.create({ functionId: ID.unique(), name: 'missing', runtime: 'python-3.12' as never }), /needs \/usr\/bin\/python3\.12/);
    }
  });
});
