import assert from 'node:assert/strict';
import { test } from 'node:test';
import { userRoles } from './roles.js';

test('a verified member with a label holds every role Appwrite grants', () => {
  const roles = userRoles({
    userId: 'u1',
    emailVerified: false,
    phoneVerified: true,
    labels: ['vip'],
    memberships: [{ membershipId: 'm1', teamId: 't1', roles: ['owner', 'editor'] }],
  });
  assert.deepEqual(roles, [
    'any',
    'users',
    'users/verified',
    'user:u1',
    'user:u1/verified',
    'team:t1',
    'member:m1',
    'team:t1/owner',
    'team:t1/editor',
    'label:vip',
  ]);
});

test('an unverified user without teams is unverified', () => {
  const roles = userRoles({ userId: 'u2', emailVerified: false, phoneVerified: false, labels: [], memberships: [] });
  assert.deepEqual(roles, ['any', 'users', 'users/unverified', 'user:u2', 'user:u2/unverified']);
});
