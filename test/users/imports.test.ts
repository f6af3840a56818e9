import assert from 'node:assert/strict';
import { createHash, scryptSync } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { hash as argon2Hash, type Algorithm } from '@node-rs/argon2';
import bcrypt from 'bcryptjs';
import { Account, PasswordHash, Users } from 'node-appwrite';
import { TestServer } from '../support/plinth.js';
import { rejectsWith, sdkClient } from '../support/sdk.js';

const PROJECT = 'imports';

/** Firebase's published example for its modified scrypt (the firebase/scrypt README). */
const FIREBASE = {
  password: 'user1password',
  hash: 'lSrfV15cpx95/sZS2W9c9Kp6i/LVgQNDNC/qzrCnh1SAyZvqmZqAjTdn3aoItz+VHjoZilo78198JAdRuid5lQ==',
  salt: '42xEC+ixf3L2lw==',
  saltSeparator: 'Bw==',
  signerKey: 'jxspr8Ki0RYycVU8zykbdLGjFQ3McFUH0uiiTvC8pVMXAn210wjLNmdZJzxUECKbm0QsEmYUSDzZvpjeJ9WmXA==',
};
/** The portable-hash example shipped with phpass's own test script. */
const PHPASS = { password: 'test12345', hash: '$P$9IQRaTwmfeRo7ud9Fh4E2PdI0S3r.L0' };

/** @node-rs/argon2's Algorithm is a const enum, which this project's TS settings cannot read: 1 is argon2i, 2 argon2id. */
const ARGON2_VARIANTS = [2, 1] as Algorithm[];

const NODE_DIGEST: Record<string, string> = { 'sha512/224': 'sha512-224', 'sha512/256': 'sha512-256' };

describe('users: imported password hashes', () => {
  let server: TestServer;
  let users: Users;
  let account: Account;
  let counter = 0;

  /**
   * Signs in with the original password, and checks a wrong one fails; the sign-in replaced the
   * imported hash with Plinth's own argon2id, with which the password still works.
   */
  async function assertSignsIn(email: string, password: string): Promise<void> {
    const session = await account.createEmailPasswordSession({ email, password });
    assert.ok(session.secret.length > 0);
    const upgraded = await users.get({ userId: session.userId });
    assert.equal(upgraded.hash, 'argon2');
    assert.match(upgraded.password ?? '', /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    assert.deepEqual({ ...upgraded.hashOptions }, { type: 'argon2', memoryCost: 19456, timeCost: 2, threads: 1 });
    await rejectsWith(account.createEmailPasswordSession({ email, password: `${password}x` }), 401, 'user_invalid_credentials');
    assert.equal((await account.createEmailPasswordSession({ email, password })).userId, session.userId);
  }
  const nextEmail = () => `imported${++counter}@example.com`;

  before(async () => {
    server = await TestServer.start();
    await server.createProject(PROJECT);
    const key = await server.createKey(PROJECT);
    users = new Users(sdkClient(server, PROJECT, key));
    account = new Account(sdkClient(server, PROJECT, key));
  });
  after(() => server.stop());

  test('argon2: any encoded argon2 hash', async () => {
    for (const algorithm of ARGON2_VARIANTS) {
      const email = nextEmail();
      const hash = await argon2Hash('argon secret', { algorithm, memoryCost: 8192, timeCost: 3, parallelism: 1 });
      const user = await users.createArgon2User({ userId: `argon${algorithm}`, email, password: hash });
      assert.equal(user.hash, 'argon2');
      assert.equal(user.password, hash);
      await assertSignsIn(email, 'argon secret');
    }
  });

  test('bcrypt', async () => {
    const email = nextEmail();
    const user = await users.createBcryptUser({ userId: 'bcrypt', email, password: bcrypt.hashSync('bcrypt secret', 8), name: 'B' });
    assert.equal(user.hash, 'bcrypt');
    assert.deepEqual({ ...user.hashOptions }, { type: 'bcrypt' });
    assert.equal(user.name, 'B');
    await assertSignsIn(email, 'bcrypt secret');
  });

  test('md5', async () => {
    const email = nextEmail();
    const user = await users.createMD5User({ userId: 'md5', email, password: createHash('md5').update('md5 secret').digest('hex') });
    assert.equal(user.hash, 'md5');
    await assertSignsIn(email, 'md5 secret');
  });

  test('sha, in every version, and sha3-512 by default', async () => {
    for (const version of Object.values(PasswordHash)) {
      const email = nextEmail();
      const digest = createHash(NODE_DIGEST[version] ?? version).update(`sha ${version}`).digest('hex');
      const user = await users.createSHAUser({ userId: `sha${counter}`, email, password: digest, passwordVersion: version });
      assert.equal(user.hash, 'sha');
      await assertSignsIn(email, `sha ${version}`);
    }
    const email = nextEmail();
    await users.createSHAUser({ userId: 'shadefault', email, password: createHash('sha3-512').update('default sha').digest('hex') });
    await assertSignsIn(email, 'default sha');
  });

  test('phpass portable hashes (and the bcrypt form phpass also writes)', async () => {
    const email = nextEmail();
    const user = await users.createPHPassUser({ userId: 'phpass', email, password: PHPASS.hash });
    assert.equal(user.hash, 'phpass');
    await assertSignsIn(email, PHPASS.password);

    const other = nextEmail();
    await users.createPHPassUser({ userId: 'phpassbcrypt', email: other, password: bcrypt.hashSync('wordpress secret', 8) });
    await assertSignsIn(other, 'wordpress secret');
  });

  test('scrypt with its settings', async () => {
    const email = nextEmail();
    const options = { passwordSalt: 'some salt', passwordCpu: 16384, passwordMemory: 8, passwordParallel: 1, passwordLength: 64 };
    const hash = scryptSync('scrypt secret', options.passwordSalt, 64, { N: 16384, r: 8, p: 1 }).toString('hex');
    const user = await users.createScryptUser({ userId: 'scrypt', email, password: hash, ...options });
    assert.equal(user.hash, 'scrypt');
    const shown = { ...user.hashOptions } as Record<string, unknown>;
    assert.deepEqual([shown.costCpu, shown.costMemory, shown.costParallel, shown.length], [16384, 8, 1, 64]);
    await assertSignsIn(email, 'scrypt secret');
  });

  test("scrypt-modified (Firebase's), from its published example", async () => {
    const email = nextEmail();
    const user = await users.createScryptModifiedUser({
      userId: 'firebase',
      email,
      password: FIREBASE.hash,
      passwordSalt: FIREBASE.salt,
      passwordSaltSeparator: FIREBASE.saltSeparator,
      passwordSignerKey: FIREBASE.signerKey,
    });
    assert.equal(user.hash, 'scryptMod');
    assert.deepEqual({ ...user.hashOptions }, { type: 'scryptMod', salt: FIREBASE.salt, saltSeparator: FIREBASE.saltSeparator, signerKey: FIREBASE.signerKey });
    await assertSignsIn(email, FIREBASE.password);
  });

  test('imports refuse missing fields and duplicates', async () => {
    await rejectsWith(users.createMD5User({ userId: 'md5', email: nextEmail(), password: 'x' }), 409, 'user_already_exists');
    await rejectsWith(users.createBcryptUser({ userId: 'dup', email: 'imported1@example.com', password: 'x' }), 409, 'user_email_already_exists');
    await rejectsWith(
      users.createScryptUser({ userId: 'bad', email: nextEmail(), password: 'ab', passwordSalt: 's', passwordCpu: 0, passwordMemory: 8, passwordParallel: 1, passwordLength: 64 }),
      400,
      'general_argument_invalid',
    );
  });
});
