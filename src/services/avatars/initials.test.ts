import assert from 'node:assert/strict';
import { test } from 'node:test';
import { initialsOf } from './initials.js';

test('initials are the first letters of the first two words, or of underscore-separated parts', () => {
  assert.equal(initialsOf('ada lovelace byron', '').text, 'AL');
  assert.equal(initialsOf('grace_hopper', '').text, 'GH');
  assert.equal(initialsOf('plato', '').text, 'P');
  assert.equal(initialsOf('', '').text, '');
  // A word that starts with a symbol gives no letter, and the count still stops at the second word.
  assert.equal(initialsOf('@home sweet home', '').text, 'S');
});

test('the colour follows the initials, and a given background wins', () => {
  assert.equal(initialsOf('Ada Lovelace', '').background, '#FE9567');
  assert.equal(initialsOf('ada lovelace', '').background, '#FE9567');
  assert.equal(initialsOf('Grace Hopper', '').background, '#68A3FE');
  assert.equal(initialsOf('', '').background, '#FD366E');
  assert.equal(initialsOf('Ada Lovelace', 'abc').background, '#abc');
});
