import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { readConfig } from '../../src/app/config.js';
import { createLogger } from '../../src/app/logger.js';
import { createServices, type Services } from '../../src/app/services.js';
import { serviceSetting } from '../../src/auth/switches.js';
import { writeProjectSetting } from '../../src/data/platform/settings.js';
import { buildHttpServer } from '../../src/http/server.js';
import { createKey, createProject } from '../../src/services/projects/index.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';

/** One route standing in for a service: it answers with the caller the pipeline resolved. */
const probeRoutes: FastifyPluginAsync = async (app) => {
  app.get('/probe/caller', { config: { scope: 'users.read', service: 'teams' } }, async (request) => ({ caller: request.ctx.caller }));
};

describe('request pipeline without a socket (inject)', () => {
  let dataDir: string;
  let database: TestDatabase;
  let services: Services;
  let app: FastifyInstance;
  let keySecret: string;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'plinth-pipeline-'));
    database = await createTestDatabase();
    services = createServices({ ...readConfig({}), dataDir, databaseUrl: database.url }, createLogger('silent'));
    await services.deps.db.migrate();
    await createProject(services.deps, { id: 'gate', name: 'Gate' });
    await createProject(services.deps, { id: 'quiet', name: 'Quiet' });
    await writeProjectSetting(services.deps.db.platform, 'quiet', serviceSetting('teams'), false);
    keySecret = (await createKey(services.deps, { projectId: 'gate', name: 'reader', scopes: ['users.read'] })).secret;
    // Only the pipeline and one probe route: no service of Plinth is mounted.
    ({ app } = buildHttpServer(services.deps, { bodyLimit: 1024, trustProxy: false, services: [probeRoutes] }));
    await app.ready();
  });
  after(async () => {
    await app.close();
    await services.close();
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const probe = (headers: Record<string, string>) => app.inject({ method: 'GET', url: '/v1/probe/caller', headers });

  it('refuses a request that names no project, or an unknown one, with project_not_found', async () => {
    for (const headers of [{}, { 'x-appwrite-project': 'nowhere' }] as Record<string, string>[]) {
      const response = await probe(headers);
      assert.equal(response.statusCode, 404);
      assert.equal(response.json().type, 'project_not_found');
    }
  });

  it('keeps a guest out of a route whose scope it lacks', async () => {
    const response = await probe({ 'x-appwrite-project': 'gate' });
    assert.equal(response.statusCode, 401);
    assert.equal(response.json().type, 'general_unauthorized_scope');
  });

  it('authenticates an API key and lets it through with its scopes', async () => {
    const response = await probe({ 'x-appwrite-project': 'gate', 'x-appwrite-key': keySecret });
    assert.equal(response.statusCode, 200);
    assert.equal(response.json().caller.kind, 'key');
  });

  it('stops a client at a service the project turned off', async () => {
    const response = await probe({ 'x-appwrite-project': 'quiet' });
    assert.equal(response.statusCode, 403);
    assert.equal(response.json().type, 'general_service_disabled');
  });
});
