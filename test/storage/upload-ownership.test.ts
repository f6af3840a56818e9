import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Permission, Role, type Storage } from 'node-appwrite';
import { jsonOf, type TestServer } from '../support/plinth.js';
import { MiB, randomContent, sha256, signUpStorageUser, startStorageServer, uploadRaw, type StorageUser } from './helpers.js';

const PROJECT = 'uploadowners';
const BUCKET = 'open';
const SIZE = 6 * MiB;
const RANGES = [`bytes 0-${5 * MiB - 1}/${SIZE}`, `bytes ${5 * MiB}-${SIZE - 1}/${SIZE}`];

/** Who sends a chunk: a user's session, the API key, or nobody (a guest). */
type Sender = { session: string } | { key: string } | Record<string, never>;

describe('chunked uploads belong to whoever began them', () => {
  let server: TestServer;
  let key: string;
  let storage: Storage;
  let alice: StorageUser;
  let bob: StorageUser;

  /** Chunk `index` of a two-chunk upload of `bytes`; the first is sent as the SDK sends it, without X-Appwrite-ID. */
  const sendChunk = (sender: Sender, fileId: string, bytes: Buffer, index: number, asFirst = index === 0) =>
    uploadRaw(server, {
      project: PROJECT,
      ...sender,
      bucketId: BUCKET,
      fileId,
      bytes: bytes.subarray(index * 5 * MiB, Math.min((index + 1) * 5 * MiB, SIZE)),
      range: RANGES[index],
      ...(asFirst ? {} : { uploadId: fileId }),
    });

  const assertRefused = async (response: Promise<Response>) => {
    const answer = await response;
    assert.equal(answer.status, 409);
    assert.equal((await jsonOf(answer)).type, 'storage_file_already_exists');
  };

  const downloadedHash = async (fileId: string) => sha256(await storage.getFileDownload({ bucketId: BUCKET, fileId }));

  before(async () => {
    ({ server, key, storage } = await startStorageServer(PROJECT));
    // Anyone may add files, guests included: the bucket alone cannot tell the uploads apart.
    await storage.createBucket({
      bucketId: BUCKET,
      name: 'Open',
      permissions: [Permission.create(Role.any()), Permission.read(Role.any())],
      maximumFileSize: 64 * MiB,
    });
    alice = await signUpStorageUser(server, PROJECT, key, 'Alice');
    bob = await signUpStorageUser(server, PROJECT, key, 'Bob');
  });
  after(() => server.stop());

  test("another user or a guest cannot replace or complete a user's upload, which completes with its owner's bytes", async () => {
    const mine = randomContent(SIZE);
    const theirs = randomContent(SIZE);
    const started = await sendChunk({ session: alice.session }, 'contested', mine, 0);
    assert.equal(started.status, 201);

    await assertRefused(sendChunk({ session: bob.session }, 'contested', theirs, 0));
    await assertRefused(sendChunk({ session: bob.session }, 'contested', theirs, 0, false));
    await assertRefused(sendChunk({ session: bob.session }, 'contested', theirs, 1));
    await assertRefused(sendChunk({}, 'contested', theirs, 0));
    await assertRefused(sendChunk({}, 'contested', theirs, 1));
    assert.equal((await storage.getFile({ bucketId: BUCKET, fileId: 'contested' })).chunksUploaded, 1);

    const done = await jsonOf(sendChunk({ session: alice.session }, 'contested', mine, 1));
    assert.equal(done.chunksUploaded, 2);
    assert.equal(await downloadedHash('contested'), sha256(mine));
  });

  test('the owner may send a chunk again, and an API key may go on with any upload', async () => {
    const mine = randomContent(SIZE);
    assert.equal((await sendChunk({ session: alice.session }, 'resent', randomContent(SIZE), 0)).status, 201);
    assert.equal((await jsonOf(sendChunk({ session: alice.session }, 'resent', mine, 0, false))).chunksUploaded, 1);
    const done = await jsonOf(sendChunk({ key }, 'resent', mine, 1));
    assert.equal(done.chunksUploaded, 2);
    assert.equal(await downloadedHash('resent'), sha256(mine));
  });

  test("users cannot go on with a guest's upload, nor guests with a key's", async () => {
    const bytes = randomContent(SIZE);
    assert.equal((await sendChunk({}, 'by-guest', bytes, 0)).status, 201);
    await assertRefused(sendChunk({ session: bob.session }, 'by-guest', randomContent(SIZE), 1));
    assert.equal((await sendChunk({ key }, 'by-key', bytes, 0)).status, 201);
    await assertRefused(sendChunk({}, 'by-key', randomContent(SIZE), 1));
    await assertRefused(sendChunk({ session: alice.session }, 'by-key', randomContent(SIZE), 1));
  });

  test('two users starting the same new id at once: one owns it, the other is refused, and the file holds only its owner’s bytes', async () => {
    const bytes = { alice: randomContent(SIZE), bob: randomContent(SIZE) };
    const users = { alice, bob };
    const answers = await Promise.all(
      (['alice', 'bob'] as const).map(async (name) => ({ name, status: (await sendChunk({ session: users[name].session }, 'raced', bytes[name], 0)).status })),
    );
    const winners = answers.filter((answer) => answer.status === 201);
    assert.equal(winners.length, 1, JSON.stringify(answers));
    assert.deepEqual(answers.filter((answer) => answer.status !== 201).map((answer) => answer.status), [409]);
    const owner = winners[0]!.name;
    const done = await jsonOf(sendChunk({ session: users[owner].session }, 'raced', bytes[owner], 1));
    assert.equal(done.chunksUploaded, 2);
    assert.equal(await downloadedHash('raced'), sha256(bytes[owner]));
  });
});
