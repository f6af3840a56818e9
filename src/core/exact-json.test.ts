import assert from 'node:assert/strict';
import { it } from 'node:test';
import { parseExactJson, stringifyExactJson } from './exact-json.js';

it('keeps integers past 2^53 exact as BigInt, and the rest as numbers', () => {
  const parsed = parseExactJson('{"a":9007199254740993,"b":-9223372036854775808,"c":9223372036854775807,"d":12,"e":1.5,"f":1234567890.1234567,"g":"9007199254740993"}');
  assert.deepEqual(parsed, { a: 9007199254740993n, b: -(2n ** 63n), c: 2n ** 63n - 1n, d: 12, e: 1.5, f: 1234567890.1234567, g: '9007199254740993' });
  // Past 64 bits no integer type fits: a number, as JSON.parse gives.
  assert.deepEqual(parseExactJson('[99999999999999999999999]'), [1e23]);
  assert.equal(parseExactJson('9007199254740991'), Number.MAX_SAFE_INTEGER);
});

it('writes BigInt as plain JSON numbers and everything else as JSON.stringify does', () => {
  assert.equal(stringifyExactJson({ a: 2n ** 63n - 1n, b: [1, -(2n ** 63n)], c: 'x' }), '{"a":9223372036854775807,"b":[1,-9223372036854775808],"c":"x"}');
  assert.equal(stringifyExactJson({ a: 1, b: undefined }), '{"a":1}');
});

it('reports malformed text as a SyntaxError and refuses __proto__ keys', () => {
  assert.throws(() => parseExactJson('{"a":9007199254740993'), SyntaxError);
  assert.throws(() => parseExactJson('{"__proto__":{"x":1},"a":9007199254740993}'));
});
