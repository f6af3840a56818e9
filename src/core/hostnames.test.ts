import assert from 'node:assert/strict';
import { it } from 'node:test';
import { matchesAnyPlatform } from './hostnames.js';

it('matches exact platform hostnames', () => {
  assert.ok(matchesAnyPlatform('app.example.com', ['other.net', 'app.example.com']));
  assert.ok(!matchesAnyPlatform('evil-app.example.com', ['app.example.com']));
});

it('matches subdomains of a wildcard platform, not the bare domain or look-alikes', () => {
  const platforms = ['*.example.com'];
  assert.ok(matchesAnyPlatform('a.example.com', platforms));
  assert.ok(matchesAnyPlatform('a.b.example.com', platforms));
  assert.ok(!matchesAnyPlatform('example.com', platforms));
  assert.ok(!matchesAnyPlatform('badexample.com', platforms));
  assert.ok(!matchesAnyPlatform('example.com.evil.net', platforms));
});
