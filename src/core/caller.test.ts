import assert from 'node:assert/strict';
import { test } from 'node:test';
import { adminCaller, guestCaller, keyCaller, serverCaller, userCaller } from './caller.js';

test('keys, administrators and the server act for the project; guests and users do not', () => {
  assert.equal(guestCaller('10.0.0.1').actsForProject, false);
  assert.equal(userCaller({ id: 'u1' }, ['any', 'users', 'user:u1']).actsForProject, false);
  assert.equal(keyCaller('k1', new Set(['users.read']), '10.0.0.1').actsForProject, true);
  assert.equal(adminCaller('a1', ['any', 'team:org'], new Set(['project.read']), '10.0.0.1').actsForProject, true);
  assert.equal(serverCaller().actsForProject, true);
});

test('only a user caller names a user: an administrator is no user of the project', () => {
  const user = userCaller({ id: 'u1' }, ['any', 'users', 'user:u1'], { ip: '10.0.0.2', sessionId: 's1' });
  assert.deepEqual([user.kind, user.userId, user.user?.id, user.sessionId, user.ip], ['user', 'u1', 'u1', 's1', '10.0.0.2']);
  const admin = adminCaller('a1', ['any'], new Set(), '10.0.0.3');
  assert.deepEqual([admin.userId, admin.adminId], [undefined, 'a1']);
  assert.equal(keyCaller('k1', new Set(), '').userId, undefined);
});

test('guests hold the guest roles and scopes', () => {
  const guest = guestCaller('10.0.0.1');
  assert.deepEqual(guest.roles, ['any', 'guests']);
  assert.ok(guest.scopes.has('public'));
  assert.equal(guest.scopes.has('users.read'), false);
});
