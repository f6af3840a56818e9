import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { it } from 'node:test';
import { deriveKey, type KeyPurpose } from './derived-keys.js';

// Each purpose's key as it has always been derived: what stored files, encrypted values and
// issued tokens were made with.
const formerly: Record<KeyPurpose, (secretKey: Buffer, projectId: string) => Buffer> = {
  jwt: (secretKey, projectId) => createHmac('sha256', secretKey).update(`jwt:${projectId}`).digest(),
  'push-image': (secretKey, projectId) => createHmac('sha256', secretKey).update(`push-image:${projectId}`).digest(),
  'file-token': (secretKey, projectId) => createHmac('sha256', secretKey).update(`file-token:${projectId}`).digest(),
  files: (secretKey, projectId) => createHmac('sha256', secretKey).update(`files:${projectId}`).digest(),
  attributes: (secretKey, projectId) => createHmac('sha256', secretKey).update(`attributes:${projectId}`).digest(),
  'oauth2-state': (secretKey) => createHmac('sha256', secretKey).update('oauth2-state').digest(),
};

const SERVER_WIDE = new Set<KeyPurpose>(['oauth2-state']);

const pinned: Record<KeyPurpose, string> = {
  jwt: '1182d67afc1805d9bd671fcd0df38f5ae99412d77fe66d4dacb4fc1c610a19f5',
  'push-image': '9c9dfd347df12b5668761766b67ff432ee92f280a33484bc173334ee78d63417',
  'file-token': '8b3221767128f17994b21375f6965a6abf9278e47e5c4ab6a42b44b77e7de86c',
  files: 'ce9b50a3004931519c63ffac73845a5f81ad3d28b0e2b3ef66145ab459cefdb0',
  attributes: 'fd01f345b0952d0b8056062ed9779b581d31c5d2c36884f1aad4ad252b61505b',
  'oauth2-state': '2f29e1728cb38f490423596c98bab2f2b24051936475c14d5090ab7bca06c497',
};

const derive = (secretKey: Buffer, purpose: KeyPurpose, projectId: string) =>
  SERVER_WIDE.has(purpose) ? deriveKey(secretKey, purpose) : deriveKey(secretKey, purpose, projectId);

it('derives the bytes every purpose was derived with before', () => {
  const secretKey = Buffer.from('plinth-test-secret-0123456789abcdef');
  for (const purpose of Object.keys(pinned) as KeyPurpose[]) {
    assert.equal(derive(secretKey, purpose, 'shop').toString('hex'), pinned[purpose], purpose);
  }
  const random = randomBytes(32);
  for (const purpose of Object.keys(formerly) as KeyPurpose[]) {
    assert.deepEqual(derive(random, purpose, 'other-project'), formerly[purpose](random, 'other-project'), purpose);
  }
});

it('gives each purpose and project a key of its own', () => {
  const secretKey = randomBytes(32);
  const keys = new Set<string>();
  for (const purpose of Object.keys(pinned) as KeyPurpose[]) {
    for (const projectId of ['a', 'b']) keys.add(derive(secretKey, purpose, projectId).toString('hex'));
  }
  // The server-wide purpose gives one key whatever the project.
  assert.equal(keys.size, 2 * Object.keys(pinned).length - SERVER_WIDE.size);
});
