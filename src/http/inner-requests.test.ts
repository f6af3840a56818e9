import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FastifyRequest } from 'fastify';
import type { RequestContext } from './context.js';
import { sendAsCaller, takeOuterCaller } from './inner-requests.js';

const requestWith = (headers: Record<string, string>) => ({ headers }) as unknown as FastifyRequest;
const context = { projectId: 'p', caller: { kind: 'user', userId: 'ada' } } as unknown as RequestContext;

test('a request sent as a caller acts as it once, and its handler never sees the token', async () => {
  await sendAsCaller(context, async (headers) => {
    const first = requestWith({ ...headers });
    assert.equal(takeOuterCaller(first), context);
    assert.deepEqual(first.headers, {});
    assert.equal(takeOuterCaller(requestWith({ ...headers })), undefined, 'the token works once');
  });
});

test('a token sent from outside, or after its call ended, names nobody', async () => {
  let used: Record<string, string> = {};
  await sendAsCaller(context, async (headers) => {
    used = headers;
  });
  assert.equal(takeOuterCaller(requestWith(used)), undefined);
  const forged = requestWith({ 'x-plinth-inner-call': 'guessed' });
  assert.equal(takeOuterCaller(forged), undefined);
  assert.deepEqual(forged.headers, {});
});
