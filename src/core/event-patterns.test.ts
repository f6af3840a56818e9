import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isValidEventPattern } from './event-patterns.js';

test('event patterns Appwrite knows are valid, at every level, with ids or wildcards', () => {
  for (const pattern of [
    'users.*',
    'users.*.create',
    'users.U1.update.email',
    'users.*.sessions',
    'users.*.sessions.*.delete',
    'teams.*.memberships.*.update.status',
    'buckets.*.files.*.create',
    'databases.*.collections.*.documents.*',
    'databases.*.collections.*.documents.*.upsert',
    'databases.shop.tables.products.rows.*.create',
    'functions.*.executions.*.update',
  ]) {
    assert.equal(isValidEventPattern(pattern), true, pattern);
  }
});

test('unknown resources, actions and changes are refused, as are malformed patterns', () => {
  for (const pattern of [
    'account.unknown',
    'users',
    'users.*.unknown',
    'users.*.update.unknown',
    'users.*.create.email',
    'buckets.*.files.*.unknown',
    'teams.*.memberships.*.update.prefs',
    'databases.*.tables.*.rows.*.create.extra',
    'users..create',
    '',
    'a.b.c.d.e.f.g.h',
  ]) {
    assert.equal(isValidEventPattern(pattern), false, pattern);
  }
});
