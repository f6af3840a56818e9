import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { createBucket, deleteBucket, updateBucket } from '../../src/services/storage/buckets.js';
import { deleteFile, updateFile } from '../../src/services/storage/files.js';
import { beginUpload, CHUNK_SIZE, completeChunk, receiveChunk } from '../../src/services/storage/uploads.js';
import { startInProcess, type InProcess } from '../support/in-process.js';
import { serverCaller, userCaller } from '../../src/core/caller.js';

const PROJECT = 'storageevents';
const key = serverCaller();
const ada = userCaller({ id: 'ada' }, ['any', 'users', 'user:ada']);

describe('storage events', () => {
  let app: InProcess;

  async function upload(caller: typeof ada | typeof key, fileId: string, bytes: Buffer, range?: string, uploadId?: string, permissions?: string[]) {
    const { deps } = app.services;
    const target = await beginUpload(deps, PROJECT, caller, 'media', { contentRange: range, uploadId });
    const chunk = await receiveChunk(deps, target, { fileId, name: `${fileId}.bin`, declaredType: 'application/octet-stream', body: Readable.from([bytes]) });
    return completeChunk(deps, target, chunk, permissions);
  }

  before(async () => {
    app = await startInProcess(PROJECT);
  });
  after(() => app.stop());

  test('bucket create, update and delete are published with wildcards and the bucket readers', async () => {
    const { deps } = app.services;
    await createBucket(deps, PROJECT, { bucketId: 'media', name: 'Media', permissions: ['read("team:crew")', 'create("users")'], fileSecurity: true });
    const created = app.published('buckets.media.create');
    assert.ok(created.names.includes('buckets.*.create'));
    assert.ok(created.names.includes('buckets.*'));
    assert.deepEqual(created.readableBy, ['team:crew']);
    assert.equal((created.payload as { $id: string }).$id, 'media');
    await updateBucket(deps, PROJECT, 'media', { name: 'Media!', permissions: ['read("team:crew")', 'create("users")'], fileSecurity: true });
    assert.equal((app.published('buckets.*.update').payload as { name: string }).name, 'Media!');
  });

  test('a chunked upload publishes create once, on its last chunk; update and delete follow', async () => {
    const { deps } = app.services;
    const total = CHUNK_SIZE + 10;
    const bytes = Buffer.alloc(total, 7);
    await upload(ada, 'clip', bytes.subarray(0, CHUNK_SIZE), `bytes 0-${CHUNK_SIZE - 1}/${total}`);
    assert.equal(app.events.length, 0);
    const done = await upload(ada, 'clip', bytes.subarray(CHUNK_SIZE), `bytes ${CHUNK_SIZE}-${total - 1}/${total}`, 'clip');
    assert.equal(done.chunksUploaded, 2);
    const created = app.published('buckets.media.files.clip.create');
    assert.ok(created.names.includes('buckets.*.files.*.create'));
    assert.ok(created.names.includes('buckets.media.files.*'));
    // Bucket readers and, with file security on, the file's own.
    assert.deepEqual(created.readableBy.sort(), ['team:crew', 'user:ada']);

    await updateFile(deps, PROJECT, ada, { bucketId: 'media', fileId: 'clip' }, { name: 'clip.mp4' });
    assert.equal((app.published('buckets.media.files.clip.update').payload as { name: string }).name, 'clip.mp4');
    await deleteFile(deps, PROJECT, ada, { bucketId: 'media', fileId: 'clip' });
    app.published('buckets.media.files.clip.delete');
  });

  test('a refused upload publishes nothing; deleting the bucket publishes its delete', async () => {
    const { deps } = app.services;
    await assert.rejects(upload(ada, 'bad', Buffer.from('x'), undefined, undefined, ['read("team:other")']), { type: 'user_unauthorized' });
    assert.equal(app.events.length, 0);
    await deleteBucket(deps, PROJECT, 'media');
    app.published('buckets.media.delete');
  });

  test('an assembly that failed or was cut short is finished by a retried last chunk, with one create event', async () => {
    const { deps } = app.services;
    await createBucket(deps, PROJECT, { bucketId: 'media', name: 'Media', permissions: ['create("users")'] });
    app.events.length = 0;
    const total = CHUNK_SIZE + 3;
    const bytes = Buffer.alloc(total, 9);
    const first = `bytes 0-${CHUNK_SIZE - 1}/${total}`;
    const last = `bytes ${CHUNK_SIZE}-${total - 1}/${total}`;
    await upload(ada, 'retry', bytes.subarray(0, CHUNK_SIZE), first);

    // The store refuses the finished object once: the upload stays open.
    const failing = { ...deps, files: { ...deps.files, write: async () => Promise.reject(new Error('disk full')) } };
    const target = await beginUpload(failing, PROJECT, ada, 'media', { contentRange: last, uploadId: 'retry' });
    const chunk = await receiveChunk(deps, target, { fileId: 'retry', name: 'retry.bin', declaredType: '', body: Readable.from([bytes.subarray(CHUNK_SIZE)]) });
    await assert.rejects(completeChunk(failing, target, chunk, undefined), /disk full/);
    assert.equal(app.events.length, 0);

    // A node that died while assembling leaves the file claimed; after a while it is taken over.
    const store = deps.db.project(PROJECT);
    await store.updateTable('files').set({ status: 'assembling', assembly_started_at: '2000-01-01T00:00:00.000+00:00' }).where('id', '=', 'retry').execute();
    const done = await upload(ada, 'retry', bytes.subarray(CHUNK_SIZE), last, 'retry');
    assert.equal(done.chunksUploaded, 2);
    assert.ok((done.signature as string).length === 32);
    app.published('buckets.media.files.retry.create');
  });
});
