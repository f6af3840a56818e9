import assert from 'node:assert/strict';
import { test } from 'node:test';
import { actorOf } from './actor.js';
import { adminCaller, guestCaller, keyCaller, serverCaller, userCaller } from './caller.js';

test('the actor follows the caller: users, keys and administrators act; guests and jobs do not', () => {
  assert.deepEqual(actorOf(userCaller({ id: 'u1' }, ['any', 'users', 'user:u1'])), { type: 'user', userId: 'u1' });
  assert.deepEqual(actorOf(keyCaller('k1', new Set(), '10.0.0.1')), { type: 'key', keyId: 'k1' });
  assert.deepEqual(actorOf(adminCaller('a1', ['any'], new Set(), '10.0.0.1', 'a1@example.com')), { type: 'admin', userId: 'a1', email: 'a1@example.com' });
  assert.equal(actorOf(guestCaller('10.0.0.1')), undefined);
  assert.equal(actorOf(serverCaller()), undefined);
});
