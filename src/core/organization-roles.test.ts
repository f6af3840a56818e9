import assert from 'node:assert/strict';
import { test } from 'node:test';
import { organizationRoles } from './organization-roles.js';

test('organization roles: owners hold what developers hold, analysts only read, editors write content only', () => {
  const { owner, developer, editor, analyst, billing } = organizationRoles;
  for (const scope of developer!) assert.ok(owner!.includes(scope), scope);
  assert.ok(developer!.includes('tables.write') && developer!.includes('keys.write'));
  assert.deepEqual(analyst!.filter((scope) => scope.endsWith('.write')), []);
  assert.ok(analyst!.includes('rows.read') && analyst!.includes('users.read'));
  assert.ok(editor!.includes('rows.write') && editor!.includes('files.write') && editor!.includes('messages.write'));
  for (const structural of ['tables.write', 'buckets.write', 'topics.write', 'keys.write', 'project.write', 'functions.write']) {
    assert.ok(!editor!.includes(structural), structural);
  }
  assert.deepEqual(billing, []);
});
