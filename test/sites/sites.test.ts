import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { Adapter, BuildRuntime, Framework, ID, type Models, Sites } from 'node-appwrite';
import { InputFile } from 'node-appwrite/file';
import type { PlinthEvent } from '../../src/infra/events/event-bus.js';
import { TestServer } from '../support/plinth.js';
import { rejectsWith, sdkClient } from '../support/sdk.js';
import { rawRequest } from '../functions/deploy.js';
import { packFunction } from '../functions/fixtures.js';
import { TINY_APP } from './fixtures.js';

const UNFINISHED = new Set(['waiting', 'processing', 'building']);

async function waitForBuild(sites: Sites, siteId: string, deploymentId: string): Promise<Models.Deployment> {
  for (let attempt = 0; attempt < 600; attempt++) {
    const deployment = await sites.getDeployment({ siteId, deploymentId });
    if (!UNFINISHED.has(deployment.status)) return deployment;
    await delay(20);
  }
  throw new Error(`deployment ${deploymentId} still building`);
}

async function deploy(sites: Sites, siteId: string, options: { activate?: boolean; buildCommand?: string } = {}): Promise<Models.Deployment> {
  const created = await sites.createDeployment({
    siteId,
    code: InputFile.fromBuffer(await packFunction(TINY_APP), 'code.tar.gz'),
    activate: options.activate ?? true,
    ...(options.buildCommand ? { buildCommand: options.buildCommand } : {}),
  });
  return waitForBuild(sites, siteId, created.$id);
}

