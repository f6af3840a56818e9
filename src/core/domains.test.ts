import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isDirectSubdomain, isValidDomain, isWithinDomain, normalizeDomain } from './domains.js';

test('a rule domain is a DNS name of two labels or more, never an address or a URL', () => {
  for (const good of ['example.com', 'shop.example.co.uk', 'a-b.example.com', 'xn--bcher-kva.example']) assert.ok(isValidDomain(good), good);
  const bad = ['', 'localhost', 'https://example.com', 'example.com/path', 'example.com:8080', '*.example.com', '-a.example.com', 'a-.example.com', '10.0.0.1', 'a..b.com', `${'a'.repeat(64)}.com`, 'exa mple.com'];
  for (const name of bad) assert.equal(isValidDomain(name), false, name);
});

test('names compare in lower case without the root dot', () => {
  assert.equal(normalizeDomain(' Shop.Example.COM. '), 'shop.example.com');
});

test('a functions-domain rule lies exactly one label under it', () => {
  assert.ok(isDirectSubdomain('abc.functions.example.com', 'functions.example.com'));
  assert.equal(isDirectSubdomain('a.abc.functions.example.com', 'functions.example.com'), false);
  assert.equal(isDirectSubdomain('functions.example.com', 'functions.example.com'), false);
  assert.equal(isDirectSubdomain('xfunctions.example.com', 'functions.example.com'), false);
  assert.ok(isWithinDomain('a.b.example.com', 'example.com'));
  assert.ok(isWithinDomain('example.com', 'example.com'));
  assert.equal(isWithinDomain('badexample.com', 'example.com'), false);
});
