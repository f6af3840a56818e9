import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { Adapter, BuildRuntime, Framework, ID, Query, Sites } from 'node-appwrite';
import { InputFile } from 'node-appwrite/file';
import { TestServer } from '../support/plinth.js';
import { sdkClient } from '../support/sdk.js';
import { rawRequest } from '../functions/deploy.js';
import { packFunction } from '../functions/fixtures.js';
import { newestLog, storedOutputPaths, waitForBuild } from './ssr-site.js';

/** A server of the site's own that takes three seconds before it listens. */
const SLOW_SERVER = {
  'package.json': JSON.stringify({ name: 'slow', private: true, type: 'module' }),
  'slow.mjs': `
import { createServer } from 'node:http';
console.log('starting slowly');
setTimeout(() => {
  createServer((request, response) => response.end('slow but served')).listen(Number(process.env.PORT), process.env.HOST);
}, 3000);
`,
};

/**
 * What a Next.js build without `output: 'standalone'` leaves, made by a script instead of Next:
 * `.next` with its build cache, client files in `.next/static`, and a stand-in `next` package whose
 * `next start` answers with its own arguments and the site's variable.
 */
const NEXT_WITHOUT_STANDALONE = {
  'package.json': JSON.stringify({ name: 'next-start', private: true, scripts: { build: 'node build.mjs' } }),
  'build.mjs': `
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
for (const dir of ['.next/server/app', '.next/static/chunks', '.next/cache/webpack', 'node_modules/next/dist/bin', 'node_modules/.bin']) mkdirSync(dir, { recursive: true });
writeFileSync('.next/BUILD_ID', 'stand-in');
writeFileSync('.next/static/chunks/main-3f9a1c2b.js', 'console.log("client");');
writeFileSync('.next/cache/webpack/client.pack', 'cache '.repeat(10000));
const server = "const { createServer } = require('node:http');\\n" +
  "createServer((request, response) => response.end('next ' + process.argv.slice(2).join(' ') + ': ' + process.env.GREETING)).listen(Number(process.env.PORT), process.env.HOSTNAME);\\n";
writeFileSync('node_modules/next/dist/bin/next', '#!/usr/bin/env node\\n' + server);
chmodSync('node_modules/next/dist/bin/next', 0o755);
symlinkSync('../next/dist/bin/next', 'node_modules/.bin/next');
`,
};

async function openProject(env: Record<string, string>): Promise<{ server: TestServer; sites: Sites }> {
  const server = await TestServer.start({ env });
  await server.createProject('ssr-start');
  return { server, sites: new Sites(sdkClient(server, 'ssr-start', await server.createKey('ssr-start'))) };
}

/** The slow server as a live server-rendered site with a start command of its own, nothing to install or build. */
async function deploySlowSite(sites: Sites): Promise<void> {
  await sites.create({ siteId: 'slow', name: 'slow', framework: Framework.Sveltekit, adapter: Adapter.Ssr, buildRuntime: BuildRuntime.Node200, installCommand: '', buildCommand: '', outputDirectory: './', startCommand: 'node slow.mjs' });
  const created = await sites.createDeployment({ siteId: 'slow', code: InputFile.fromBuffer(await packFunction(SLOW_SERVER), 'code.tar.gz'), activate: true });
  const deployment = await waitForBuild(sites, 'slow', created.$id);
  assert.equal(deployment.status, 'ready', deployment.buildLogs);
}

describe('starting a server-rendered site', () => {
  const servers: TestServer[] = [];
  after(async () => {
    for (const server of servers) await server.stop();
  });

  test('a server slower to listen than PLINTH_SITES_START_TIMEOUT gets an error page, and the log says why', async () => {
    const { server, sites } = await openProject({ PLINTH_SITES_START_TIMEOUT: '1' });
    servers.push(server);
    await deploySlowSite(sites);
    const page = await rawRequest(server.endpoint, 'slow.sites.localhost', '/');
    assert.equal(page.status, 502);
    const log = await newestLog(sites, 'slow', '/');
    assert.equal(log.responseStatusCode, 502);
    assert.match(log.errors, /did not start within 1000 ms/);
  });

  test('under the default start limit the same server is served; a Next.js build without standalone output runs `next start`', async () => {
    const { server, sites } = await openProject({});
    servers.push(server);
    await deploySlowSite(sites);
    const slow = await rawRequest(server.endpoint, 'slow.sites.localhost', '/');
    assert.equal(slow.status, 200);
    assert.equal(slow.body, 'slow but served');

    await sites.create({ siteId: 'next', name: 'next', framework: Framework.Nextjs, adapter: Adapter.Ssr, buildRuntime: BuildRuntime.Node200, installCommand: '' });
    await sites.createVariable({ siteId: 'next', variableId: ID.unique(), key: 'GREETING', value: 'hello' });
    const created = await sites.createDeployment({ siteId: 'next', code: InputFile.fromBuffer(await packFunction(NEXT_WITHOUT_STANDALONE), 'code.tar.gz'), activate: true });
    const deployment = await waitForBuild(sites, 'next', created.$id);
    assert.equal(deployment.status, 'ready', deployment.buildLogs);

    const page = await rawRequest(server.endpoint, 'next.sites.localhost', '/');
    assert.equal(page.status, 200);
    assert.equal(page.body, 'next start: hello');
    const asset = await rawRequest(server.endpoint, 'next.sites.localhost', '/_next/static/chunks/main-3f9a1c2b.js');
    assert.equal(asset.status, 200);
    assert.equal((await sites.listLogs({ siteId: 'next', queries: [Query.startsWith('requestPath', '/_next/')] })).total, 0);

    // What `next start` reads is kept; the build cache is not.
    const { paths } = await storedOutputPaths(sites, 'next');
    for (const kept of ['.next/BUILD_ID', '.next/server/app', '.next/static/chunks/main-3f9a1c2b.js', 'node_modules/.bin/next', 'package.json']) assert.ok(paths.has(kept), kept);
    assert.ok(![...paths].some((path) => path.startsWith('.next/cache')), 'no build cache');
  });
});
