import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Account, Client, Functions, ExecutionMethod, ExecutionStatus, ID, Project, Teams, Users } from 'node-appwrite';
import { TestServer } from '../support/plinth.js';
import { rejectsWith, sdkClient } from '../support/sdk.js';
import { signUpUser } from '../databases/helpers.js';
import { NODE_BUILT, NODE_ECHO, NODE_STARTER, NODE_SYNTAX_ERROR, npmDependencyFunction, packGreetingPackage, PYTHON_ECHO } from './fixtures.js';
import { deployFunction, rawRequest, waitForBuild, waitForExecution } from './deploy.js';

const PROJECT = 'runner';

describe('function executions', () => {
  let server: TestServer;
  let key: string;
  let functions: Functions;
  let echoId: string;

  before(async () => {
    server = await TestServer.start();
    await server.createProject(PROJECT);
    key = await server.createKey(PROJECT);
    functions = new Functions(sdkClient(server, PROJECT, key));
    const echo = await deployFunction(functions, { runtime: 'node-20.0', files: NODE_ECHO, entrypoint: 'index.js', execute: ['users'], timeout: 1, scopes: ['users.read'] });
    assert.equal(echo.deployment.status, 'ready', echo.deployment.buildLogs);
    echoId = echo.functionId;
  });
  after(() => server?.stop());

  test('runs the Node starter as it is: JSON, text on /ping, logs', async () => {
    const { functionId, deployment } = await deployFunction(functions, { runtime: 'node-20.0', files: NODE_STARTER, entrypoint: 'src/main.js' });
    assert.equal(deployment.status, 'ready', deployment.buildLogs);
    const json = await functions.createExecution({ functionId, method: ExecutionMethod.GET, xpath: '/' });
    assert.equal(json.status, ExecutionStatus.Completed, json.errors);
    assert.equal(json.responseStatusCode, 200);
    assert.equal(JSON.parse(json.responseBody).greeting, 'Hello from Plinth');
    assert.deepEqual(json.responseHeaders.map((h) => h.name), ['content-type', 'content-length'].filter((n) => json.responseHeaders.some((h) => h.name === n)));
    assert.ok(json.responseHeaders.some((h) => h.name === 'content-type' && h.value.startsWith('application/json')));
    assert.match(json.logs, /Starter called: GET \//);
    assert.equal(json.errors, '', 'an API key was injected');
    assert.equal(json.trigger, 'http');
    assert.equal(json.deploymentId, deployment.$id);
    assert.ok(json.duration > 0);

    const ping = await functions.createExecution({ functionId, method: ExecutionMethod.GET, xpath: '/ping' });
    assert.equal(ping.responseBody, 'Pong');
  });

  test('hands the request over and loads the entrypoint once per warm process', async () => {
    const first = await functions.createExecution({
      functionId: echoId,
      body: JSON.stringify({ hello: 'world' }),
      method: ExecutionMethod.PUT,
      xpath: '/items?color=blue&size=2',
      headers: { 'content-type': 'application/json', 'x-custom': 'value', 'x-appwrite-user-id': 'forged' },
    });
    assert.equal(first.status, 'completed', first.errors);
    const answer = JSON.parse(first.responseBody);
    assert.equal(answer.method, 'PUT');
    assert.equal(answer.path, '/items');
    assert.deepEqual(answer.query, { color: 'blue', size: '2' });
    assert.equal(answer.queryString, 'color=blue&size=2');
    assert.deepEqual(answer.body, { hello: 'world' });
    assert.equal(answer.headers['x-custom'], 'value');
    assert.equal(answer.headers['x-appwrite-trigger'], 'http');
    assert.equal(answer.headers['x-appwrite-execution-id'], first.$id);
    assert.equal(answer.headers['x-appwrite-user-id'], '', 'callers cannot forge the injected headers');
    assert.match(answer.headers['x-appwrite-key'], /^ephemeral_/);
    assert.equal(answer.headers['x-open-runtimes-secret'], undefined);
    assert.equal(answer.env.functionId, echoId);
    assert.equal(answer.env.projectId, PROJECT);
    assert.equal(answer.env.runtime, 'Node.js');
    assert.equal(answer.env.secretKept, 'visible');
    assert.equal(answer.env.serverSecret, null);
    assert.equal(first.requestMethod, 'PUT');
    assert.equal(first.requestPath, '/items?color=blue&size=2');
    assert.ok(first.requestHeaders.some((h) => h.name === 'x-custom' && h.value === 'value'));
    assert.ok(!first.requestHeaders.some((h) => h.name.startsWith('x-appwrite-')));
    assert.ok(!first.responseHeaders.some((h) => h.name === 'x-dropped'), 'only content-type and content-length are kept');
    assert.match(first.logs, /echo PUT \/items/);
    assert.match(first.logs, /from console.log/);
    assert.match(first.errors, /from console.error/);

    const second = await functions.createExecution({ functionId: echoId });
    assert.equal(JSON.parse(second.responseBody).loads, 1, 'the module was loaded once');

    // The injected key carries the function's scopes, and only those.
    const injected = new Users(sdkClient(server, PROJECT, answer.headers['x-appwrite-key']));
    assert.ok((await injected.list()).total >= 0);
    await rejectsWith(injected.create({ userId: ID.unique(), email: 'nope@example.com' }), 401, 'general_unauthorized_scope');
  });

  test('a thrown error and a missing return fail with 500; redirect and empty answer', async () => {
    const thrown = await functions.createExecution({ functionId: echoId, xpath: '/throw' });
    assert.equal(thrown.status, 'failed');
    assert.equal(thrown.responseStatusCode, 500);
    assert.match(thrown.errors, /thrown on purpose/);

    const none = await functions.createExecution({ functionId: echoId, xpath: '/none' });
    assert.equal(none.status, 'failed');
    assert.equal(none.responseStatusCode, 500);
    assert.match(none.errors, /Return statement missing/);

    const long = await functions.createExecution({ functionId: echoId, xpath: '/long-log' });
    assert.ok(long.logs.includes('x'.repeat(20000)), 'long logs arrive whole');
    assert.ok(long.errors.includes('y'.repeat(30000)));

    const redirect = await functions.createExecution({ functionId: echoId, xpath: '/redirect' });
    assert.equal(redirect.responseStatusCode, 302);
    const empty = await functions.createExecution({ functionId: echoId, xpath: '/empty' });
    assert.equal(empty.responseStatusCode, 204);
    assert.equal(empty.status, 'completed');
  });

  test('a syntax error answers 503 with the load error', async () => {
    const { functionId } = await deployFunction(functions, { runtime: 'node-20.0', files: NODE_SYNTAX_ERROR, entrypoint: 'index.js' });
    const execution = await functions.createExecution({ functionId });
    assert.equal(execution.status, 'failed');
    assert.equal(execution.responseStatusCode, 503);
    assert.match(execution.errors, /SyntaxError/);
  });

  test('an execution past its timeout fails, and a busy loop is stopped', async () => {
    const slow = await functions.createExecution({ functionId: echoId, xpath: '/sleep' });
    assert.equal(slow.status, 'failed');
    assert.equal(slow.responseStatusCode, 500);
    assert.match(slow.errors, /Execution timed out/);

    const busy = await functions.createExecution({ functionId: echoId, xpath: '/busy' });
    assert.equal(busy.status, 'failed');
    assert.match(busy.errors, /Execution timed out/);
    // A fresh process answers afterwards.
    const after = await functions.createExecution({ functionId: echoId });
    assert.equal(after.status, 'completed', after.errors);
  });

  test('a process-starting loop and a fork bomb stop at the process limit; the server keeps serving', async () => {
    const loop = await functions.createExecution({ functionId: echoId, xpath: '/fork' });
    // Either the code sees its process starts refused, or its runtime dies of it (Node cannot start a thread).
    if (loop.status === 'completed') {
      const outcome = JSON.parse(loop.responseBody) as { started: number; failure: string | null };
      assert.ok(outcome.failure, 'starting processes failed at some point');
      assert.ok(outcome.started < 256, `at most the limit of processes started (${outcome.started})`);
    } else {
      assert.match(loop.errors, /runtime failed|timed out/i);
    }

    const bomb = await functions.createExecution({ functionId: echoId, xpath: '/fork-bomb' });
    assert.equal(bomb.status, 'failed');
    assert.match(bomb.errors, /runtime failed|timed out/i);
    const health = await fetch(`${server.endpoint}/health/version`);
    assert.equal(health.status, 200);
    const after = await functions.createExecution({ functionId: echoId });
    assert.equal(after.status, 'completed', after.errors);
  });

  test('runs a standard-library Python function', async () => {
    const { functionId, deployment } = await deployFunction(functions, { runtime: 'python-3.11', files: PYTHON_ECHO, entrypoint: 'src/main.py' });
    assert.equal(deployment.status, 'ready', deployment.buildLogs);
    const execution = await functions.createExecution({
      functionId,
      body: '{"n":1}',
      xpath: '/?q=python',
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(execution.status, 'completed', execution.errors);
    const answer = JSON.parse(execution.responseBody);
    assert.equal(answer.runtime, 'python');
    assert.match(answer.version, /^3\.11/);
    assert.deepEqual(answer.query, { q: 'python' });
    assert.deepEqual(answer.body, { n: 1 });
    assert.equal(answer.trigger, 'http');
    assert.match(execution.logs, /python got POST \//);
    assert.match(execution.logs, /from print/);

    const text = await functions.createExecution({ functionId, xpath: '/text' });
    assert.equal(text.responseStatusCode, 201);
    assert.equal(text.responseBody, 'plain text');
    const thrown = await functions.createExecution({ functionId, xpath: '/throw' });
    assert.equal(thrown.status, 'failed');
    assert.match(thrown.errors, /python failed on purpose/);

    // With logging off, executions keep neither logs nor errors.
    await functions.update({ functionId, name: 'quiet', logging: false });
    const quiet = await functions.createExecution({ functionId, xpath: '/throw' });
    assert.equal(quiet.status, 'failed');
    assert.equal(quiet.logs, '');
    assert.equal(quiet.errors, '');
  });

  test('build commands run in the sandbox, and a failed build keeps its log', async () => {
    const built = await deployFunction(functions, { runtime: 'node-20.0', files: NODE_BUILT, entrypoint: 'built.js', commands: 'node build.js' });
    assert.equal(built.deployment.status, 'ready', built.deployment.buildLogs);
    assert.match(built.deployment.buildLogs, /build step ran/);
    const execution = await functions.createExecution({ functionId: built.functionId });
    assert.equal(execution.responseBody, 'made by the build step');

    const failing = await deployFunction(functions, { runtime: 'node-20.0', files: NODE_BUILT, entrypoint: 'built.js', commands: 'echo the build broke >&2; exit 3' });
    assert.equal(failing.deployment.status, 'failed');
    assert.match(failing.deployment.buildLogs, /the build broke/);
    await rejectsWith(functions.createExecution({ functionId: failing.functionId }), 404, 'deployment_not_found');
  });

  test('a build command installs an npm dependency in the sandbox, and the function imports it', async () => {
    const files = npmDependencyFunction(await packGreetingPackage());
    const { functionId, deployment } = await deployFunction(functions, { runtime: 'node-20.0', files, entrypoint: 'src/main.js', commands: 'npm install' });
    assert.equal(deployment.status, 'ready', deployment.buildLogs);
    assert.match(deployment.buildLogs, /\$ npm install/);
    assert.match(deployment.buildLogs, /added 1 package/);
    const execution = await functions.createExecution({ functionId });
    assert.equal(execution.status, 'completed', execution.errors);
    const answer = JSON.parse(execution.responseBody) as { greeting: string; loadedFrom: string };
    assert.equal(answer.greeting, 'Hello, sandbox, from plinth-greeting');
    assert.match(answer.loadedFrom, /\/node_modules\/plinth-greeting\/index\.js$/);
  });

  test('async executions are queued (202) and finish in the background', async () => {
    const queued = await functions.createExecution({ functionId: echoId, async: true, xpath: '/queued' });
    assert.ok(queued.status === 'waiting' || queued.status === 'processing');
    const done = await waitForExecution(functions, echoId, queued.$id);
    assert.equal(done.status, 'completed', done.errors);
    assert.equal(done.responseStatusCode, 200);
    assert.equal(done.responseBody, '', 'async executions keep no response body');
    assert.match(done.logs, /echo POST \/queued/);

    const list = await functions.listExecutions({ functionId: echoId });
    assert.ok(list.total >= 2);
    assert.ok(list.executions.some((e) => e.$id === queued.$id));
  });

  test('execute roles decide who may run a function', async () => {
    const guest = new Functions(sdkClient(server, PROJECT));
    await rejectsWith(guest.createExecution({ functionId: echoId }), 401, 'user_unauthorized');

    const user = await signUpUser(server, PROJECT, key, 'Runner');
    const asUser = new Functions(user.client);
    const execution = await asUser.createExecution({ functionId: echoId });
    assert.equal(execution.status, 'completed', execution.errors);
    const headers = JSON.parse(execution.responseBody).headers;
    assert.equal(headers['x-appwrite-user-id'], user.userId);
    // The injected JWT signs in as the caller.
    const account = new Account(new Client().setEndpoint(server.endpoint).setProject(PROJECT).setJWT(headers['x-appwrite-user-jwt']));
    assert.equal((await account.get()).$id, user.userId);
    assert.deepEqual(execution.$permissions, [`read("user:${user.userId}")`]);
    const mine = await asUser.getExecution({ functionId: echoId, executionId: execution.$id });
    assert.equal(mine.$id, execution.$id);
    const listed = await asUser.listExecutions({ functionId: echoId });
    assert.ok(listed.executions.every((e) => e.$permissions.includes(`read("user:${user.userId}")`)));
  });

  test('a team role in execute lets the team\'s members run the function', async () => {
    const { functionId } = await deployFunction(functions, { runtime: 'node-20.0', files: NODE_ECHO, entrypoint: 'index.js', execute: ['team:crew'] });
    const member = await signUpUser(server, PROJECT, key, 'Member');
    const outsider = await signUpUser(server, PROJECT, key, 'Outsider');
    await new Teams(member.client).create({ teamId: 'crew', name: 'Crew' });
    const execution = await new Functions(member.client).createExecution({ functionId });
    assert.equal(execution.status, 'completed', execution.errors);
    await rejectsWith(new Functions(outsider.client).createExecution({ functionId }), 401, 'user_unauthorized');
  });

  test('servers delete finished executions; users and guests cannot', async () => {
    const execution = await functions.createExecution({ functionId: echoId });
    const user = await signUpUser(server, PROJECT, key, 'Deleter');
    await rejectsWith(new Functions(user.client).deleteExecution({ functionId: echoId, executionId: execution.$id }), 401, 'user_unauthorized');
    await functions.deleteExecution({ functionId: echoId, executionId: execution.$id });
    await rejectsWith(functions.getExecution({ functionId: echoId, executionId: execution.$id }), 404, 'execution_not_found');
    await rejectsWith(functions.deleteExecution({ functionId: echoId, executionId: execution.$id }), 404, 'execution_not_found');
  });

  test('variables reach the code; secret values are never returned', async () => {
    const variable = await functions.createVariable({ functionId: echoId, variableId: 'greeting', key: 'GREETING', value: 'hello from a variable', secret: true });
    assert.equal(variable.value, '');
    assert.equal(variable.secret, true);
    const execution = await functions.createExecution({ functionId: echoId });
    assert.equal(JSON.parse(execution.responseBody).env.greeting, 'hello from a variable');
    const listed = await functions.listVariables({ functionId: echoId });
    assert.ok(listed.variables.every((v) => v.value === ''));
    // Project variables reach every function; the function's own win on the same key.
    const project = new Project(sdkClient(server, PROJECT, key));
    await project.createVariable({ variableId: 'project-wide', key: 'PROJECT_WIDE', value: 'shared', secret: true });
    await project.createVariable({ variableId: 'project-greeting', key: 'GREETING', value: 'overridden by the function' });
    const again = await functions.createExecution({ functionId: echoId });
    const env = JSON.parse(again.responseBody).env;
    assert.equal(env.projectWide, 'shared');
    assert.equal(env.greeting, 'hello from a variable');
  });

  test('plain HTTP calls reach functions anyone may run, with method, path, query, headers and body', async () => {
    const { functionId } = await deployFunction(functions, { runtime: 'node-20.0', files: NODE_ECHO, entrypoint: 'index.js', execute: ['any'] });
    const response = await fetch(`${server.endpoint}/functions/${functionId}/run/orders/7?project=${PROJECT}&expand=1`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', 'x-trace': 'abc' },
      body: JSON.stringify({ quantity: 3 }),
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('x-dropped'), 'yes', 'the function\'s own headers come back');
    const answer = (await response.json()) as { method: string; path: string; query: object; body: object; headers: Record<string, string> };
    assert.equal(answer.method, 'PATCH');
    assert.equal(answer.path, '/orders/7');
    assert.deepEqual(answer.query, { expand: '1' });
    assert.deepEqual(answer.body, { quantity: 3 });
    assert.equal(answer.headers['x-trace'], 'abc');
    assert.equal(answer.headers['x-appwrite-trigger'], 'http');

    const redirect = await fetch(`${server.endpoint}/functions/${functionId}/run/redirect`, { headers: { 'x-appwrite-project': PROJECT }, redirect: 'manual' });
    assert.equal(redirect.status, 302);
    assert.equal(redirect.headers.get('location'), 'https://example.com/next');

    const recorded = await functions.listExecutions({ functionId });
    assert.equal(recorded.total, 2, 'each call is recorded as an execution');

    // A function only servers or users may run does not answer plain calls.
    const closed = await fetch(`${server.endpoint}/functions/${echoId}/run?project=${PROJECT}`);
    assert.equal(closed.status, 401);
    assert.equal(((await closed.json()) as { type: string }).type, 'function_execute_permission_missing');
    const unknown = await fetch(`${server.endpoint}/functions/missing/run?project=${PROJECT}`);
    assert.equal(unknown.status, 404);
  });

  test('a function answers on its own host name, without naming the project', async () => {
    const { functionId } = await deployFunction(functions, { runtime: 'node-20.0', files: NODE_ECHO, entrypoint: 'index.js', execute: ['any'] });
    const host = `${functionId}.functions.localhost`;
    const response = await rawRequest(server.endpoint, host, '/orders/7?expand=1&project=kept', {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'x-trace': 'abc', 'x-appwrite-project': 'someone-else' },
      body: JSON.stringify({ quantity: 3 }),
    });
    assert.equal(response.status, 200, response.body);
    assert.equal(response.headers['x-dropped'], 'yes');
    const answer = JSON.parse(response.body) as { method: string; path: string; query: object; body: object; headers: Record<string, string>; env: { projectId: string } };
    assert.equal(answer.method, 'PUT');
    assert.equal(answer.path, '/orders/7');
    assert.deepEqual(answer.query, { expand: '1', project: 'kept' }, 'the whole query is the function\'s');
    assert.deepEqual(answer.body, { quantity: 3 });
    assert.equal(answer.headers['x-trace'], 'abc');
    assert.equal(answer.headers['x-appwrite-trigger'], 'http');
    assert.equal(answer.env.projectId, PROJECT);

    // The root path, with a port in the host; `/v1/...` paths belong to the function too.
    const root = await rawRequest(server.endpoint, `${host}:8080`, '/');
    assert.equal(JSON.parse(root.body).path, '/');
    const apiLike = await rawRequest(server.endpoint, host, '/v1/account');
    assert.equal(JSON.parse(apiLike.body).path, '/v1/account');

    const closed = await rawRequest(server.endpoint, `${echoId}.functions.localhost`, '/');
    assert.equal(closed.status, 401);
    assert.equal(JSON.parse(closed.body).type, 'function_execute_permission_missing');
    const unknown = await rawRequest(server.endpoint, 'missing.functions.localhost', '/');
    assert.equal(unknown.status, 404);
    assert.equal(JSON.parse(unknown.body).type, 'function_not_found');

    // Deleting the function frees its host name.
    await functions.delete({ functionId });
    const gone = await rawRequest(server.endpoint, host, '/');
    assert.equal(gone.status, 404);
    // Other hosts still reach the API.
    const api = await rawRequest(server.endpoint, 'api.localhost', `/v1/functions/${echoId}/executions`, { headers: { 'x-appwrite-project': PROJECT, 'x-appwrite-key': key } });
    assert.equal(api.status, 200);
  });

  test('the sandbox hides the data directory and the host network', async () => {
    const dataDir = await functions.createExecution({ functionId: echoId, xpath: `/read?dir=${encodeURIComponent(server.dataDir)}` });
    assert.equal(JSON.parse(dataDir.responseBody).failure, 'ENOENT');
    const functionsDir = await functions.createExecution({ functionId: echoId, xpath: '/read?dir=%2Fwork' });
    assert.equal(JSON.parse(functionsDir.responseBody).failure, 'ENOENT');
    const own = await functions.createExecution({ functionId: echoId, xpath: '/read?dir=%2F' });
    assert.ok(!JSON.parse(own.responseBody).entries.includes('root'));
    const tmp = await functions.createExecution({ functionId: echoId, xpath: '/fill-tmp' });
    assert.equal(JSON.parse(tmp.responseBody).failure, 'ENOSPC', '/tmp is small and private');
    const database = await functions.createExecution({ functionId: echoId, xpath: '/connect?port=5432' });
    assert.ok(JSON.parse(database.responseBody).failure, 'PostgreSQL on the host is out of reach');
  });

  test('a deployment that is still building cannot be activated; unknown ids are 404', async () => {
    await rejectsWith(functions.createExecution({ functionId: 'missing' }), 404, 'function_not_found');
    await rejectsWith(functions.getExecution({ functionId: echoId, executionId: 'missing' }), 404, 'execution_not_found');
    await rejectsWith(functions.createExecution({ functionId: echoId, method: 'TRACE' as never }), 400, 'general_argument_invalid');
    const deployments = await functions.listDeployments({ functionId: echoId });
    const ready = deployments.deployments[0]!;
    const built = await waitForBuild(functions, echoId, ready.$id);
    assert.equal(built.status, 'ready');
  });
});
