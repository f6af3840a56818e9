import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { Functions, ID, Query } from 'node-appwrite';
import { InputFile } from 'node-appwrite/file';
import { TestServer } from '../support/plinth.js';
import { rejectsWith, sdkClient } from '../support/sdk.js';
import { NODE_ECHO, packFunction } from './fixtures.js';
import { deployFunction, pollUntil, processesMarked, waitForBuild, waitForNoProcesses } from './deploy.js';

const PROJECT = 'fnadmin';

describe('functions, deployments and variables', () => {
  let server: TestServer;
  let functions: Functions;

  before(async () => {
    server = await TestServer.start();
    await server.createProject(PROJECT);
    functions = new Functions(sdkClient(server, PROJECT, await server.createKey(PROJECT)));
  });
  after(() => server?.stop());

  test('creates, reads, lists with queries, updates and deletes a function', async () => {
    const created = await functions.create({ functionId: 'crud', name: 'Crud', runtime: 'node-20.0' as never, execute: ['any'], timeout: 30, events: ['users.*.create'] });
    assert.equal(created.$id, 'crud');
    assert.equal(created.runtime, 'node-20.0');
    assert.deepEqual(created.execute, ['any']);
    assert.deepEqual(created.events, ['users.*.create']);
    assert.equal(created.timeout, 30);
    assert.equal(created.enabled, true);
    assert.equal(created.logging, true);
    assert.equal(created.deploymentId, '');
    assert.equal(created.latestDeploymentId, '');
    await functions.create({ functionId: 'other', name: 'Other', runtime: 'python-3.11' as never });

    assert.equal((await functions.get({ functionId: 'crud' })).name, 'Crud');
    const byName = await functions.list({ queries: [Query.equal('name', 'Other')] });
    assert.deepEqual(byName.functions.map((f) => f.$id), ['other']);
    const searched = await functions.list({ search: 'python' });
    assert.deepEqual(searched.functions.map((f) => f.$id), ['other']);
    const page = await functions.list({ queries: [Query.orderDesc('$createdAt'), Query.limit(1)] });
    assert.equal(page.total, 2);
    assert.equal(page.functions.length, 1);

    const updated = await functions.update({ functionId: 'crud', name: 'Renamed', timeout: 5, enabled: false, schedule: '*/5 * * * *' });
    assert.equal(updated.name, 'Renamed');
    assert.equal(updated.timeout, 5);
    assert.equal(updated.enabled, false);
    assert.equal(updated.schedule, '*/5 * * * *');

    await functions.delete({ functionId: 'other' });
    await rejectsWith(functions.get({ functionId: 'other' }), 404, 'function_not_found');
  });

  test('refuses bad settings with clear errors', async () => {
    await rejectsWith(functions.create({ functionId: 'crud', name: 'Again', runtime: 'node-20.0' as never }), 409, 'function_already_exists');
    await rejectsWith(functions.create({ functionId: ID.unique(), name: 'Ruby', runtime: 'ruby-3.3' as never }), 404, 'function_runtime_unsupported');
    await rejectsWith(functions.create({ functionId: ID.unique(), name: 'Slow', runtime: 'node-20.0' as never, timeout: 0 }), 400, 'general_argument_invalid');
    await rejectsWith(functions.create({ functionId: ID.unique(), name: 'Cron', runtime: 'node-20.0' as never, schedule: 'every minute' }), 400, 'general_argument_invalid');
    await rejectsWith(functions.create({ functionId: '-bad', name: 'Id', runtime: 'node-20.0' as never }), 400, 'general_argument_invalid');
    await rejectsWith(functions.update({ functionId: 'missing', name: 'x' }), 404, 'function_not_found');
    await rejectsWith(functions.create({ functionId: ID.unique(), name: 'Scopes', runtime: 'node-20.0' as never, scopes: ['root.everything' as never] }), 400, 'general_argument_invalid');
    await rejectsWith(functions.list({ queries: [Query.equal('unknown', 'x')] }), 400, 'general_query_invalid');
    await rejectsWith(
      functions.createTemplateDeployment({ functionId: 'crud', repository: 'templates', owner: 'appwrite', rootDirectory: 'node/starter', type: 'tag' as never, reference: '1.0.0' }),
      405,
      'general_not_implemented',
    );
  });

  test('lists the runtimes this host runs and the specifications', async () => {
    const runtimes = await functions.listRuntimes();
    const ids = runtimes.runtimes.map((r) => r.$id);
    assert.ok(ids.includes('node-20.0'));
    assert.ok(ids.includes('python-3.11'));
    assert.ok(!ids.includes('ruby-3.3'));
    const specifications = await functions.listSpecifications();
    assert.equal(specifications.specifications[0]?.slug, 's-1vcpu-512mb');
  });

  test('keeps function variables, hiding secret values', async () => {
    const plain = await functions.createVariable({ functionId: 'crud', variableId: 'v1', key: 'PLAIN', value: 'visible' });
    assert.equal(plain.value, 'visible');
    assert.equal(plain.resourceType, 'function');
    assert.equal(plain.resourceId, 'crud');
    const secret = await functions.createVariable({ functionId: 'crud', variableId: ID.unique(), key: 'TOKEN', value: 's3cr3t', secret: true });
    assert.equal(secret.value, '');
    assert.equal((await functions.getVariable({ functionId: 'crud', variableId: secret.$id })).value, '');
    const listed = await functions.listVariables({ functionId: 'crud' });
    assert.equal(listed.total, 2);
    const fn = await functions.get({ functionId: 'crud' });
    assert.deepEqual(fn.vars.map((v) => [v.key, v.value]).sort(), [['PLAIN', 'visible'], ['TOKEN', '']]);

    const renamed = await functions.updateVariable({ functionId: 'crud', variableId: 'v1', key: 'PLAIN2', value: 'changed' });
    assert.equal(renamed.key, 'PLAIN2');
    assert.equal(renamed.value, 'changed');
    await rejectsWith(functions.createVariable({ functionId: 'crud', variableId: ID.unique(), key: 'TOKEN', value: 'x' }), 409, 'variable_already_exists');
    await rejectsWith(functions.updateVariable({ functionId: 'crud', variableId: secret.$id, key: 'TOKEN', secret: false }), 400, 'variable_cannot_unset_secret');
    await rejectsWith(functions.getVariable({ functionId: 'crud', variableId: 'missing' }), 404, 'variable_not_found');
    await rejectsWith(functions.listVariables({ functionId: 'missing' }), 404, 'function_not_found');
    await functions.deleteVariable({ functionId: 'crud', variableId: 'v1' });
    await rejectsWith(functions.deleteVariable({ functionId: 'crud', variableId: 'v1' }), 404, 'variable_not_found');
  });

  test('deployments: build, list, download source and output, activate, duplicate, delete', async () => {
    const { functionId, deployment } = await deployFunction(functions, { functionId: 'deploys', runtime: 'node-20.0', files: NODE_ECHO, entrypoint: 'index.js' });
    assert.equal(deployment.status, 'ready', deployment.buildLogs);
    assert.equal(deployment.resourceId, functionId);
    assert.ok(deployment.sourceSize > 0);
    assert.ok(deployment.buildSize > 0);
    assert.equal(deployment.entrypoint, 'index.js');
    let fn = await functions.get({ functionId });
    assert.equal(fn.deploymentId, deployment.$id);
    assert.equal(fn.latestDeploymentStatus, 'ready');

    const source = Buffer.from(await functions.getDeploymentDownload({ functionId, deploymentId: deployment.$id }));
    assert.ok(gunzipSync(source).includes('module.exports'));
    const output = Buffer.from(await functions.getDeploymentDownload({ functionId, deploymentId: deployment.$id, type: 'output' as never }));
    assert.ok(gunzipSync(output).includes('module.exports'));

    // A second deployment that is not activated leaves the first one live.
    const second = await functions.createDeployment({
      functionId,
      code: InputFile.fromBuffer(await packFunction(NODE_ECHO), 'code.tar.gz'),
      activate: false,
      entrypoint: 'index.js',
    });
    assert.equal(second.status, 'waiting');
    const secondBuilt = await waitForBuild(functions, functionId, second.$id);
    assert.equal(secondBuilt.status, 'ready');
    fn = await functions.get({ functionId });
    assert.equal(fn.deploymentId, deployment.$id);
    assert.equal(fn.latestDeploymentId, second.$id);

    const activated = await functions.updateFunctionDeployment({ functionId, deploymentId: second.$id });
    assert.equal(activated.deploymentId, second.$id);

    const listed = await functions.listDeployments({ functionId, queries: [Query.equal('status', 'ready'), Query.orderDesc('$createdAt')] });
    assert.equal(listed.total, 2);
    assert.equal(listed.deployments[0]!.$id, second.$id);

    const copy = await functions.createDuplicateDeployment({ functionId, deploymentId: deployment.$id });
    const copyBuilt = await waitForBuild(functions, functionId, copy.$id);
    assert.equal(copyBuilt.status, 'ready');
    assert.equal((await functions.get({ functionId })).deploymentId, copy.$id);

    await rejectsWith(functions.updateDeploymentStatus({ functionId, deploymentId: copy.$id }), 400, 'build_already_completed');
    await functions.deleteDeployment({ functionId, deploymentId: copy.$id });
    await rejectsWith(functions.getDeployment({ functionId, deploymentId: copy.$id }), 404, 'deployment_not_found');
    assert.equal((await functions.get({ functionId })).deploymentId, '', 'deleting the active deployment leaves none active');
    await rejectsWith(functions.createExecution({ functionId }), 404, 'deployment_not_found');
  });

  test('a large archive arrives in chunks and builds once complete', async () => {
    await functions.create({ functionId: 'large', name: 'Large', runtime: 'node-20.0' as never });
    // Random text barely compresses: the archive is past the SDK's 5 MB chunk size.
    const archive = await packFunction({ ...NODE_ECHO, 'padding.txt': randomBytes(6 * 1024 * 1024).toString('base64') });
    assert.ok(archive.length > 5 * 1024 * 1024);
    const deployment = await functions.createDeployment({
      functionId: 'large',
      code: InputFile.fromBuffer(archive, 'code.tar.gz'),
      activate: true,
      entrypoint: 'index.js',
    });
    const built = await waitForBuild(functions, 'large', deployment.$id);
    assert.equal(built.status, 'ready', built.buildLogs);
    assert.equal(built.sourceSize, archive.length);
    const source = Buffer.from(await functions.getDeploymentDownload({ functionId: 'large', deploymentId: deployment.$id }));
    assert.ok(source.equals(archive), 'the chunks were assembled in order');
    const execution = await functions.createExecution({ functionId: 'large' });
    assert.equal(execution.status, 'completed', execution.errors);
  });

  test('a build can be canceled before it finishes', async () => {
    await functions.create({ functionId: 'cancel', name: 'Cancel', runtime: 'node-20.0' as never });
    const deployment = await functions.createDeployment({
      functionId: 'cancel',
      code: InputFile.fromBuffer(await packFunction(NODE_ECHO), 'code.tar.gz'),
      activate: true,
      entrypoint: 'index.js',
      commands: 'sleep 30',
    });
    const canceled = await functions.updateDeploymentStatus({ functionId: 'cancel', deploymentId: deployment.$id });
    assert.equal(canceled.status, 'canceled');
    const after = await waitForBuild(functions, 'cancel', deployment.$id);
    assert.equal(after.status, 'canceled');
    assert.equal((await functions.get({ functionId: 'cancel' })).deploymentId, '');
  });

  test('deleting a function stops its running builds and its warm processes', async () => {
    const buildMarker = `build-${randomBytes(6).toString('hex')}`;
    await functions.create({ functionId: 'doomed-build', name: 'Doomed', runtime: 'node-20.0' as never });
    const building = await functions.createDeployment({
      functionId: 'doomed-build',
      code: InputFile.fromBuffer(await packFunction(NODE_ECHO), 'code.tar.gz'),
      activate: true,
      entrypoint: 'index.js',
      commands: `sleep 120; echo ${buildMarker}`,
    });
    // Seen twice in a row: a process that only passes the command on (and leaves) is not the build.
    let seen = 0;
    const running = await pollUntil(() => {
      seen = processesMarked(buildMarker).length > 0 ? seen + 1 : 0;
      return seen >= 2 ? true : undefined;
    }, 25);
    if (!running) {
      const state = await waitForBuild(functions, 'doomed-build', building.$id);
      assert.fail(`the build command is not running: ${state.status}\n${state.buildLogs}`);
    }
    await functions.delete({ functionId: 'doomed-build' });
    assert.deepEqual(await waitForNoProcesses(buildMarker), [], 'the build command was stopped');
    await rejectsWith(functions.getDeployment({ functionId: 'doomed-build', deploymentId: building.$id }), 404, 'function_not_found');

    const warmMarker = `warm-${randomBytes(6).toString('hex')}`;
    await functions.create({ functionId: 'doomed-warm', name: 'Doomed', runtime: 'node-20.0' as never, execute: ['any'] });
    await functions.createVariable({ functionId: 'doomed-warm', variableId: ID.unique(), key: 'MARKER', value: warmMarker });
    const deployment = await functions.createDeployment({
      functionId: 'doomed-warm',
      code: InputFile.fromBuffer(await packFunction(NODE_ECHO), 'code.tar.gz'),
      activate: true,
      entrypoint: 'index.js',
    });
    assert.equal((await waitForBuild(functions, 'doomed-warm', deployment.$id)).status, 'ready');
    const execution = await functions.createExecution({ functionId: 'doomed-warm' });
    assert.equal(execution.status, 'completed', execution.errors);
    assert.ok(processesMarked(warmMarker).length > 0, 'a warm process runs the function');
    await functions.delete({ functionId: 'doomed-warm' });
    assert.deepEqual(await waitForNoProcesses(warmMarker), [], 'its warm process was stopped');
    await rejectsWith(functions.createExecution({ functionId: 'doomed-warm' }), 404, 'function_not_found');
  });

  test('rejects broken uploads', async () => {
    await functions.create({ functionId: 'broken', name: 'Broken', runtime: 'node-20.0' as never });
    const notGzip = await functions.createDeployment({
      functionId: 'broken',
      code: InputFile.fromBuffer(Buffer.from('this is not an archive'), 'code.tar.gz'),
      activate: true,
      entrypoint: 'index.js',
    });
    const failed = await waitForBuild(functions, 'broken', notGzip.$id);
    assert.equal(failed.status, 'failed');
    assert.match(failed.buildLogs, /not a valid \.tar\.gz/);

    const noEntrypoint = await functions.createDeployment({
      functionId: 'broken',
      code: InputFile.fromBuffer(await packFunction(NODE_ECHO), 'code.tar.gz'),
      activate: true,
      entrypoint: 'missing.js',
    });
    const missing = await waitForBuild(functions, 'broken', noEntrypoint.$id);
    assert.equal(missing.status, 'failed');
    assert.match(missing.buildLogs, /missing\.js/);

    await rejectsWith(
      functions.createDeployment({ functionId: 'nope', code: InputFile.fromBuffer(Buffer.from('x'), 'c.tar.gz'), activate: true }),
      404,
      'function_not_found',
    );
    await rejectsWith(functions.updateFunctionDeployment({ functionId: 'broken', deploymentId: missing.$id }), 400, 'build_not_ready');
    // The server keeps serving.
    assert.equal((await functions.get({ functionId: 'broken' })).$id, 'broken');
  });
});
