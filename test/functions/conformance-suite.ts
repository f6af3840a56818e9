/**
 * The conformance suite: the same requests through node-appwrite against each runtime's conformance
 * function (conformance-functions.ts), expecting the same answers. Test files deploy the functions
 * (deployConformance) and describe each runtime (describeConformance) and the timeouts of all.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ExecutionMethod, type Functions, type Models } from 'node-appwrite';
import type { TestServer } from '../support/plinth.js';
import { deployFunction, waitForExecution } from './deploy.js';

export interface ConformanceCode {
  files: Record<string, string>;
  entrypoint: string;
}

/** Each runtime's deployed function, or why it was skipped. */
export type Deployed = Map<string, { functionId: string; deploymentId: string } | { skip: string }>;

/** What the tests read once the file's `before` has run. */
export interface ConformanceState {
  server: TestServer;
  functions: Functions;
  project: string;
  deployed: Deployed;
}

/** Builds every case side by side (a runtime this host lacks is skipped, one it could not fetch too). */
export async function deployConformance(functions: Functions, offered: Set<string>, cases: Array<{ runtime: string; code: ConformanceCode }>, deployed: Deployed): Promise<void> {
  await Promise.all(
    cases.map(async ({ runtime, code }) => {
      if (!offered.has(runtime)) return deployed.set(runtime, { skip: `${runtime} is not available on this host` });
      const built = await deployFunction(functions, { runtime, ...code, timeout: 2, scopes: ['functions.read'] });
      if (built.deployment.status !== 'ready') {
        if (/could not be prepared/.test(built.deployment.buildLogs)) return deployed.set(runtime, { skip: `${runtime} could not be fetched: ${built.deployment.buildLogs.trim()}` });
        assert.fail(`${runtime} failed to build: ${built.deployment.buildLogs}`);
      }
      deployed.set(runtime, { functionId: built.functionId, deploymentId: built.deployment.$id });
    }),
  );
}

const contentType = (execution: Models.Execution) => execution.responseHeaders.find((header) => header.name === 'content-type')?.value;

