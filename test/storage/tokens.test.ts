import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Query, Storage, Tokens, type Models } from 'node-appwrite';
import { InputFile } from 'node-appwrite/file';
import type { TestServer } from '../support/plinth.js';
import { rejectsWith, sdkClient } from '../support/sdk.js';
import { signUpStorageUser, startStorageServer } from './helpers.js';

const PROJECT = 'filetokens';

describe('file tokens', () => {
  let server: TestServer;
  let storage: Storage;
  let tokens: Tokens;
  const link = (fileId: string, action: string, token: string) =>
    `${server.endpoint}/storage/buckets/vault/files/${fileId}/${action}?project=${PROJECT}&token=${encodeURIComponent(token)}`;
  const statusOf = async (url: string) => {
    const response = await fetch(url);
    await response.arrayBuffer();
    return response.status;
  };

  before(async () => {
    let key: string;
    ({ server, key, storage, tokens } = await startStorageServer(PROJECT));
    await storage.createBucket({ bucketId: 'vault', name: 'Vault', fileSecurity: true });
    await storage.createFile({ bucketId: 'vault', fileId: 'secret', file: InputFile.fromBuffer(Buffer.from('top secret'), 'secret.txt') });
    await storage.createFile({ bucketId: 'vault', fileId: 'other', file: InputFile.fromBuffer(Buffer.from('other'), 'other.txt') });
    // Users hold no token scopes.
    const ada = await signUpStorageUser(server, PROJECT, key, 'Ada');
    await rejectsWith(new Tokens(ada.storage.client).createFileToken({ bucketId: 'vault', fileId: 'secret' }), 401, 'general_unauthorized_scope');
  });
  after(() => server.stop());

  test('a token opens one file without a session, through download, view and the SDK', async () => {
    const token = await tokens.createFileToken({ bucketId: 'vault', fileId: 'secret' });
    assert.equal(token.resourceType, 'files');
    assert.equal(token.resourceId, 'vault:secret');
    assert.equal(token.expire, '');
    assert.ok(token.secret.length > 20);
    assert.equal(await statusOf(`${server.endpoint}/storage/buckets/vault/files/secret/download?project=${PROJECT}`), 404);
    assert.equal(await statusOf(link('secret', 'download', token.secret)), 200);
    const viewed = await fetch(link('secret', 'view', token.secret));
    assert.equal(await viewed.text(), 'top secret');
    const guest = new Storage(sdkClient(server, PROJECT));
    assert.equal(Buffer.from(await guest.getFileDownload({ bucketId: 'vault', fileId: 'secret', token: token.secret })).toString(), 'top secret');
    // Not another file, and not the file's metadata.
    assert.equal(await statusOf(link('other', 'download', token.secret)), 404);
    await rejectsWith(guest.getFile({ bucketId: 'vault', fileId: 'secret' }), 404, 'storage_file_not_found');
    assert.equal(await statusOf(link('secret', 'download', `${token.secret}x`)), 404);
    assert.notEqual((await tokens.get({ tokenId: token.$id })).accessedAt, '');
  });

  test('tokens are listed per file, their expiry changes, and expired or deleted ones open nothing', async () => {
    const soon = new Date(Date.now() + 60_000).toISOString();
    const timed = await tokens.createFileToken({ bucketId: 'vault', fileId: 'other', expire: soon });
    assert.equal(new Date(timed.expire).getTime(), new Date(soon).getTime());
    assert.equal(await statusOf(link('other', 'view', timed.secret)), 200);
    const listed: Models.ResourceTokenList = await tokens.list({ bucketId: 'vault', fileId: 'other' });
    assert.deepEqual(listed.tokens.map((t) => t.$id), [timed.$id]);
    assert.equal(listed.total, 1);
    assert.equal((await tokens.list({ bucketId: 'vault', fileId: 'other', queries: [Query.limit(1), Query.orderDesc('$createdAt')] })).tokens.length, 1);
    assert.equal((await tokens.get({ tokenId: timed.$id })).secret, timed.secret);

    const expired = await tokens.update({ tokenId: timed.$id, expire: new Date(Date.now() - 1000).toISOString() });
    assert.ok(new Date(expired.expire).getTime() < Date.now());
    assert.equal(await statusOf(link('other', 'view', timed.secret)), 404);
    // No expiry: the token never expires.
    await tokens.update({ tokenId: timed.$id });
    assert.equal(await statusOf(link('other', 'view', timed.secret)), 200);

    await tokens.delete({ tokenId: timed.$id });
    assert.equal(await statusOf(link('other', 'view', timed.secret)), 404);
    await rejectsWith(tokens.get({ tokenId: timed.$id }), 404, 'token_not_found');
    await rejectsWith(tokens.delete({ tokenId: timed.$id }), 404, 'token_not_found');
    await rejectsWith(tokens.update({ tokenId: 'nope' }), 404, 'token_not_found');
  });

  test('tokens need an existing file and a valid expiry, and go with their file', async () => {
    await rejectsWith(tokens.createFileToken({ bucketId: 'vault', fileId: 'nope' }), 404, 'storage_file_not_found');
    await rejectsWith(tokens.createFileToken({ bucketId: 'nope', fileId: 'secret' }), 404, 'storage_bucket_not_found');
    await rejectsWith(tokens.createFileToken({ bucketId: 'vault', fileId: 'secret', expire: 'tomorrow' }), 400, 'general_argument_invalid');
    await rejectsWith(tokens.list({ bucketId: 'vault', fileId: 'nope' }), 404, 'storage_file_not_found');
    const token = await tokens.createFileToken({ bucketId: 'vault', fileId: 'secret' });
    await storage.deleteFile({ bucketId: 'vault', fileId: 'secret' });
    await rejectsWith(tokens.get({ tokenId: token.$id }), 404, 'token_not_found');
  });
});
