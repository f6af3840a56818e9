import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Permission, Role, type Storage } from 'node-appwrite';
import { InputFile } from 'node-appwrite/file';
import { jsonOf, type TestServer } from '../support/plinth.js';
import { md5, MiB, randomContent, signUpStorageUser, startStorageServer, type StorageUser } from './helpers.js';

const PROJECT = 'reading';
const PNG_HEADER = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

describe('downloading and viewing files', () => {
  let server: TestServer;
  let storage: Storage;
  let ada: StorageUser;
  const big = randomContent(7 * MiB);
  const url = (fileId: string, action: string, query = '') => `${server.endpoint}/storage/buckets/pics/files/${fileId}/${action}?project=${PROJECT}${query}`;

  before(async () => {
    let key: string;
    ({ server, key, storage } = await startStorageServer(PROJECT));
    ada = await signUpStorageUser(server, PROJECT, key, 'Ada');
    await storage.createBucket({ bucketId: 'pics', name: 'Pics', permissions: [Permission.create(Role.users())], fileSecurity: true, encryption: false });
    await storage.createFile({ bucketId: 'pics', fileId: 'page', file: InputFile.fromBuffer(Buffer.from('<html><script>alert(1)</script></html>'), 'page.html'), permissions: [Permission.read(Role.any())] });
    await storage.createFile({ bucketId: 'pics', fileId: 'logo', file: InputFile.fromBuffer(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'logo.svg'), permissions: [Permission.read(Role.any())] });
    await storage.createFile({ bucketId: 'pics', fileId: 'big', file: InputFile.fromBuffer(big, 'big.bin'), permissions: [Permission.read(Role.any())] });
    await ada.storage.createFile({ bucketId: 'pics', fileId: 'photo', file: InputFile.fromBuffer(Buffer.concat([PNG_HEADER, randomContent(100)]), 'Ünïcode photo.png') });
  });
  after(() => server.stop());

  test('download is an attachment with the name, type, length, ETag and cache headers', async () => {
    const response = await fetch(url('big', 'download'));
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-disposition'), 'attachment; filename="big.bin"; filename*=UTF-8\'\'big.bin');
    assert.equal(response.headers.get('content-type'), 'application/octet-stream');
    assert.equal(response.headers.get('content-length'), String(big.length));
    assert.equal(response.headers.get('etag'), `"${md5(big)}"`);
    assert.match(response.headers.get('cache-control') ?? '', /private/);
    assert.equal(response.headers.get('accept-ranges'), 'bytes');
    assert.ok(Buffer.from(await response.arrayBuffer()).equals(big));
    const cached = await fetch(url('big', 'download'), { headers: { 'if-none-match': `"${md5(big)}"` } });
    assert.equal(cached.status, 304);
    assert.equal((await cached.arrayBuffer()).byteLength, 0);
  });

  test('view is inline, but active content is sent as plain text in a sandbox', async () => {
    for (const fileId of ['page', 'logo']) {
      const response = await fetch(url(fileId, 'view'));
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type'), 'text/plain; charset=utf-8');
      assert.match(response.headers.get('content-disposition') ?? '', /^inline;/);
      assert.equal(response.headers.get('content-security-policy'), 'sandbox');
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
      await response.arrayBuffer();
    }
    const meta = await storage.getFile({ bucketId: 'pics', fileId: 'page' });
    assert.equal(meta.mimeType, 'text/html');
  });

  test('ranges answer 206 with Content-Range; unsatisfiable ones 416 storage_invalid_range', async () => {
    const cases: [string, number, number][] = [
      ['bytes=0-99', 0, 99],
      [`bytes=${5 * MiB - 10}-${5 * MiB + 9}`, 5 * MiB - 10, 5 * MiB + 9],
      ['bytes=-50', big.length - 50, big.length - 1],
      [`bytes=${big.length - 5}-`, big.length - 5, big.length - 1],
      [`bytes=${big.length - 5}-${big.length + 100}`, big.length - 5, big.length - 1],
    ];
    for (const [range, start, end] of cases) {
      const response = await fetch(url('big', 'download'), { headers: { range } });
      assert.equal(response.status, 206, range);
      assert.equal(response.headers.get('content-range'), `bytes ${start}-${end}/${big.length}`);
      assert.equal(response.headers.get('content-length'), String(end - start + 1));
      assert.ok(Buffer.from(await response.arrayBuffer()).equals(big.subarray(start, end + 1)), range);
    }
    for (const range of [`bytes=${big.length}-`, 'bytes=10-5', 'bytes=0-1,5-6', 'pages=1-2', 'bytes=-0']) {
      const response = await fetch(url('big', 'view'), { headers: { range } });
      assert.equal(response.status, 416, range);
      assert.equal((await jsonOf(response)).type, 'storage_invalid_range');
    }
  });

  test('links carry the project in the query and the session in the cookie, as <img> and <a> do', async () => {
    const anonymous = await fetch(url('photo', 'view'));
    assert.equal(anonymous.status, 404);
    assert.equal((await jsonOf(anonymous)).type, 'storage_file_not_found');
    const withCookie = await fetch(url('photo', 'view'), { headers: { cookie: `a_session_${PROJECT}=${ada.session}` } });
    assert.equal(withCookie.status, 200);
    assert.equal(withCookie.headers.get('content-type'), 'image/png');
    assert.equal(withCookie.headers.get('content-disposition'), `inline; filename="_n_code photo.png"; filename*=UTF-8''${encodeURIComponent('Ünïcode photo.png')}`);
    assert.ok(Buffer.from(await withCookie.arrayBuffer()).subarray(0, 16).equals(PNG_HEADER));
  });

  test('a file still uploading cannot be read; unknown files and buckets are not found', async () => {
    for (const path of ['pics/files/nope/download', 'nope/files/big/view']) {
      const response = await fetch(`${server.endpoint}/storage/buckets/${path}?project=${PROJECT}`);
      assert.equal(response.status, 404);
      await response.arrayBuffer();
    }
  });
});
