import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ID, type Storage } from 'node-appwrite';
import { InputFile } from 'node-appwrite/file';
import { jsonOf, type TestServer } from '../support/plinth.js';
import { rejectsWith } from '../support/sdk.js';
import { md5, MiB, randomContent, sha256, startStorageServer, uploadRaw } from './helpers.js';

const PROJECT = 'uploads';

describe('file uploads', () => {
  let server: TestServer;
  let key: string;
  let storage: Storage;

  before(async () => {
    ({ server, key, storage } = await startStorageServer(PROJECT));
    await storage.createBucket({ bucketId: 'plain', name: 'Plain', maximumFileSize: 64 * MiB, encryption: false });
  });
  after(() => server.stop());

  test('a small file goes up in one request and comes back byte for byte', async () => {
    const bytes = Buffer.from('hello, plinth\n');
    const file = await storage.createFile({ bucketId: 'plain', fileId: 'hello', file: InputFile.fromBuffer(bytes, 'hello.txt') });
    assert.equal(file.$id, 'hello');
    assert.equal(file.name, 'hello.txt');
    assert.equal(file.sizeOriginal, bytes.length);
    assert.equal(file.chunksTotal, 1);
    assert.equal(file.chunksUploaded, 1);
    assert.equal(file.signature, md5(bytes));
    assert.equal(file.mimeType, 'text/plain');
    assert.deepEqual([...file.$permissions], []);
    const back = await storage.getFileDownload({ bucketId: 'plain', fileId: 'hello' });
    assert.equal(Buffer.from(back).toString(), 'hello, plinth\n');
  });

  test('a 12 MiB file goes up in three chunks through the SDK', async () => {
    const bytes = randomContent(12 * MiB);
    const progress: number[] = [];
    const file = await storage.createFile({
      bucketId: 'plain',
      fileId: ID.unique(),
      file: InputFile.fromBuffer(bytes, 'big.bin'),
      onProgress: (p) => progress.push(p.chunksUploaded),
    });
    assert.equal(file.chunksTotal, 3);
    assert.equal(file.chunksUploaded, 3);
    assert.equal(file.sizeOriginal, 12 * MiB);
    assert.equal(file.signature, md5(bytes));
    assert.equal(progress.length, 3);
    const back = await storage.getFileDownload({ bucketId: 'plain', fileId: file.$id });
    assert.equal(sha256(back), sha256(bytes));
  });

  test('chunks arrive in any order, a retried chunk counts once, and create fires on the last', async () => {
    const bytes = randomContent(11 * MiB);
    const total = bytes.length;
    const chunk = (i: number) => bytes.subarray(i * 5 * MiB, Math.min((i + 1) * 5 * MiB, total));
    const range = (i: number) => `bytes ${i * 5 * MiB}-${Math.min((i + 1) * 5 * MiB, total) - 1}/${total}`;
    const send = (i: number) => uploadRaw(server, { project: PROJECT, key, bucketId: 'plain', fileId: 'ordered', bytes: chunk(i), range: range(i), uploadId: 'ordered' });

    const last = await send(2);
    assert.equal(last.status, 201);
    assert.equal((await jsonOf(last)).chunksUploaded, 1);
    const again = await send(2);
    assert.equal((await jsonOf(again)).chunksUploaded, 1);
    const middle = await jsonOf(send(0));
    assert.equal(middle.chunksUploaded, 2);
    assert.equal(middle.chunksTotal, 3);
    assert.equal(middle.signature, '');
    const done = await jsonOf(send(1));
    assert.equal(done.chunksUploaded, 3);
    assert.equal(done.signature, md5(bytes));
    const back = await storage.getFileDownload({ bucketId: 'plain', fileId: 'ordered' });
    assert.equal(sha256(back), sha256(bytes));
    // A chunk of a finished file is refused.
    const late = await send(1);
    assert.equal(late.status, 409);
    assert.equal((await jsonOf(late)).type, 'storage_file_already_exists');
  });

  test('an interrupted upload resumes, and a half-uploaded file can be deleted', async () => {
    const bytes = randomContent(6 * MiB);
    const first = await uploadRaw(server, { project: PROJECT, key, bucketId: 'plain', fileId: 'resumed', bytes: bytes.subarray(0, 5 * MiB), range: `bytes 0-${5 * MiB - 1}/${bytes.length}` });
    assert.equal((await jsonOf(first)).chunksUploaded, 1);
    const pending = await storage.getFile({ bucketId: 'plain', fileId: 'resumed' });
    assert.equal(pending.chunksUploaded, 1);
    await rejectsWith(storage.getFileDownload({ bucketId: 'plain', fileId: 'resumed' }), 404, 'storage_file_not_found');
    const rest = await uploadRaw(server, {
      project: PROJECT, key, bucketId: 'plain', fileId: 'resumed', bytes: bytes.subarray(5 * MiB), range: `bytes ${5 * MiB}-${bytes.length - 1}/${bytes.length}`, uploadId: 'resumed',
    });
    assert.equal((await jsonOf(rest)).chunksUploaded, 2);
    assert.equal(sha256(await storage.getFileDownload({ bucketId: 'plain', fileId: 'resumed' })), sha256(bytes));

    await uploadRaw(server, { project: PROJECT, key, bucketId: 'plain', fileId: 'abandoned', bytes: bytes.subarray(0, 5 * MiB), range: `bytes 0-${5 * MiB - 1}/${bytes.length}` });
    await storage.deleteFile({ bucketId: 'plain', fileId: 'abandoned' });
    await rejectsWith(storage.getFile({ bucketId: 'plain', fileId: 'abandoned' }), 404, 'storage_file_not_found');
  });

  test('sizes at the chunk edges and a 50 MiB file of ten chunks sent eight at a time round trip by SHA-256', async () => {
    for (const size of [1, 5 * MiB, 5 * MiB + 1, 50 * MiB]) {
      const bytes = randomContent(size);
      const file = await storage.createFile({ bucketId: 'plain', fileId: ID.unique(), file: InputFile.fromBuffer(bytes, 'edge.bin') });
      assert.equal(file.sizeOriginal, size);
      assert.equal(file.chunksTotal, Math.ceil(size / (5 * MiB)));
      assert.equal(file.chunksUploaded, file.chunksTotal);
      assert.equal(file.signature, md5(bytes), String(size));
      assert.equal(sha256(await storage.getFileDownload({ bucketId: 'plain', fileId: file.$id })), sha256(bytes), String(size));
    }
  });
});
