import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  apiKeyScopeCategories,
  apiKeyScopes,
  deprecatedApiKeyScopes,
  isApiKeyScope,
  roleScopes,
} from './scopes.js';

test('API key scopes are unique, well-formed and complete', () => {
  assert.equal(apiKeyScopes.length, 84);
  assert.equal(new Set(apiKeyScopes).size, apiKeyScopes.length);
  for (const scope of apiKeyScopes) {
    assert.match(scope, /^[a-z0-9]+(\.[a-z0-9]+)*\.(read|write)$/i, scope);
  }
});

test('isApiKeyScope recognises only API key scopes', () => {
  assert.ok(isApiKeyScope('users.read'));
  assert.ok(isApiKeyScope('rows.write'));
  assert.ok(isApiKeyScope('project.policies.read'));
  assert.equal(isApiKeyScope('all'), false);
  assert.equal(isApiKeyScope('account'), false);
  assert.equal(isApiKeyScope(''), false);
  assert.equal(isApiKeyScope('USERS.READ'), false);
  assert.equal(isApiKeyScope('toString'), false);
});

test('every API key scope has a category and nothing else does', () => {
  assert.deepEqual(Object.keys(apiKeyScopeCategories), [...apiKeyScopes]);
  for (const scope of apiKeyScopes) {
    assert.ok(apiKeyScopeCategories[scope].length > 0, scope);
  }
  assert.equal(apiKeyScopeCategories['users.read'], 'Auth');
  assert.equal(apiKeyScopeCategories['rows.read'], 'Databases');
});

test('deprecated scopes are real API key scopes', () => {
  for (const scope of deprecatedApiKeyScopes) assert.ok(isApiKeyScope(scope), scope);
  assert.ok(deprecatedApiKeyScopes.includes('documents.read'));
  assert.ok(!deprecatedApiKeyScopes.includes('rows.read'));
});

test('role scopes for guests and users', () => {
  const guests = new Set(roleScopes.guests);
  const users = new Set(roleScopes.users);
  assert.equal(guests.size, roleScopes.guests.length);
  assert.equal(users.size, roleScopes.users.length);
  assert.ok(users.has('account'));
  assert.ok(!guests.has('account'));
  assert.ok(guests.has('sessions.write'));
  assert.ok(users.has('rows.read') && guests.has('rows.read'));
  assert.ok(!users.has('users.read'));
  assert.ok(!users.has('all') && !guests.has('all'));
  for (const scope of guests) assert.ok(users.has(scope), `users should also have ${scope}`);
});
