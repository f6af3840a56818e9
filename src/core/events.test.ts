import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventNames } from './events.js';

test('a nested event answers to every wildcard form and its parents', () => {
  const names = eventNames([['users', 'u1'], ['sessions', 's1']], 'create');
  for (const expected of [
    'users.u1.sessions.s1.create',
    'users.*.sessions.*.create',
    'users.u1.sessions.*.create',
    'users.*.sessions.s1',
    'users.u1',
    'users.*',
  ]) {
    assert.ok(names.includes(expected), expected);
  }
  assert.equal(new Set(names).size, names.length);
});

test('an update with an attribute also answers to the bare update', () => {
  const names = eventNames([['users', 'u1']], 'update', 'prefs');
  assert.deepEqual(names.sort(), ['users.*', 'users.*.update', 'users.*.update.prefs', 'users.u1', 'users.u1.update', 'users.u1.update.prefs'].sort());
});
