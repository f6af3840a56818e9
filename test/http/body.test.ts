import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { readConfig } from '../../src/app/config.js';
import { createLogger } from '../../src/app/logger.js';
import { createServices, type Services } from '../../src/app/services.js';
import { buildServer, servicePlugins } from '../../src/app/api-server.js';
import { createProject } from '../../src/services/projects/index.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { jsonOf } from '../support/plinth.js';

const BODY_LIMIT = 1024;

/** Routes that only this test mounts: one that reads a body, one that fails unexpectedly. */
const probeRoutes: FastifyPluginAsync = async (app) => {
  const body = z.object({ name: z.string().max(16), count: z.number().int().optional() });
  app.post<{ Body: z.infer<typeof body> }>('/probe/echo', { config: { scope: 'public' }, schema: { body } }, async (request) => request.body);
  app.get('/probe/explode', { config: { scope: 'public' } }, async () => {
    throw new Error('connection string postgres://admin:hunter2@db');
  });
};

describe('request bodies and unexpected failures (pipeline built in-process)', () => {
  let dataDir: string;
  let database: TestDatabase;
  let services: Services;
  let app: FastifyInstance;
  let base: string;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'plinth-body-'));
    database = await createTestDatabase();
    const config = { ...readConfig({}), dataDir, databaseUrl: database.url, bodyLimit: BODY_LIMIT };
    services = createServices(config, createLogger('silent'));
    await services.deps.db.migrate();
    await createProject(services.deps, { id: 'body', name: 'Body' });
    ({ app } = buildServer(services.deps, {
      bodyLimit: BODY_LIMIT,
      trustProxy: false,
      services: [...servicePlugins(services.deps), probeRoutes],
    }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/v1`;
  });
  after(async () => {
    await app.close();
    await services.close();
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${base}/probe/echo`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'x-appwrite-project': 'body', ...headers },
    });

  it('accepts a valid body', async () => {
    const response = await post(JSON.stringify({ name: 'ada', count: 2 }));
    assert.equal(response.status, 200);
    assert.deepEqual(await jsonOf(response), { name: 'ada', count: 2 });
  });

  it('answers malformed JSON with 400 general_bad_request', async () => {
    const response = await post('{"name": ');
    assert.equal(response.status, 400);
    const body = await jsonOf(response);
    assert.equal(body.type, 'general_bad_request');
    assert.equal(body.code, 400);
  });

  it('reads an empty JSON body as no parameters', async () => {
    const response = await post('');
    assert.equal(response.status, 400);
    const body = await jsonOf(response);
    assert.equal(body.type, 'general_argument_invalid');
    assert.equal(body.message, 'Param "name" is not optional.');
  });

  it('answers a body over the limit with 413', async () => {
    const response = await post(JSON.stringify({ name: 'x'.repeat(BODY_LIMIT * 2) }));
    assert.equal(response.status, 413);
    const body = await jsonOf(response);
    assert.equal(body.code, 413);
    assert.equal(body.type, 'general_bad_request');
  });

  it('names a body parameter of the wrong type', async () => {
    const response = await post(JSON.stringify({ name: 'ada', count: 'two' }));
    assert.equal(response.status, 400);
    const body = await jsonOf(response);
    assert.equal(body.type, 'general_argument_invalid');
    assert.match(body.message, /^Invalid `count` param/);
  });

  it('refuses JSON that tries to set __proto__', async () => {
    const response = await post('{"name":"a","__proto__":{"admin":true}}');
    assert.equal(response.status, 400);
  });

  it('answers an unexpected failure with 500 general_unknown, hiding its details', async () => {
    const response = await fetch(`${base}/probe/explode`, { headers: { 'x-appwrite-project': 'body' } });
    assert.equal(response.status, 500);
    const text = await response.text();
    assert.deepEqual(JSON.parse(text), { message: 'Server Error', code: 500, type: 'general_unknown', version: '1.9.6' });
    assert.ok(!text.includes('hunter2'));
    assert.ok(!text.includes('at '));
    const next = await fetch(`${base}/locale/codes`, { headers: { 'x-appwrite-project': 'body' } });
    assert.equal(next.status, 200);
  });
});
