import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isFormatBefore } from './response-format.js';

test('response formats compare by major and minor; absent or unreadable ones are current', () => {
  assert.equal(isFormatBefore('1.6.2', 1, 7), true);
  assert.equal(isFormatBefore('0.15', 1, 7), true);
  assert.equal(isFormatBefore('1.7.0', 1, 7), false);
  assert.equal(isFormatBefore(' 1.8.0', 1, 9), true);
  assert.equal(isFormatBefore('2.0.0', 1, 9), false);
  assert.equal(isFormatBefore(undefined, 1, 7), false);
  assert.equal(isFormatBefore('latest', 1, 7), false);
  assert.equal(isFormatBefore(['1.6.0'], 1, 7), false);
});
