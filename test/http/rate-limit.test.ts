import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { readConfig, type Config } from '../../src/app/config.js';
import { createLogger } from '../../src/app/logger.js';
import { createServices, type Services } from '../../src/app/services.js';
import { hitRateLimit, purgeExpiredRateLimits } from '../../src/data/platform/rate-limits.js';
import { buildServer } from '../../src/app/api-server.js';
import { createKey, createProject } from '../../src/services/projects/index.js';
import { createTestDatabase, engineLabel, type TestDatabase } from '../support/databases.js';

/** A route only this test mounts, limited as Appwrite limits email sign-in. */
const limitedRoutes: FastifyPluginAsync = async (app) => {
  app.post(
    '/probe/limited',
    { config: { scope: 'public', rateLimit: { limit: 3, windowSeconds: 60, key: ['url', { param: 'email' }] } } },
    async () => ({ ok: true }),
  );
  app.post('/probe/unlimited', { config: { scope: 'public' } }, async () => ({ ok: true }));
};

describe(`abuse limits shared through the database (${engineLabel})`, () => {
  let dataDir: string;
  let database: TestDatabase;
  let config: Config;
  let services: Services;
  let apiKey: string;
  const apps: FastifyInstance[] = [];
  const extraServices: Services[] = [];

  function serverOn(target: Services, rateLimits?: boolean): FastifyInstance {
    const { app } = buildServer(target.deps, {
      bodyLimit: config.bodyLimit,
      trustProxy: false,
      services: [limitedRoutes],
      ...(rateLimits === undefined ? {} : { rateLimits }),
    });
    apps.push(app);
    return app;
  }

  const send = (app: FastifyInstance, email: string, headers: Record<string, string> = {}, path = '/v1/probe/limited') =>
    app.inject({
      method: 'POST',
      url: path,
      headers: { 'content-type': 'application/json', 'x-appwrite-project': 'limits', ...headers },
      payload: JSON.stringify({ email }),
    });

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'plinth-limits-'));
    database = await createTestDatabase();
    config = { ...readConfig({}), dataDir, databaseUrl: database.url };
    services = createServices(config, createLogger('silent'));
    await services.deps.db.migrate();
    await createProject(services.deps, { id: 'limits', name: 'Limits' });
    apiKey = (await createKey(services.deps, { projectId: 'limits', name: 'test', scopes: [] })).secret;
  });
  after(async () => {
    for (const app of apps) await app.close();
    for (const extra of extraServices) await extra.close();
    await services.close();
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('lets the limit through with falling X-RateLimit-Remaining, then answers 429 general_rate_limit_exceeded', async () => {
    const app = serverOn(services);
    const before = Math.floor(Date.now() / 1000);
    for (const remaining of [2, 1, 0]) {
      const response = await send(app, 'ada@example.com');
      assert.equal(response.statusCode, 200);
      assert.equal(response.headers['x-ratelimit-limit'], '3');
      assert.equal(response.headers['x-ratelimit-remaining'], String(remaining));
      const reset = Number(response.headers['x-ratelimit-reset']);
      assert.ok(reset >= before + 60 && reset <= before + 62, `reset ${reset} is a minute from ${before}`);
    }
    const refused = await send(app, 'ada@example.com');
    assert.equal(refused.statusCode, 429);
    assert.deepEqual(refused.json(), {
      message: 'Too many requests to this endpoint; wait a while and retry.',
      code: 429,
      type: 'general_rate_limit_exceeded',
      version: '1.9.6',
    });
    assert.equal(refused.headers['x-ratelimit-limit'], '3');
    assert.equal(refused.headers['x-ratelimit-remaining'], '0');
  });

  it('counts each email apart, whatever its case', async () => {
    const app = serverOn(services);
    const other = await send(app, 'grace@example.com');
    assert.equal(other.statusCode, 200);
    assert.equal(other.headers['x-ratelimit-remaining'], '2');
    assert.equal((await send(app, 'ADA@example.com')).statusCode, 429);
  });

  it('sends no limit headers on a route without a limit', async () => {
    const response = await send(serverOn(services), 'ada@example.com', {}, '/v1/probe/unlimited');
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['x-ratelimit-limit'], undefined);
  });

  it('never limits an API key caller', async () => {
    const app = serverOn(services);
    for (let i = 0; i < 5; i++) {
      const response = await send(app, 'ada@example.com', { 'x-appwrite-key': apiKey });
      assert.equal(response.statusCode, 200);
      assert.equal(response.headers['x-ratelimit-limit'], undefined);
    }
  });

  it('limits nothing when turned off', async () => {
    const app = serverOn(services, false);
    for (let i = 0; i < 5; i++) {
      const response = await send(app, 'ada@example.com');
      assert.equal(response.statusCode, 200);
      assert.equal(response.headers['x-ratelimit-limit'], undefined);
    }
  });

  it('shares one count between two nodes on the same database', async () => {
    const second = createServices(config, createLogger('silent'));
    extraServices.push(second);
    const nodeA = serverOn(services);
    const nodeB = serverOn(second);
    assert.equal((await send(nodeA, 'linus@example.com')).headers['x-ratelimit-remaining'], '2');
    assert.equal((await send(nodeB, 'linus@example.com')).headers['x-ratelimit-remaining'], '1');
    assert.equal((await send(nodeA, 'linus@example.com')).statusCode, 200);
    assert.equal((await send(nodeB, 'linus@example.com')).statusCode, 429);
    assert.equal((await send(nodeA, 'linus@example.com')).statusCode, 429);
  });

  it('gives racing requests on two nodes distinct counts', async () => {
    const second = createServices(config, createLogger('silent'));
    extraServices.push(second);
    const stores = [services.deps.db.platform, second.deps.db.platform];
    const now = Date.now();
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => hitRateLimit(stores[i % 2]!, 'race', 60_000, now + (i % 3))),
    );
    assert.deepEqual(
      results.map((result) => result.hits).sort((a, b) => a - b),
      Array.from({ length: 40 }, (_, i) => i + 1),
    );
    assert.ok(results.every((result) => result.windowStart === results[0]!.windowStart));
  });

  it('opens a new window once the last one ended, and purges ended windows', async () => {
    const db = services.deps.db.platform;
    const start = 1_700_000_000_000;
    assert.deepEqual(await hitRateLimit(db, 'window', 1000, start), { hits: 1, windowStart: start });
    assert.deepEqual(await hitRateLimit(db, 'window', 1000, start + 999), { hits: 2, windowStart: start });
    assert.deepEqual(await hitRateLimit(db, 'window', 1000, start + 1000), { hits: 1, windowStart: start + 1000 });
    assert.equal(await purgeExpiredRateLimits(db, start + 1001), 1);
    assert.deepEqual(await hitRateLimit(db, 'window', 1000, start + 1500), { hits: 1, windowStart: start + 1500 });
  });
});