describe('sites', () => {
  let server: TestServer;
  let sites: Sites;
  let events: PlinthEvent[];
  const host = 'tiny.sites.localhost';

  before(async () => {
    server = await TestServer.start();
    await server.createProject('sites-one');
    sites = new Sites(sdkClient(server, 'sites-one', await server.createKey('sites-one')));
    events = server.recordEvents();
  });
  after(() => server?.stop());

  test('frameworks and specifications say what this server builds', async () => {
    const frameworks = await sites.listFrameworks();
    const vite = frameworks.frameworks.find((framework) => framework.key === 'vite');
    assert.ok(vite);
    assert.ok(vite.runtimes.includes('node-20.0'));
    assert.deepEqual(vite.adapters.map((adapter) => adapter.key), ['static']);
    assert.equal(vite.adapters[0]!.outputDirectory, './dist');
    assert.equal(vite.adapters[0]!.fallbackFile, 'index.html');
    const specifications = await sites.listSpecifications();
    assert.equal(specifications.specifications[0]!.slug, 's-1vcpu-512mb');
  });

  test('a site is created with its framework defaults, read, listed, updated; bad input is refused', async () => {
    const site = await sites.create({ siteId: 'tiny', name: 'Tiny', framework: Framework.Vite, buildRuntime: BuildRuntime.Node200 });
    assert.equal(site.adapter, 'static');
    assert.equal(site.installCommand, 'npm install');
    assert.equal(site.buildCommand, 'npm run build');
    assert.equal(site.outputDirectory, './dist');
    assert.equal(site.fallbackFile, 'index.html');
    assert.equal(site.deploymentId, '');
    // No dependencies to install: the build is one script.
    const updated = await sites.update({ siteId: 'tiny', name: 'Tiny app', framework: Framework.Vite, installCommand: '', buildCommand: 'node build.mjs' });
    assert.equal(updated.name, 'Tiny app');
    assert.equal(updated.installCommand, '');
    assert.equal(updated.outputDirectory, './dist', 'left out, kept');
    assert.equal((await sites.get({ siteId: 'tiny' })).buildCommand, 'node build.mjs');
    assert.deepEqual((await sites.list()).sites.map((one) => one.$id), ['tiny']);

    await rejectsWith(sites.create({ siteId: 'tiny', name: 'again', framework: Framework.Vite, buildRuntime: BuildRuntime.Node200 }), 409, 'site_already_exists');
    await rejectsWith(sites.create({ siteId: ID.unique(), name: 'x', framework: Framework.Vite, buildRuntime: BuildRuntime.Php83 }), 404, 'function_runtime_unsupported');
    await rejectsWith(sites.create({ siteId: ID.unique(), name: 'x', framework: Framework.Remix, buildRuntime: BuildRuntime.Node200, adapter: Adapter.Ssr }), 400, 'general_argument_invalid');
    await rejectsWith(sites.create({ siteId: ID.unique(), name: 'x', framework: Framework.Flutter, buildRuntime: BuildRuntime.Node200 }), 400, 'general_argument_invalid');
    await rejectsWith(sites.create({ siteId: ID.unique(), name: 'x', framework: Framework.Vite, buildRuntime: BuildRuntime.Node200, outputDirectory: '../etc' }), 400, 'general_argument_invalid');
    await rejectsWith(sites.get({ siteId: 'missing' }), 404, 'site_not_found');
    assert.equal((await sites.list()).total, 1, 'nothing half-written');
  });

  test('variables are secret unless said otherwise', async () => {
    const secret = await sites.createVariable({ siteId: 'tiny', variableId: ID.unique(), key: 'GREETING', value: 'Hello from a variable' });
    assert.equal(secret.secret, true);
    assert.equal(secret.value, '');
    assert.equal(secret.resourceType, 'site');
    const open = await sites.createVariable({ siteId: 'tiny', variableId: ID.unique(), key: 'PUBLIC_MARK', value: 'seen', secret: false });
    assert.equal(open.value, 'seen');
    await rejectsWith(sites.createVariable({ siteId: 'tiny', variableId: ID.unique(), key: 'GREETING', value: 'twice' }), 409, 'variable_already_exists');
    await rejectsWith(sites.updateVariable({ siteId: 'tiny', variableId: secret.$id, key: 'GREETING', secret: false }), 400, 'variable_cannot_unset_secret');
    assert.equal((await sites.updateVariable({ siteId: 'tiny', variableId: open.$id, key: 'PUBLIC_MARK', value: 'changed' })).value, 'changed');
    assert.equal((await sites.listVariables({ siteId: 'tiny' })).total, 2);
    assert.equal((await sites.get({ siteId: 'tiny' })).vars.length, 2);
    await sites.deleteVariable({ siteId: 'tiny', variableId: open.$id });
    await rejectsWith(sites.getVariable({ siteId: 'tiny', variableId: open.$id }), 404, 'variable_not_found');
  });

  test('a deployment is built in the sandbox and served on the site host', async () => {
    const deployment = await deploy(sites, 'tiny');
    assert.equal(deployment.status, 'ready', deployment.buildLogs);
    assert.match(deployment.buildLogs, /built tiny/);
    assert.equal(deployment.resourceType, 'sites');
    assert.equal((await sites.get({ siteId: 'tiny' })).deploymentId, deployment.$id);
    const names = events.flatMap((event) => event.names);
    assert.ok(names.includes('sites.tiny.create'));
    assert.ok(names.includes(`sites.tiny.deployments.${deployment.$id}.create`));
    assert.ok(names.includes(`sites.*.deployments.*.update`));

    const page = await rawRequest(server.endpoint, host, '/');
    assert.equal(page.status, 200);
    assert.match(page.body, /Hello from a variable/, 'the build saw the secret variable');
    assert.match(String(page.headers['content-type']), /^text\/html/);
    assert.equal(page.headers['cache-control'], 'no-cache');
    assert.equal(page.headers['set-cookie'], undefined);
    assert.equal(page.headers['access-control-allow-origin'], undefined);
    const etag = String(page.headers.etag);
    assert.equal((await rawRequest(server.endpoint, host, '/', { headers: { 'if-none-match': etag } })).status, 304);

    const asset = await rawRequest(server.endpoint, host, '/assets/app-3f9a1c2b.js');
    assert.equal(asset.status, 200);
    assert.match(String(asset.headers['content-type']), /javascript/);
    assert.equal(asset.headers['cache-control'], 'public, max-age=31536000, immutable');
    const part = await rawRequest(server.endpoint, host, '/assets/app-3f9a1c2b.js', { headers: { range: 'bytes=0-6' } });
    assert.equal(part.status, 206);
    assert.equal(part.body, 'console');

    // A deep link of the single-page app is its fallback page; a missing asset is the framework's 404.
    const deep = await rawRequest(server.endpoint, host, '/products/42');
    assert.equal(deep.status, 200);
    assert.match(deep.body, /Hello from a variable/);
    const missing = await rawRequest(server.endpoint, host, '/assets/gone-12345678.js');
    assert.equal(missing.status, 404);
    assert.match(missing.body, /not here/);
    const folder = await rawRequest(server.endpoint, host, '/docs');
    assert.equal(folder.status, 301);
    assert.equal(folder.headers.location, '/docs/');
    assert.match((await rawRequest(server.endpoint, host, '/docs/')).body, /docs/);
    assert.equal((await rawRequest(server.endpoint, host, '/', { method: 'POST', body: 'x' })).status, 405);
    // The long form names the project too.
    assert.equal((await rawRequest(server.endpoint, 'tiny--sites-one.sites.localhost', '/')).status, 200);
    assert.equal((await rawRequest(server.endpoint, 'nobody.sites.localhost', '/')).status, 404);
  });

  test('source and output download as .tar.gz', async () => {
    const { deployments } = await sites.listDeployments({ siteId: 'tiny' });
    const deploymentId = deployments[0]!.$id;
    for (const type of ['source', 'output']) {
      const response = await server.request(`/sites/tiny/deployments/${deploymentId}/download?type=${type}`, { project: 'sites-one', key: await server.createKey('sites-one') });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type'), 'application/gzip');
      const bytes = Buffer.from(await response.arrayBuffer());
      assert.deepEqual([...bytes.subarray(0, 2)], [0x1f, 0x8b]);
    }
  });

  test('a new deployment goes live only when activated; a failed build keeps its log and changes nothing', async () => {
    const live = (await sites.get({ siteId: 'tiny' })).deploymentId;
    await sites.createVariable({ siteId: 'tiny', variableId: ID.unique(), key: 'VERSION_MARK', value: 'second-version', secret: false });
    const second = await deploy(sites, 'tiny', { activate: false });
    assert.equal(second.status, 'ready');
    assert.equal((await sites.get({ siteId: 'tiny' })).deploymentId, live);
    assert.doesNotMatch((await rawRequest(server.endpoint, host, '/')).body, /second-version/);
    const switched = await sites.updateSiteDeployment({ siteId: 'tiny', deploymentId: second.$id });
    assert.equal(switched.deploymentId, second.$id);
    assert.match((await rawRequest(server.endpoint, host, '/')).body, /second-version/);

    const failed = await deploy(sites, 'tiny', { buildCommand: 'echo broken on purpose; exit 3' });
    assert.equal(failed.status, 'failed');
    assert.match(failed.buildLogs, /broken on purpose/);
    assert.match(failed.buildLogs, /exited with code 3/);
    assert.equal((await sites.get({ siteId: 'tiny' })).deploymentId, second.$id);
    assert.equal((await sites.get({ siteId: 'tiny' })).latestDeploymentStatus, 'failed');
    await rejectsWith(sites.updateSiteDeployment({ siteId: 'tiny', deploymentId: failed.$id }), 400, 'build_not_ready');
    await rejectsWith(sites.updateDeploymentStatus({ siteId: 'tiny', deploymentId: second.$id }), 400, 'build_already_completed');

    const noOutput = await deploy(sites, 'tiny', { buildCommand: 'true' });
    assert.equal(noOutput.status, 'failed');
    assert.match(noOutput.buildLogs, /Output directory "\.\/dist" was not found/);

    const duplicate = await sites.createDuplicateDeployment({ siteId: 'tiny', deploymentId: second.$id });
    assert.equal((await waitForBuild(sites, 'tiny', duplicate.$id)).status, 'ready');
    await sites.deleteDeployment({ siteId: 'tiny', deploymentId: failed.$id });
    await rejectsWith(sites.getDeployment({ siteId: 'tiny', deploymentId: failed.$id }), 404, 'deployment_not_found');
  });

  test('an archive sent in chunks is joined and built once complete', async () => {
    const archive = await packFunction(TINY_APP);
    const key = await server.createKey('sites-one');
    const half = Math.ceil(archive.length / 2);
    const send = async (start: number, end: number, uploadId?: string) => {
      const form = new FormData();
      form.append('activate', 'false');
      form.append('code', new Blob([archive.subarray(start, end + 1)]), 'code.tar.gz');
      const headers: Record<string, string> = { 'content-range': `bytes ${start}-${end}/${archive.length}`, ...(uploadId ? { 'x-appwrite-id': uploadId } : {}) };
      const response = await server.request('/sites/tiny/deployments', { method: 'POST', body: form, headers, project: 'sites-one', key });
      return { status: response.status, body: (await response.json()) as { $id: string; status: string; chunksUploaded: number; chunksTotal: number } };
    };
    const first = await send(0, half - 1);
    assert.equal(first.status, 202);
    assert.equal(first.body.status, 'waiting');
    assert.deepEqual([first.body.chunksUploaded, first.body.chunksTotal], [1, 2]);
    const second = await send(half, archive.length - 1, first.body.$id);
    assert.equal(second.body.$id, first.body.$id);
    assert.equal(second.body.chunksUploaded, 2);
    assert.equal((await waitForBuild(sites, 'tiny', first.body.$id)).status, 'ready');
    const stray = await send(half, archive.length - 1);
    assert.equal(stray.status, 400, 'a later chunk without its upload id');
  });

  test('template and Git deployments answer that this server has no source for them', async () => {
    const message = 'Site deployments from templates and Git repositories are not supported by this server; upload a .tar.gz instead.';
    await rejectsWith(sites.createVcsDeployment({ siteId: 'tiny', type: 'branch' as never, reference: 'main' }), 405, 'general_not_implemented', message);
    const template = { repository: 'templates-for-sites', owner: 'appwrite', rootDirectory: './', type: 'tag' as never, reference: '0.3.0', activate: true };
    await rejectsWith(sites.createTemplateDeployment({ siteId: 'tiny', ...template }), 405, 'general_not_implemented', message);
    // A site that does not exist is named first, as for any deployment.
    await rejectsWith(sites.createTemplateDeployment({ siteId: 'nowhere', ...template }), 404, 'site_not_found');
    await rejectsWith(sites.createVcsDeployment({ siteId: 'nowhere', type: 'commit' as never, reference: 'abc' }), 404, 'site_not_found');
  });

  test('a disabled site turns visitors away; keys still manage it; a deleted site frees its host', async () => {
    await sites.update({ siteId: 'tiny', name: 'Tiny app', framework: Framework.Vite, enabled: false });
    const away = await rawRequest(server.endpoint, host, '/');
    assert.equal(away.status, 403);
    assert.equal((await sites.get({ siteId: 'tiny' })).enabled, false);
    await sites.update({ siteId: 'tiny', name: 'Tiny app', framework: Framework.Vite, enabled: true });
    assert.equal((await rawRequest(server.endpoint, host, '/')).status, 200);
    await sites.delete({ siteId: 'tiny' });
    assert.equal((await rawRequest(server.endpoint, host, '/')).status, 404);
    await rejectsWith(sites.get({ siteId: 'tiny' }), 404, 'site_not_found');
  });
});
