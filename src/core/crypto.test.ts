import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { it } from 'node:test';
import { decryptValue, encryptValue } from './crypto.js';

it('round-trips a value and never stores it in clear', () => {
  const key = randomBytes(32);
  const stored = encryptValue(key, 'sk_live_123');
  assert.ok(!stored.includes('sk_live_123'));
  assert.notEqual(stored, encryptValue(key, 'sk_live_123'));
  assert.equal(decryptValue(key, stored), 'sk_live_123');
});

it('refuses a tampered value or another key', () => {
  const key = randomBytes(32);
  const stored = encryptValue(key, 'value');
  const tampered = stored.slice(0, -4) + (stored.endsWith('AAAA') ? 'BBBB' : 'AAAA');
  assert.throws(() => decryptValue(key, tampered));
  assert.throws(() => decryptValue(randomBytes(32), stored));
});

it('gives every value an IV of its own, past the drawn batch too', () => {
  const key = randomBytes(32);
  const ivs = new Set(Array.from({ length: 1000 }, () => Buffer.from(encryptValue(key, 'same').slice(3), 'base64').subarray(0, 12).toString('hex')));
  assert.equal(ivs.size, 1000);
});
