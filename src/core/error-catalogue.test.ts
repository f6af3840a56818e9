import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorCatalogue, type ErrorType } from './error-catalogue.js';

const entries = Object.entries(errorCatalogue) as [ErrorType, { code: number; message: string }][];
const websocketCloseCodes = new Set([1003, 1008, 1013]);

test('catalogue holds every Appwrite error type', () => {
  // 1.9.6's 281, and graphql_method_unsupported that later versions answer a mutation sent by GET with.
  assert.equal(entries.length, 282);
});

test('codes are HTTP error statuses, or websocket close codes for realtime errors', () => {
  for (const [type, { code }] of entries) {
    assert.ok(Number.isInteger(code), type);
    if (type.startsWith('realtime_')) {
      assert.ok(websocketCloseCodes.has(code), `${type}: ${code}`);
    } else {
      assert.ok(code >= 400 && code <= 599, `${type}: ${code}`);
    }
  }
});

test('messages are short, non-empty single sentences', () => {
  for (const [type, { message }] of entries) {
    assert.ok(message.length > 0 && message.length <= 160, type);
    assert.equal(message, message.trim(), type);
    assert.ok(message.endsWith('.'), type);
    assert.ok(!/[.!?]\s+[A-Z]/.test(message), `${type} looks like several sentences`);
    assert.ok(!/appwrite console/i.test(message), type);
  }
});

test('%s placeholders appear at most once and only where a value is substituted', () => {
  for (const [type, { message }] of entries) {
    const count = message.split('%s').length - 1;
    assert.ok(count <= 1, type);
    assert.ok(!/%[^s]/.test(message), type);
  }
  assert.match(errorCatalogue.database_not_found.message, /%s/);
  assert.match(errorCatalogue.document_already_exists.message, /%s/);
  assert.doesNotMatch(errorCatalogue.user_not_found.message, /%s/);
});

test('well-known entries have the expected codes', () => {
  assert.equal(errorCatalogue.general_unknown.code, 500);
  assert.equal(errorCatalogue.general_route_not_found.code, 404);
  assert.equal(errorCatalogue.project_not_found.code, 404);
  assert.equal(errorCatalogue.general_unauthorized_scope.code, 401);
  assert.equal(errorCatalogue.general_argument_invalid.code, 400);
  assert.equal(errorCatalogue.general_rate_limit_exceeded.code, 429);
  assert.equal(errorCatalogue.user_already_exists.code, 409);
  assert.equal(errorCatalogue.realtime_policy_violation.code, 1008);
});
