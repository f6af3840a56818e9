import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { fileStoreContract } from '../../src/infra/files/file-store-contract.js';
import { createLocalFileStore } from '../../src/infra/files/local-file-store.js';
import { openFileStore, parseS3Url } from '../../src/infra/files/open-file-store.js';
import { createS3FileStore } from '../../src/infra/files/s3-file-store.js';
import { startS3Server, type TestS3Server } from '../support/s3-server.js';

fileStoreContract('local', async () => {
  const root = await mkdtemp(join(tmpdir(), 'plinth-files-'));
  return { store: createLocalFileStore(root), close: () => rm(root, { recursive: true, force: true }) };
});

fileStoreContract('S3', async () => {
  const s3 = await startS3Server();
  return { store: openFileStore(s3.url, '/unused'), close: () => s3.stop() };
});

fileStoreContract('S3 with a key prefix', async () => {
  const s3 = await startS3Server();
  const url = s3.url.replace('/plinth?', '/plinth/cluster-a?');
  return { store: openFileStore(url, '/unused'), close: () => s3.stop() };
});

describe('S3 file store', () => {
  let s3: TestS3Server;
  before(async () => {
    s3 = await startS3Server();
  });
  after(() => s3.stop());

  it('follows continuation pages when listing and deleting many objects', async () => {
    const store = createS3FileStore({ ...parseS3Url(s3.url), listPageSize: 2 });
    for (let i = 0; i < 7; i++) await store.write(`many/${i}`, Readable.from([Buffer.from(String(i))]));
    assert.equal((await store.list('many/')).length, 7);
    await store.deletePrefix('many/');
    assert.deepEqual(await store.list('many/'), []);
    store.close();
  });

  it('keeps prefixed paths inside the prefix', async () => {
    const prefixed = openFileStore(s3.url.replace('/plinth?', '/plinth/node-1?'), '/unused');
    const plain = openFileStore(s3.url, '/unused');
    await prefixed.write('p/file', Readable.from([Buffer.from('x')]));
    assert.deepEqual(await plain.list('node-1/'), ['node-1/p/file']);
    assert.deepEqual(await prefixed.list('p/'), ['p/file']);
  });

  it('rejects operations when the service cannot be reached', async () => {
    const gone = await startS3Server();
    await gone.stop();
    const store = openFileStore(gone.url, '/unused');
    await assert.rejects(store.size('anything'));
    await assert.rejects(store.write('anything', Readable.from([Buffer.from('x')])));
  });
});

describe('openFileStore', () => {
  it('reads s3:// URLs, decoding the credentials', () => {
    assert.deepEqual(parseS3Url('s3://AK%2FID:se%2Bcret%2F@minio.local:9000/files/a/b?region=eu-west-1&tls=false'), {
      endpoint: 'http://minio.local:9000',
      region: 'eu-west-1',
      bucket: 'files',
      accessKeyId: 'AK/ID',
      secretAccessKey: 'se+cret/',
      keyPrefix: 'a/b/',
      forcePathStyle: true,
    });
    const defaults = parseS3Url('s3://key:secret@s3.example.com/bucket');
    assert.equal(defaults.endpoint, 'https://s3.example.com');
    assert.equal(defaults.region, 'us-east-1');
    assert.equal(defaults.keyPrefix, '');
    assert.equal(parseS3Url('s3://k:s@h/b?pathStyle=false').forcePathStyle, false);
  });

  it('refuses malformed URLs without echoing the secret', () => {
    for (const url of ['s3://key:topsecret@host', 'http://key:topsecret@host/b', 's3://host/bucket', 's3://key:topsecret@host/b?tls=maybe', 'nonsense']) {
      assert.throws(() => parseS3Url(url), (error: Error) => !error.message.includes('topsecret'), url);
    }
  });
});
