import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Storage } from 'node-appwrite';
import { InputFile } from 'node-appwrite/file';
import { jsonOf, type TestServer } from '../support/plinth.js';
import { rejectsWith } from '../support/sdk.js';
import { MiB, randomContent, startStorageServer, uploadRaw } from './helpers.js';

const PROJECT = 'limits';

/** The name of every object stored under the bucket, chunks included, in the server's file store (disk or S3). */
async function storedUnder(server: TestServer, bucketId: string): Promise<string[]> {
  const paths = await (await server.fileStore()).list(`${PROJECT}/${bucketId}/`);
  return paths.map((path) => path.split('/').pop()!);
}

describe('upload limits and malformed uploads', () => {
  let server: TestServer;
  let key: string;
  let storage: Storage;

  const upload = (init: Omit<Parameters<typeof uploadRaw>[1], 'project' | 'key'>) => uploadRaw(server, { project: PROJECT, key, ...init });
  async function refused(response: Promise<Response>, status: number, type: string): Promise<void> {
    const answer = await response;
    const body = await jsonOf(answer);
    assert.equal(answer.status, status, JSON.stringify(body));
    assert.equal(body.type, type);
  }

  before(async () => {
    ({ server, key, storage } = await startStorageServer(PROJECT));
    await storage.createBucket({ bucketId: 'small', name: 'Small', maximumFileSize: 1000, allowedFileExtensions: ['txt', '.PNG'] });
    await storage.createBucket({ bucketId: 'big', name: 'Big', maximumFileSize: 8 * MiB });
  });
  after(() => server.stop());

  test('a file over the bucket limit is refused with storage_invalid_file_size, and nothing stays on disk', async () => {
    await rejectsWith(
      storage.createFile({ bucketId: 'small', fileId: 'too-big', file: InputFile.fromBuffer(randomContent(1001), 'a.txt') }),
      400,
      'storage_invalid_file_size',
    );
    // A chunked upload declares its size: refused before the body is read.
    await refused(upload({ bucketId: 'big', fileId: 'huge', bytes: randomContent(5 * MiB), range: `bytes 0-${5 * MiB - 1}/${9 * MiB}` }), 400, 'storage_invalid_file_size');
    await rejectsWith(storage.getFile({ bucketId: 'small', fileId: 'too-big' }), 404, 'storage_file_not_found');
    await rejectsWith(storage.getFile({ bucketId: 'big', fileId: 'huge' }), 404, 'storage_file_not_found');
    assert.deepEqual(await storedUnder(server, 'small'), []);
    assert.deepEqual(await storedUnder(server, 'big'), []);
    const fits = await storage.createFile({ bucketId: 'small', fileId: 'fits', file: InputFile.fromBuffer(randomContent(1000), 'a.txt') });
    assert.equal(fits.sizeOriginal, 1000);
  });

  test('a request over 5 MiB without Content-Range is refused', async () => {
    await refused(upload({ bucketId: 'big', fileId: 'unchunked', bytes: randomContent(6 * MiB) }), 400, 'storage_invalid_file_size');
    assert.deepEqual(await storedUnder(server, 'big'), []);
  });

  test('extensions outside the allowed list are refused with storage_file_type_unsupported', async () => {
    await rejectsWith(
      storage.createFile({ bucketId: 'small', fileId: 'exe', file: InputFile.fromBuffer(Buffer.from('MZ'), 'tool.exe') }),
      400,
      'storage_file_type_unsupported',
    );
    await rejectsWith(
      storage.createFile({ bucketId: 'small', fileId: 'noext', file: InputFile.fromBuffer(Buffer.from('x'), 'README') }),
      400,
      'storage_file_type_unsupported',
    );
    const png = await storage.createFile({ bucketId: 'small', fileId: 'png', file: InputFile.fromBuffer(Buffer.from('x'), 'Image.PNG') });
    assert.equal(png.name, 'Image.PNG');
  });

  test('malformed Content-Range headers and upload ids are refused', async () => {
    const bytes = randomContent(5 * MiB);
    for (const range of ['bytes 0-10', 'bytes=0-5242879/6291456', `bytes 1-${5 * MiB}/${6 * MiB}`, `bytes 0-100/${6 * MiB}`, `bytes ${5 * MiB}-${6 * MiB}/${6 * MiB}`, 'bytes 0-0/0']) {
      await refused(upload({ bucketId: 'big', fileId: 'ranged', bytes, range }), 400, 'storage_invalid_content_range');
    }
    // The range says 5 MiB, the body is shorter.
    await refused(upload({ bucketId: 'big', fileId: 'short', bytes: bytes.subarray(1), range: `bytes 0-${5 * MiB - 1}/${6 * MiB}` }), 400, 'storage_invalid_content_range');
    await refused(upload({ bucketId: 'big', fileId: 'x', bytes, range: `bytes 0-${5 * MiB - 1}/${6 * MiB}`, uploadId: 'unique()' }), 400, 'storage_invalid_appwrite_id');
    // Later chunks must agree with the first on the file's size.
    await upload({ bucketId: 'big', fileId: 'sized', bytes, range: `bytes 0-${5 * MiB - 1}/${6 * MiB}` });
    await refused(upload({ bucketId: 'big', fileId: 'sized', uploadId: 'sized', bytes: bytes.subarray(0, 2 * MiB), range: `bytes ${5 * MiB}-${7 * MiB - 1}/${7 * MiB}` }), 400, 'storage_invalid_content_range');
    assert.deepEqual(await storedUnder(server, 'big'), ['0']);
    await storage.deleteFile({ bucketId: 'big', fileId: 'sized' });
    assert.deepEqual(await storedUnder(server, 'big'), []);
  });

  test('missing parameters, unknown buckets and taken ids are refused; the server keeps serving', async () => {
    const noFile = new FormData();
    noFile.append('fileId', 'nofile');
    await refused(server.request('/storage/buckets/small/files', { method: 'POST', body: noFile, project: PROJECT, key }), 400, 'general_argument_invalid');
    const noId = new FormData();
    noId.append('file', new Blob(['x']), 'a.txt');
    await refused(server.request('/storage/buckets/small/files', { method: 'POST', body: noId, project: PROJECT, key }), 400, 'general_argument_invalid');
    await refused(
      server.request('/storage/buckets/small/files', { method: 'POST', project: PROJECT, key, headers: { 'content-type': 'application/json' }, body: '{"fileId":"x"}' }),
      400,
      'general_argument_invalid',
    );
    await refused(upload({ bucketId: 'small', fileId: 'bad id!', bytes: Buffer.from('x'), name: 'a.txt' }), 400, 'general_argument_invalid');
    await refused(upload({ bucketId: 'small', fileId: 'x', bytes: Buffer.from('x'), name: 'a.txt', permissions: ['fly("any")'] }), 400, 'general_argument_invalid');
    await rejectsWith(storage.createFile({ bucketId: 'nope', fileId: 'x', file: InputFile.fromBuffer(Buffer.from('x'), 'a.txt') }), 404, 'storage_bucket_not_found');
    await rejectsWith(storage.createFile({ bucketId: 'small', fileId: 'fits', file: InputFile.fromBuffer(Buffer.from('x'), 'a.txt') }), 409, 'storage_file_already_exists');
    assert.deepEqual((await storedUnder(server, 'small')).sort(), ['fits', 'png']);
    assert.equal((await jsonOf(server.request('/health/version'))).version !== undefined, true);
    assert.equal((await storage.getFile({ bucketId: 'small', fileId: 'fits' })).sizeOriginal, 1000);
  });
});
