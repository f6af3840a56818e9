import assert from 'node:assert/strict';
import { buffer } from 'node:stream/consumers';
import { after, before, describe, test } from 'node:test';
import { Compression, ID, type Storage } from 'node-appwrite';
import { InputFile } from 'node-appwrite/file';
import type { TestServer } from '../support/plinth.js';
import { rejectsWith } from '../support/sdk.js';
import { md5, MiB, randomContent, sha256, startStorageServer, uploadRaw } from './helpers.js';

const PROJECT = 'atrest';

/** Text that compresses well, with a marker to look for on disk. */
function compressible(size: number, marker: string): Buffer {
  const line = Buffer.from(`${marker} the quick brown fox jumps over the lazy dog ${randomContent(4).toString('hex')}\n`);
  return Buffer.alloc(size, line);
}

/** Every object stored under the bucket, chunks included, with its bytes as the file store (disk or S3) holds them. */
async function storedFiles(server: TestServer, bucketId: string): Promise<{ name: string; bytes: Buffer }[]> {
  const store = await server.fileStore();
  const paths = await store.list(`${PROJECT}/${bucketId}/`);
  return Promise.all(paths.map(async (path) => ({ name: path, bytes: await buffer(await store.read(path)) })));
}

describe('files at rest: encryption and compression', () => {
  let server: TestServer;
  let key: string;
  let storage: Storage;

  before(async () => {
    ({ server, key, storage } = await startStorageServer(PROJECT));
    await storage.createBucket({ bucketId: 'sealed', name: 'Sealed', encryption: true, maximumFileSize: 64 * MiB });
    await storage.createBucket({ bucketId: 'gzip', name: 'Gzip', encryption: false, compression: Compression.Gzip, maximumFileSize: 64 * MiB });
    await storage.createBucket({ bucketId: 'zstd', name: 'Zstd', encryption: true, compression: Compression.Zstd, maximumFileSize: 64 * MiB });
  });
  after(() => server.stop());

  test('an encrypted bucket never writes plaintext, not even the chunks of an upload in progress', async () => {
    const marker = `MARKER${randomContent(8).toString('hex')}`;
    const bytes = compressible(6 * MiB, marker);
    await uploadRaw(server, { project: PROJECT, key, bucketId: 'sealed', fileId: 'half', bytes: bytes.subarray(0, 5 * MiB), range: `bytes 0-${5 * MiB - 1}/${bytes.length}` });
    const halfway = await storedFiles(server, 'sealed');
    assert.equal(halfway.length, 1);
    assert.equal(halfway[0]!.bytes.includes(marker), false);

    const file = await storage.createFile({ bucketId: 'sealed', fileId: 'whole', file: InputFile.fromBuffer(bytes, 'notes.txt') });
    assert.equal(file.encryption, true);
    assert.equal(file.signature, md5(bytes));
    for (const stored of await storedFiles(server, 'sealed')) assert.equal(stored.bytes.includes(marker), false, stored.name);
    assert.equal(sha256(await storage.getFileDownload({ bucketId: 'sealed', fileId: 'whole' })), sha256(bytes));
    const range = await fetch(`${server.endpoint}/storage/buckets/sealed/files/whole/view?project=${PROJECT}`, {
      headers: { range: `bytes=${5 * MiB - 3}-${5 * MiB + 3}`, 'x-appwrite-key': key },
    });
    assert.equal(range.status, 206);
    assert.ok(Buffer.from(await range.arrayBuffer()).equals(bytes.subarray(5 * MiB - 3, 5 * MiB + 4)));
  });

  test('gzip and zstd round trip, chunked or whole, and store fewer bytes', async () => {
    for (const bucketId of ['gzip', 'zstd']) {
      for (const size of [1000, 12 * MiB + 7]) {
        const bytes = compressible(size, 'zip');
        const file = await storage.createFile({ bucketId, fileId: ID.unique(), file: InputFile.fromBuffer(bytes, 'data.txt') });
        assert.equal(file.compression, bucketId);
        assert.equal(file.sizeOriginal, size);
        assert.equal(sha256(await storage.getFileDownload({ bucketId, fileId: file.$id })), sha256(bytes), `${bucketId} ${size}`);
        const tail = await fetch(`${server.endpoint}/storage/buckets/${bucketId}/files/${file.$id}/download?project=${PROJECT}`, {
          headers: { range: 'bytes=-10', 'x-appwrite-key': key },
        });
        assert.ok(Buffer.from(await tail.arrayBuffer()).equals(bytes.subarray(size - 10)));
      }
      const stored = await storedFiles(server, bucketId);
      const total = stored.reduce((sum, file) => sum + file.bytes.length, 0);
      assert.ok(total < MiB, `${bucketId} stores ${total} bytes`);
      assert.equal((await storage.getBucket({ bucketId })).totalSize, total);
    }
  });

  test('changing a bucket to encrypted applies to new files; old ones still read', async () => {
    const plain = await storage.createFile({ bucketId: 'gzip', fileId: 'before', file: InputFile.fromBuffer(Buffer.from('old file'), 'a.txt') });
    assert.equal(plain.encryption, false);
    await storage.updateBucket({ bucketId: 'gzip', name: 'Gzip', encryption: true, compression: Compression.None, maximumFileSize: 64 * MiB });
    const sealed = await storage.createFile({ bucketId: 'gzip', fileId: 'after', file: InputFile.fromBuffer(Buffer.from('new file'), 'b.txt') });
    assert.equal(sealed.encryption, true);
    assert.equal(sealed.compression, 'none');
    assert.equal(Buffer.from(await storage.getFileDownload({ bucketId: 'gzip', fileId: 'before' })).toString(), 'old file');
    assert.equal(Buffer.from(await storage.getFileDownload({ bucketId: 'gzip', fileId: 'after' })).toString(), 'new file');
  });

  test('deleting a bucket removes its files, bytes and rows', async () => {
    assert.ok((await storedFiles(server, 'zstd')).length > 0);
    await storage.deleteBucket({ bucketId: 'zstd' });
    assert.deepEqual(await storedFiles(server, 'zstd'), []);
    await rejectsWith(storage.getBucket({ bucketId: 'zstd' }), 404, 'storage_bucket_not_found');
    await rejectsWith(storage.listFiles({ bucketId: 'zstd' }), 404, 'storage_bucket_not_found');
    await rejectsWith(storage.deleteBucket({ bucketId: 'zstd' }), 404, 'storage_bucket_not_found');
    // The id is free again, and the new bucket is empty.
    await storage.createBucket({ bucketId: 'zstd', name: 'Again' });
    assert.equal((await storage.listFiles({ bucketId: 'zstd' })).total, 0);
  });
});
