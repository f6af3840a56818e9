import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { Console } from '@appwrite.io/console';
import { BuildRuntime, Framework, Functions, Runtime, Sites } from 'node-appwrite';
import { InputFile } from 'node-appwrite/file';
import { signUpAdministrator } from '../console/organization-helpers.js';
import { rawRequest } from '../functions/deploy.js';
import { packFunction } from '../functions/fixtures.js';
import { TestServer } from '../support/plinth.js';
import { rejectsWith, sdkClient } from '../support/sdk.js';
import { TINY_APP } from './fixtures.js';

const MiB = 1024 * 1024;

/** The tiny static app with 31 MiB of incompressible padding: over Appwrite's default 30 MiB once packed. */
async function largeApp(): Promise<Buffer> {
  return packFunction({ ...TINY_APP, 'padding.bin': randomBytes(31 * MiB) });
}

async function sizeLimitOf(server: TestServer, email: string): Promise<number> {
  const owner = await signUpAdministrator(server, email);
  return (await new Console(owner.client).variables())._APP_COMPUTE_SIZE_LIMIT;
}

/** Sends the archive in one multipart request, as a client that does not chunk would. */
async function uploadWhole(server: TestServer, projectId: string, key: string, path: string, archive: Buffer): Promise<{ status: number; type: string }> {
  const form = new FormData();
  form.append('code', new Blob([archive]), 'code.tar.gz');
  form.append('activate', 'true');
  const response = await fetch(`${server.endpoint}${path}`, { method: 'POST', headers: { 'x-appwrite-project': projectId, 'x-appwrite-key': key }, body: form });
  const body = (await response.json()) as { type: string };
  return { status: response.status, type: body.type };
}

describe('the deployment size limit', () => {
  let archive: Buffer;
  before(async () => {
    archive = await largeApp();
    assert.ok(archive.length > 30 * MiB && archive.length < 32 * MiB, `archive is ${archive.length} bytes`);
  });

  describe('at Appwrite’s default of 30 MiB', () => {
    let server: TestServer;
    let sites: Sites;
    let functions: Functions;
    before(async () => {
      server = await TestServer.start({ env: { PLINTH_CONSOLE_SIGNUP: 'open' } });
      await server.createProject('limits');
      const client = sdkClient(server, 'limits', await server.createKey('limits'));
      sites = new Sites(client);
      functions = new Functions(client);
    });
    after(() => server?.stop());

    test('a larger site or function archive is refused with storage_invalid_file_size, and no deployment is left', async () => {
      await sites.create({ siteId: 'big', name: 'Big', framework: Framework.Vite, buildRuntime: BuildRuntime.Node200, installCommand: '', buildCommand: 'node build.mjs' });
      await rejectsWith(sites.createDeployment({ siteId: 'big', code: InputFile.fromBuffer(archive, 'code.tar.gz'), activate: true }), 400, 'storage_invalid_file_size');
      assert.equal((await sites.listDeployments({ siteId: 'big' })).total, 0);

      await functions.create({ functionId: 'big', name: 'Big', runtime: Runtime.Node200 });
      await rejectsWith(functions.createDeployment({ functionId: 'big', code: InputFile.fromBuffer(archive, 'code.tar.gz'), activate: true }), 400, 'storage_invalid_file_size');
      assert.equal((await functions.listDeployments({ functionId: 'big' })).total, 0);
    });

    test('the console reads the limit', async () => {
      assert.equal(await sizeLimitOf(server, 'owner@example.com'), 30 * MiB);
    });
  });

  describe('raised with PLINTH_COMPUTE_SIZE_LIMIT', () => {
    let server: TestServer;
    let sites: Sites;
    let key: string;
    before(async () => {
      server = await TestServer.start({ env: { PLINTH_CONSOLE_SIGNUP: 'open', PLINTH_COMPUTE_SIZE_LIMIT: String(32 * MiB) } });
      await server.createProject('limits');
      key = await server.createKey('limits');
      sites = new Sites(sdkClient(server, 'limits', key));
      await sites.create({ siteId: 'big', name: 'Big', framework: Framework.Vite, buildRuntime: BuildRuntime.Node200, installCommand: '', buildCommand: 'node build.mjs' });
    });
    after(() => server?.stop());

    test('the same archive is taken in chunks, built and served', async () => {
      const created = await sites.createDeployment({ siteId: 'big', code: InputFile.fromBuffer(archive, 'code.tar.gz'), activate: true });
      let deployment = created;
      while (['waiting', 'processing', 'building'].includes(deployment.status)) {
        await delay(50);
        deployment = await sites.getDeployment({ siteId: 'big', deploymentId: created.$id });
      }
      assert.equal(deployment.status, 'ready', deployment.buildLogs);
      assert.equal(deployment.sourceSize, archive.length);
      const page = await rawRequest(server.endpoint, 'big.sites.localhost', '/');
      assert.equal(page.status, 200);
      assert.match(page.body, /no greeting/);
    });

    test('one request over the raised limit is refused as well', async () => {
      const over = Buffer.concat([archive, randomBytes(32 * MiB - archive.length + 1)]);
      assert.deepEqual(await uploadWhole(server, 'limits', key, '/sites/big/deployments', over), { status: 400, type: 'storage_invalid_file_size' });
      assert.equal((await sites.listDeployments({ siteId: 'big' })).total, 1);
    });

    test('the console reads the raised limit', async () => {
      assert.equal(await sizeLimitOf(server, 'owner@example.com'), 32 * MiB);
    });
  });
});