/** The runtime's conformance tests; `extra` adds tests of its own inside its describe. */
export function describeConformance(runtime: string, state: () => ConformanceState, extra?: (run: (path: string) => Promise<Models.Execution>, ready: (t: { skip: (message: string) => void }) => boolean) => void): void {
  describe(runtime, () => {
    let functionId = '';
    let deploymentId = '';
    const run = (path: string, options: { method?: ExecutionMethod; body?: string; headers?: Record<string, string>; async?: boolean } = {}) =>
      state().functions.createExecution({ functionId, xpath: path, method: options.method ?? ExecutionMethod.POST, body: options.body ?? '', headers: options.headers ?? {}, async: options.async ?? false });
    const ready = (t: { skip: (message: string) => void }): boolean => {
      const entry = state().deployed.get(runtime);
      if (!entry || 'skip' in entry) {
        const reason = entry && 'skip' in entry ? entry.skip : `${runtime} was not deployed`;
        console.log(`skipping ${runtime}: ${reason}`);
        t.skip(reason);
        return false;
      }
      ({ functionId, deploymentId } = entry);
      return true;
    };

    test('describes the request, its headers and the environment', async (t) => {
      if (!ready(t)) return;
      const execution = await run('/echo?a=1&b=two', { method: ExecutionMethod.PUT, body: '{"n":1}', headers: { 'content-type': 'application/json', 'x-custom': 'mine' } });
      assert.equal(execution.status, 'completed', execution.errors);
      assert.equal(execution.responseStatusCode, 201);
      assert.equal(contentType(execution), 'application/json');
      const answer = JSON.parse(execution.responseBody);
      assert.deepEqual(
        { ...answer, host: undefined, port: undefined, url: undefined },
        {
          method: 'PUT',
          path: '/echo',
          query: { a: '1', b: 'two' },
          queryString: 'a=1&b=two',
          scheme: 'http',
          bodyText: '{"n":1}',
          body: { n: 1 },
          custom: 'mine',
          trigger: 'http',
          hasKey: true,
          secretHidden: true,
          env: { id: functionId, project: state().project, deployment: deploymentId },
          host: undefined,
          port: undefined,
          url: undefined,
        },
      );
      assert.equal(answer.url, `http://${answer.host}${answer.port === 80 ? '' : `:${answer.port}`}/echo?a=1&b=two`);
      assert.match(execution.logs, /path \/echo/);
      assert.match(execution.logs, /console says \{"n":1\}/);
      assert.match(execution.errors, /console complains/);
    });

    test('takes text bodies as text and answers binary byte for byte', async (t) => {
      if (!ready(t)) return;
      const text = await run('/echo', { body: 'plain words', headers: { 'content-type': 'text/plain' } });
      assert.equal(JSON.parse(text.responseBody).body, 'plain words');
      const binary = await run('/binary', { body: 'abc\u00e9', headers: { 'content-type': 'application/octet-stream' } });
      assert.equal(binary.responseStatusCode, 200, binary.errors);
      assert.equal(contentType(binary), 'application/octet-stream');
      const reversed = Buffer.from('abc\u00e9', 'utf8').reverse();
      assert.equal(binary.responseBody, reversed.toString('utf8'));
    });

    test('calls the Plinth API with the injected key, sync and async', async (t) => {
      if (!ready(t)) return;
      const sync = await run('/api', { body: '{"ask":"name"}', headers: { 'content-type': 'application/json' } });
      assert.deepEqual(JSON.parse(sync.responseBody), { status: 200, name: 'test function', asked: 'name' }, sync.errors);
      const queued = await run('/api', { body: '{"ask":"later"}', headers: { 'content-type': 'application/json' }, async: true });
      assert.equal(queued.status, 'waiting');
      const done: Models.Execution = await waitForExecution(state().functions, functionId, queued.$id);
      assert.equal(done.status, 'completed', done.errors);
      assert.match(done.logs, /path \/api/);
    });

    test('redirects, answers empty, and fails with 500 on a throw or a missing return', async (t) => {
      if (!ready(t)) return;
      assert.equal((await run('/redirect')).responseStatusCode, 302);
      const empty = await run('/empty');
      assert.equal(empty.responseStatusCode, 204);
      assert.equal(empty.responseBody, '');
      const thrown = await run('/throw');
      assert.equal(thrown.status, 'failed');
      assert.equal(thrown.responseStatusCode, 500);
      assert.match(thrown.errors, /thrown on purpose/);
      const none = await run('/none');
      assert.equal(none.responseStatusCode, 500);
      assert.match(none.errors, /Return statement missing/);
      const unknown = await run('/nowhere', { method: ExecutionMethod.GET });
      assert.equal(unknown.responseStatusCode, 404);
      assert.match(unknown.errors, /unknown path \/nowhere/);
    });

    test('sees none of the host: not the data directory', async (t) => {
      if (!ready(t)) return;
      const read = await run(`/read?dir=${encodeURIComponent(state().server.dataDir)}`);
      assert.deepEqual(JSON.parse(read.responseBody), { failure: 'ENOENT' }, read.errors);
    });

    extra?.((path) => run(path), ready);
  });
}

/** All at once: each waits for its function's timeout. */
export function testTimeouts(state: () => ConformanceState): void {
  test('every runtime stops an execution at its timeout', async () => {
    const running = [...state().deployed].flatMap(([runtime, entry]) => ('functionId' in entry ? [{ runtime, functionId: entry.functionId }] : []));
    const outcomes = await Promise.all(
      running.map(async ({ runtime, functionId }) => {
        const slow = await state().functions.createExecution({ functionId, xpath: '/sleep' });
        return { runtime, status: slow.status, code: slow.responseStatusCode, timedOut: /Execution timed out\./.test(slow.errors) };
      }),
    );
    assert.deepEqual(outcomes, running.map(({ runtime }) => ({ runtime, status: 'failed', code: 500, timedOut: true })));
  });
}
