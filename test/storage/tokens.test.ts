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
  let key: string;
  const link = (fileId: string, action: string, token: string) =>
    `${server.endpoint}/storage/buckets/vault/files/${fileId}/${action}?project=${PROJECT}&token=${encodeURIComponent(token)}`;
  const statusOf = async (url: string) => {
    const response = await fetch(url);
    await response.arrayBuffer();
    return response.status;
  };

  before(async () => {
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

  test('tokens are listed per file, their expiry changes, and deleted ones open nothing', async () => {
    const soon = new Date(Date.now() + 60_000).toISOString();
    const timed = await tokens.createFileToken({ bucketId: 'vault', fileId: 'other', expire: soon });
    assert.equal(new Date(timed.expire).getTime(), new Date(soon).getTime());
    assert.equal(await statusOf(link('other', 'view', timed.secret)), 200);
    const listed: Models.ResourceTokenList = await tokens.list({ bucketId: 'vault', fileId: 'other' });
    assert.deepEqual(listed.tokens.map((t) => t.$id), [timed.$id]);
    assert.equal(listed.total, 1);
    assert.equal((await tokens.list({ bucketId: 'vault', fileId: 'other', queries: [Query.limit(1), Query.orderDesc('$createdAt')] })).tokens.length, 1);
    assert.equal((await tokens.get({ tokenId: timed.$id })).secret, timed.secret);

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

  test('an expiry must lie in the future, in any datetime form, and ends the link when it passes', async () => {
    const past = 'Invalid `expire` param: Value must be valid date in the future and between 0000-01-01 00:00:00 and 9999-12-31 00:00:00.';
    await rejectsWith(tokens.createFileToken({ bucketId: 'vault', fileId: 'other', expire: '2022-11-02' }), 400, 'general_argument_invalid', past);
    const lasting = await tokens.createFileToken({ bucketId: 'vault', fileId: 'other' });
    await rejectsWith(tokens.update({ tokenId: lasting.$id, expire: new Date(Date.now() - 1000).toISOString() }), 400, 'general_argument_invalid', past);
    await rejectsWith(tokens.update({ tokenId: lasting.$id, expire: '10000-01-01' }), 400, 'general_argument_invalid', past);

    // A date alone, as the PHP suite sends it, is midnight UTC; a zone name is read as Appwrite reads it.
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const dated = await tokens.update({ tokenId: lasting.$id, expire: tomorrow });
    assert.equal(dated.expire, `${tomorrow}T00:00:00.000+00:00`);
    const zoned = await tokens.update({ tokenId: lasting.$id, expire: `${tomorrow} 12:00:00 America/New_York` });
    assert.ok([`${tomorrow}T16:00:00.000+00:00`, `${tomorrow}T17:00:00.000+00:00`].includes(zoned.expire), zoned.expire);

    // The secret is a JWT issued at the token's creation that expires with it, as Appwrite's.
    const claims = (secret: string) => JSON.parse(Buffer.from(secret.split('.')[1]!, 'base64url').toString());
    assert.equal(claims(zoned.secret).exp, Date.parse(zoned.expire) / 1000);
    assert.equal(claims(zoned.secret).iat, Math.floor(Date.parse(lasting.$createdAt) / 1000));
    assert.equal(claims(lasting.secret).exp, undefined);

    // The link stops working once the expiry passes.
    const brief = await tokens.createFileToken({ bucketId: 'vault', fileId: 'other', expire: new Date(Date.now() + 1500).toISOString() });
    assert.equal(await statusOf(link('other', 'view', brief.secret)), 200);
    const deadline = Date.now() + 15_000;
    while ((await statusOf(link('other', 'view', brief.secret))) === 200) {
      assert.ok(Date.now() < deadline, 'the expired link still opens the file');
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    assert.equal(await statusOf(link('other', 'view', brief.secret)), 404);
  });

  test('requests shaped as the PHP SDK sends them: a body of [] and null for no expiry', async () => {
    const send = (method: string, path: string, body: string) =>
      server.request(path, { method, project: PROJECT, key, headers: { 'content-type': 'application/json' }, body });
    const created = await send('POST', '/tokens/buckets/vault/files/other', '[]');
    assert.equal(created.status, 201);
    const token = (await created.json()) as Models.ResourceToken;
    assert.equal(token.expire, '');
    const cleared = await send('PATCH', `/tokens/${token.$id}`, JSON.stringify({ expire: null }));
    assert.equal(cleared.status, 200);
    assert.equal(((await cleared.json()) as Models.ResourceToken).expire, '');
    const guest = await fetch(`${server.endpoint}/storage/buckets/vault/files/other/preview/?project=${PROJECT}&token=${encodeURIComponent(token.secret)}&width=10`);
    await guest.arrayBuffer();
    assert.equal(guest.status, 200);
  });

  test('a file token created from each body shape the other SDKs send', async () => {
    const post = (headers: Record<string, string>, body?: string | FormData) =>
      server.request('/tokens/buckets/vault/files/other', { method: 'POST', project: PROJECT, key, headers, ...(body === undefined ? {} : { body }) });
    const form = new FormData();
    const withExpiry = new FormData();
    const future = new Date(Date.now() + 3_600_000).toISOString();
    withExpiry.set('expire', future);
    const shapes: [string, Promise<Response>][] = [
      ['no body', post({})],
      ['an empty JSON body', post({ 'content-type': 'application/json' })],
      ['{}', post({ 'content-type': 'application/json' }, '{}')],
      ['expire: null', post({ 'content-type': 'application/json' }, '{"expire":null}')],
      ['an empty form', post({ 'content-type': 'application/x-www-form-urlencoded' }, '')],
      ['an empty multipart form', post({}, form)],
    ];
    for (const [shape, response] of shapes) {
      const answer = await response;
      const body = (await answer.json()) as Models.ResourceToken;
      assert.equal(answer.status, 201, `${shape}: ${JSON.stringify(body)}`);
      assert.equal(body.expire, '', shape);
    }
    for (const [shape, response] of [
      ['a form expiry', post({ 'content-type': 'application/x-www-form-urlencoded' }, `expire=${encodeURIComponent(future)}`)],
      ['a multipart expiry', post({}, withExpiry)],
    ] as const) {
      const answer = await response;
      const body = (await answer.json()) as Models.ResourceToken;
      assert.equal(answer.status, 201, `${shape}: ${JSON.stringify(body)}`);
      assert.equal(Date.parse(body.expire), Date.parse(future), shape);
    }
    const past = await post({ 'content-type': 'application/x-www-form-urlencoded' }, 'expire=2022-11-02');
    assert.equal(past.status, 400);
    assert.match(((await past.json()) as { message: string }).message, /Value must be valid date in the future/);
  });
});
