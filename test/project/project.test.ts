import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ProjectAuthMethodId as AuthMethod, ProjectKeyScopes as Scopes, type Project } from 'node-appwrite';
import { TestServer } from '../support/plinth.js';
import { assertAppwriteError, projectService } from './keys-helpers.js';

/**
 * The model as the server sends it: server.json's `project` fields, which node-appwrite 27.1's
 * `Models.Project` type does not declare (it reads the switches as lists instead).
 */
type SpecProject = Record<string, any>;
const full = (project: unknown): SpecProject => project as SpecProject;

describe('The project through node-appwrite', () => {
  let server: TestServer;
  let adminKey: string;
  let admin: Project;

  before(async () => {
    server = await TestServer.start();
    await server.createProject('proj-app', 'My App');
    adminKey = await server.createKey('proj-app');
    admin = projectService(server, 'proj-app', adminKey);
  });
  after(() => server.stop());

  it('reads the project model with its keys and the defaults of a fresh project', async () => {
    const project = full(await admin.get());
    assert.equal(project.$id, 'proj-app');
    assert.equal(project.name, 'My App');
    assert.deepEqual(project.labels, []);
    assert.match(project.$createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/);
    assert.equal(project.status, 'active');
    assert.equal(project.authDuration, 31536000);
    assert.equal(project.authLimit, 0);
    assert.equal(project.authSessionsLimit, 0);
    assert.equal(project.smtpEnabled, false);
    assert.deepEqual(project.platforms, []);
    assert.deepEqual(project.authMockNumbers, []);
    assert.equal(project.keys.length, 1);
    assert.equal(project.keys[0]?.secret, '');
    for (const field of ['authEmailPassword', 'authUsersAuthMagicURL', 'authAnonymous', 'authJWT', 'authPhone', 'serviceStatusForLocale', 'protocolStatusForRest'] as const) {
      assert.equal(project[field], true, field);
    }
    // Every field the spec's `project` model requires is there.
    const required = ['description', 'teamId', 'oAuthProviders', 'webhooks', 'devKeys', 'smtpPort', 'pingCount', 'pingedAt', 'authInvalidateSessions', 'serviceStatusForMessaging', 'protocolStatusForWebsocket'];
    for (const field of required) assert.ok(field in project, field);
  });

  it('shows switches turned off and keys added since', async () => {
    await admin.updateAuthMethod({ methodId: AuthMethod.Anonymous, enabled: false });
    const off = await server.request('/project/services/locale', {
      method: 'PATCH',
      project: 'proj-app',
      key: adminKey,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ enabled: false }),
    });
    assert.equal(off.status, 200);
    await admin.createKey({ keyId: 'second', name: 'Second', scopes: [Scopes.ProjectRead] });
    await admin.createWebPlatform({ platformId: 'site', name: 'Site', hostname: 'app.example.com' });
    await admin.createAndroidPlatform({ platformId: 'droid', name: 'Droid', applicationId: 'com.example.app' });

    const project = full(await admin.get());
    assert.equal(project.authAnonymous, false);
    assert.deepEqual({ ...project.authMethods.find((method: { $id: string }) => method.$id === 'anonymous') }, { $id: 'anonymous', enabled: false });
    assert.deepEqual({ ...project.services.find((service: { $id: string }) => service.$id === 'locale') }, { $id: 'locale', enabled: false });
    assert.equal(project.serviceStatusForLocale, false);
    assert.equal(project.authEmailPassword, true);
    assert.deepEqual(project.keys.map((key: { $id: string }) => key.$id).slice(-1), ['second']);
    assert.deepEqual(
      project.platforms.map(({ $id, type, name, hostname, applicationId }: SpecProject) => ({ $id, type, name, hostname, applicationId })),
      [
        { $id: 'site', type: 'web', name: 'Site', hostname: 'app.example.com', applicationId: undefined },
        { $id: 'droid', type: 'android', name: 'Droid', hostname: undefined, applicationId: 'com.example.app' },
      ],
    );
    await admin.updateAuthMethod({ methodId: AuthMethod.Anonymous, enabled: true });
  });

  it('replaces labels, dropping repeats', async () => {
    const labeled = await admin.updateLabels({ labels: ['vip', 'Beta2', 'vip'] });
    assert.deepEqual(labeled.labels, ['vip', 'Beta2']);
    assert.ok(labeled.$updatedAt >= labeled.$createdAt);
    assert.deepEqual((await admin.get()).labels, ['vip', 'Beta2']);
    assert.deepEqual((await admin.updateLabels({ labels: [] })).labels, []);
  });

  it('refuses labels Appwrite refuses', async () => {
    const bad = (labels: string[]) => assertAppwriteError(admin.updateLabels({ labels }), 400, 'general_argument_invalid');
    await bad(['has-dash']);
    await bad(['with space']);
    await bad(['']);
    await bad(['a'.repeat(37)]);
    await bad(Array.from({ length: 1001 }, (_, i) => `l${i}`));
    assert.equal((await admin.updateLabels({ labels: ['a'.repeat(36)] })).labels[0]?.length, 36);
    assert.equal((await admin.updateLabels({ labels: Array.from({ length: 1000 }, (_, i) => `l${i}`) })).labels.length, 1000);
  });

  it('needs project.read to read and project.write to change', async () => {
    const { secret } = await admin.createKey({ keyId: 'reads-only', name: 'Reader', scopes: [Scopes.ProjectRead] });
    const reader = projectService(server, 'proj-app', secret);
    assert.equal((await reader.get()).$id, 'proj-app');
    await assertAppwriteError(reader.updateLabels({ labels: ['x'] }), 401, 'general_unauthorized_scope');
    await assertAppwriteError(reader.delete(), 401, 'general_unauthorized_scope');
    await assertAppwriteError(projectService(server, 'proj-app').get(), 401, 'general_unauthorized_scope');
    const { secret: keysOnly } = await admin.createKey({ keyId: 'keys-only', name: 'Keys', scopes: [Scopes.KeysRead] });
    await assertAppwriteError(projectService(server, 'proj-app', keysOnly).get(), 401, 'general_unauthorized_scope');
  });
});

