import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import Fastify from 'fastify';
import { sendInProcess } from './in-process-requests.js';

async function appWithRoutes() {
  const app = Fastify();
  app.addHook('onRequest', async (request) => {
    if (request.headers['x-refuse'] === 'yes') throw Object.assign(new Error('refused'), { statusCode: 403 });
  });
  app.post('/echo/:id', async (request, reply) =>
    reply.code(201).header('set-cookie', ['a=1', 'b=2']).send({ id: (request.params as { id: string }).id, body: request.body, ip: request.ip }),
  );
  app.get('/stream', async (_request, reply) => reply.type('text/plain').send(Readable.from(['one ', 'two'])));
  await app.ready();
  return app;
}

test('a request runs the route with its body parsed, and the answer comes back as the pipeline wrote it', async () => {
  const app = await appWithRoutes();
  const response = await sendInProcess(app, {
    method: 'POST',
    url: '/echo/7?x=1',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ name: 'Ada' }),
    remoteAddress: '203.0.113.9',
  });
  assert.equal(response.statusCode, 201);
  assert.deepEqual(response.headers['set-cookie'], ['a=1', 'b=2']);
  assert.match(String(response.headers['content-type']), /^application\/json/);
  assert.deepEqual(JSON.parse(response.body), { id: '7', body: { name: 'Ada' }, ip: '203.0.113.9' });
  await app.close();
});

test('a streamed answer is collected whole, and a hook that refuses answers with the error handler', async () => {
  const app = await appWithRoutes();
  const streamed = await sendInProcess(app, { method: 'GET', url: '/stream', headers: {} });
  assert.equal(streamed.body, 'one two');
  const refused = await sendInProcess(app, { method: 'GET', url: '/stream', headers: { 'x-refuse': 'yes' } });
  assert.equal(refused.statusCode, 403);
  assert.equal(JSON.parse(refused.body).message, 'refused');
  const missing = await sendInProcess(app, { method: 'GET', url: '/nowhere', headers: {} });
  assert.equal(missing.statusCode, 404);
  await app.close();
});
