import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Compression, Permission, Query, Role, Storage } from 'node-appwrite';
import { InputFile } from 'node-appwrite/file';
import type { TestServer } from '../support/plinth.js';
import { rejectsWith, sdkClient } from '../support/sdk.js';
import { MiB, randomContent, startStorageServer, uploadRaw } from './helpers.js';

const PROJECT = 'buckets';

describe('buckets', () => {
  let server: TestServer;
  let storage: Storage;

  before(async () => {
    ({ server, storage } = await startStorageServer(PROJECT));
  });
  after(() => server.stop());

  test("a new bucket takes Appwrite's defaults", async () => {
    const bucket = await storage.createBucket({ bucketId: 'defaults', name: 'Defaults' });
    assert.equal(bucket.$id, 'defaults');
    assert.deepEqual([...bucket.$permissions], []);
    assert.equal(bucket.fileSecurity, false);
    assert.equal(bucket.enabled, true);
    assert.equal(bucket.maximumFileSize, 30_000_000);
    assert.deepEqual([...bucket.allowedFileExtensions], []);
    assert.equal(bucket.compression, 'none');
    assert.equal(bucket.encryption, true);
    assert.equal(bucket.antivirus, true);
    assert.equal(bucket.transformations, true);
    assert.equal(bucket.totalSize, 0);
    assert.deepEqual({ ...(await storage.getBucket({ bucketId: 'defaults' })) }, { ...bucket });
  });

  test('every setting is stored, write expands, and update replaces them all', async () => {
    const bucket = await storage.createBucket({
      bucketId: 'custom',
      name: 'Custom',
      permissions: [Permission.read(Role.any()), Permission.write(Role.users())],
      fileSecurity: true,
      enabled: false,
      maximumFileSize: 1234,
      allowedFileExtensions: ['JPG', '.png'],
      compression: Compression.Zstd,
      encryption: false,
      antivirus: false,
      transformations: false,
    });
    assert.deepEqual([...bucket.$permissions], ['read("any")', 'create("users")', 'update("users")', 'delete("users")']);
    assert.deepEqual([...bucket.allowedFileExtensions], ['jpg', 'png']);
    assert.equal(bucket.compression, 'zstd');
    assert.equal(bucket.enabled, false);
    const updated = await storage.updateBucket({ bucketId: 'custom', name: 'Renamed', compression: Compression.Gzip });
    assert.equal(updated.name, 'Renamed');
    assert.equal(updated.compression, 'gzip');
    assert.equal(updated.enabled, true);
    assert.equal(updated.fileSecurity, false);
    // Permissions not sent are kept.
    assert.deepEqual([...updated.$permissions], [...bucket.$permissions]);
    assert.ok(updated.$updatedAt >= bucket.$updatedAt);
  });

  test('lists take queries and search', async () => {
    await storage.createBucket({ bucketId: 'photos', name: 'Holiday photos', encryption: false });
    const all = await storage.listBuckets();
    assert.deepEqual(all.buckets.map((b) => b.$id), ['defaults', 'custom', 'photos']);
    assert.equal(all.total, 3);
    assert.deepEqual((await storage.listBuckets({ queries: [Query.equal('encryption', false)] })).buckets.map((b) => b.$id), ['photos']);
    assert.deepEqual((await storage.listBuckets({ queries: [Query.equal('compression', 'gzip')] })).buckets.map((b) => b.$id), ['custom']);
    assert.deepEqual((await storage.listBuckets({ queries: [Query.orderDesc('$createdAt'), Query.limit(1)] })).buckets.map((b) => b.$id), ['photos']);
    assert.deepEqual((await storage.listBuckets({ search: 'holiday' })).buckets.map((b) => b.$id), ['photos']);
    assert.deepEqual((await storage.listBuckets({ queries: [Query.cursorAfter('defaults')] })).buckets.map((b) => b.$id), ['custom', 'photos']);
    assert.equal((await storage.listBuckets({ total: false })).total, 0);
    await rejectsWith(storage.listBuckets({ queries: [Query.equal('secret', 'x')] }), 400, 'general_query_invalid');
  });

  test('bad input and unknown ids are refused', async () => {
    await rejectsWith(storage.createBucket({ bucketId: 'defaults', name: 'Again' }), 409, 'storage_bucket_already_exists');
    await rejectsWith(storage.createBucket({ bucketId: '_bad', name: 'Bad' }), 400, 'general_argument_invalid');
    await rejectsWith(storage.createBucket({ bucketId: 'x', name: 'X', permissions: ['read("nobody")'] }), 400, 'general_argument_invalid');
    await rejectsWith(storage.createBucket({ bucketId: 'x', name: 'X', compression: 'brotli' as Compression }), 400, 'general_argument_invalid');
    await rejectsWith(storage.createBucket({ bucketId: 'x', name: 'X', maximumFileSize: 0 }), 400, 'general_argument_invalid');
    await rejectsWith(storage.getBucket({ bucketId: 'nope' }), 404, 'storage_bucket_not_found');
    await rejectsWith(storage.updateBucket({ bucketId: 'nope', name: 'x' }), 404, 'storage_bucket_not_found');
    const unique = await storage.createBucket({ bucketId: 'unique()', name: 'Generated' });
    assert.match(unique.$id, /^[0-9a-f]{20}$/);
  });

  test('files list with queries and search inside a bucket', async () => {
    await storage.createFile({ bucketId: 'photos', fileId: 'beach', file: InputFile.fromBuffer(Buffer.from('sand'), 'beach.txt') });
    await storage.createFile({ bucketId: 'photos', fileId: 'hill', file: InputFile.fromBuffer(Buffer.from('grass and sky'), 'hill.txt') });
    const files = await storage.listFiles({ bucketId: 'photos', queries: [Query.greaterThan('sizeOriginal', 5)] });
    assert.deepEqual(files.files.map((f) => f.$id), ['hill']);
    assert.deepEqual((await storage.listFiles({ bucketId: 'photos', search: 'beach' })).files.map((f) => f.$id), ['beach']);
    assert.deepEqual((await storage.listFiles({ bucketId: 'photos', queries: [Query.equal('mimeType', 'text/plain'), Query.orderDesc('name')] })).files.map((f) => f.$id), ['hill', 'beach']);
    await rejectsWith(storage.listFiles({ bucketId: 'photos', queries: [Query.equal('bucketId', 'x')] }), 400, 'general_query_invalid');
    assert.equal((await storage.getBucket({ bucketId: 'photos' })).totalSize, 17);
  });

  test('deleting a project removes the bytes of its files, finished or half-uploaded, and no other project’s', async () => {
    // `gone2` starts with the same letters: only the folder named exactly by the id goes.
    const projects: Record<string, { key: string; storage: Storage }> = {};
    for (const id of ['gone', 'gone2']) {
      await server.createProject(id);
      const key = await server.createKey(id);
      const client = new Storage(sdkClient(server, id, key));
      await client.createBucket({ bucketId: 'box', name: 'Box' });
      await client.createFile({ bucketId: 'box', fileId: 'kept', file: InputFile.fromBuffer(Buffer.from(`bytes of ${id}`), 'kept.txt') });
      const partial = randomContent(6 * MiB);
      const first = await uploadRaw(server, { project: id, key, bucketId: 'box', fileId: 'partial', bytes: partial.subarray(0, 5 * MiB), range: `bytes 0-${5 * MiB - 1}/${partial.length}` });
      assert.equal(first.status, 201);
      projects[id] = { key, storage: client };
    }
    const store = await server.fileStore();
    assert.ok((await store.list('gone/')).length >= 2);

    const deleted = await server.request('/project', { method: 'DELETE', project: 'gone', key: projects.gone!.key });
    assert.equal(deleted.status, 204);
    assert.deepEqual(await store.list('gone/'), []);
    assert.ok((await store.list('gone2/')).length >= 2);
    const kept = await projects.gone2!.storage.getFileDownload({ bucketId: 'box', fileId: 'kept' });
    assert.equal(Buffer.from(kept).toString(), 'bytes of gone2');
  });
});
