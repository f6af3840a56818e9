import assert from 'node:assert/strict';
import { createHash, scryptSync } from 'node:crypto';
import { describe, test } from 'node:test';
import { firebaseScryptHash } from './firebase-scrypt.js';
import { registerImportedVerifiers } from './imported.js';
import { verifyPassword } from './passwords.js';
import { phpassPortableHash } from './phpass.js';

registerImportedVerifiers();

describe('imported password hashes', () => {
  test('phpass matches the example from phpass itself and refuses other settings', () => {
    assert.equal(phpassPortableHash('test12345', '$P$9IQRaTwmfeRo7ud9Fh4E2PdI0S3r.L0'), '$P$9IQRaTwmfeRo7ud9Fh4E2PdI0S3r.L0');
    assert.equal(phpassPortableHash('test12345', '$X$9IQRaTwmfeRo7ud9Fh4E2PdI0S3r.L0'), undefined);
    assert.equal(phpassPortableHash('test12345', '$P$'), undefined);
  });

  test("Firebase's modified scrypt matches Firebase's published example", async () => {
    const hash = await firebaseScryptHash('user1password', {
      salt: '42xEC+ixf3L2lw==',
      saltSeparator: 'Bw==',
      signerKey: 'jxspr8Ki0RYycVU8zykbdLGjFQ3McFUH0uiiTvC8pVMXAn210wjLNmdZJzxUECKbm0QsEmYUSDzZvpjeJ9WmXA==',
    });
    assert.equal(hash, 'lSrfV15cpx95/sZS2W9c9Kp6i/LVgQNDNC/qzrCnh1SAyZvqmZqAjTdn3aoItz+VHjoZilo78198JAdRuid5lQ==');
  });

  test('verifiers accept the password and nothing else', async () => {
    const md5 = { hash: createHash('md5').update('pw').digest('hex').toUpperCase(), algorithm: 'md5', options: {} };
    assert.equal(await verifyPassword('pw', md5), true, 'hex case does not matter');
    assert.equal(await verifyPassword('pW', md5), false);

    const sha = { hash: createHash('sha512-256').update('pw').digest('hex'), algorithm: 'sha', options: { version: 'sha512/256' } };
    assert.equal(await verifyPassword('pw', sha), true);
    assert.equal(await verifyPassword('pw', { ...sha, options: { version: 'sha256' } }), false);
    assert.equal(await verifyPassword('pw', { ...sha, options: { version: 'whirlpool' } }), false);

    const scrypt = {
      hash: scryptSync('pw', 'salt', 32, { N: 1024, r: 8, p: 2 }).toString('hex'),
      algorithm: 'scrypt',
      options: { salt: 'salt', costCpu: 1024, costMemory: 8, costParallel: 2, length: 32 },
    };
    assert.equal(await verifyPassword('pw', scrypt), true);
    assert.equal(await verifyPassword('pw', { ...scrypt, options: { ...scrypt.options, costCpu: 1000 } }), false, 'bad settings match nothing');

    assert.equal(await verifyPassword('pw', { hash: 'not bcrypt', algorithm: 'bcrypt', options: {} }), false);
    assert.equal(await verifyPassword('pw', { hash: 'x', algorithm: 'scryptMod', options: {} }), false);
  });
});