describe('Deleting a project', () => {
  let server: TestServer;

  before(async () => {
    server = await TestServer.start();
    await server.createProject('keeper');
  });
  after(() => server.stop());

  it('removes the project, its keys, settings, store and files, and leaves others alone', async () => {
    await server.createProject('doomed');
    const key = await server.createKey('doomed');
    const doomed = projectService(server, 'doomed', key);
    await doomed.createKey({ keyId: 'doomed-key', name: 'Doomed', scopes: [Scopes.KeysRead] });
    await doomed.updateLabels({ labels: ['bye'] });
    await doomed.updateAuthMethod({ methodId: AuthMethod.Phone, enabled: false });
    await doomed.createMockPhone({ number: '+14155550123', otp: '123456' });
    await doomed.createWebPlatform({ platformId: 'doomed-site', name: 'Site', hostname: 'doomed.example.com' });
    assert.equal(full(await doomed.get()).authMockNumbers.length, 1);
    const files = join(server.dataDir, 'files', 'doomed');
    await mkdir(files, { recursive: true });
    await writeFile(join(files, 'upload.bin'), 'data');
    assert.equal(await server.projectStoreExists('doomed'), true);

    const keeper = projectService(server, 'keeper', await server.createKey('keeper'));
    const deleted = await server.request('/project', { method: 'DELETE', project: 'doomed', key });
    assert.equal(deleted.status, 204);

    await assertAppwriteError(doomed.get(), 404, 'project_not_found');
    await assertAppwriteError(doomed.listKeys(), 404, 'project_not_found');
    assert.equal(existsSync(files), false);
    assert.equal(await server.projectStoreExists('doomed'), false);
    assert.equal((await keeper.get()).$id, 'keeper');
    assert.equal(existsSync(join(server.dataDir, 'files', 'keeper')) || (await server.projectStoreExists('keeper')), true);

    // Key ids are unique across projects, so reusing the id shows the key row is gone.
    await keeper.createKey({ keyId: 'doomed-key', name: 'Reused', scopes: [] });
    await keeper.createWebPlatform({ platformId: 'doomed-site', name: 'Reused', hostname: 'keeper.example.com' });
    // A project made again under the same id starts empty: no old keys, labels or switches.
    await server.createProject('doomed');
    const reborn = projectService(server, 'doomed', await server.createKey('doomed'));
    const project = full(await reborn.get());
    assert.equal(project.keys.length, 1);
    assert.deepEqual(project.labels, []);
    assert.equal(project.authPhone, true);
    assert.deepEqual(project.authMockNumbers, []);
    assert.deepEqual(project.platforms, []);
    // The old secret does not come back with it.
    await assertAppwriteError(projectService(server, 'doomed', key).get(), 401, 'general_unauthorized_scope');
  });

  it('works through the SDK too', async () => {
    await server.createProject('sdk-doomed');
    const doomed = projectService(server, 'sdk-doomed', await server.createKey('sdk-doomed'));
    await doomed.delete();
    await assertAppwriteError(doomed.get(), 404, 'project_not_found');
    assert.equal(await server.projectStoreExists('sdk-doomed'), false);
  });
});
