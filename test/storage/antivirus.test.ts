import assert from 'node:assert/strict';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { Compression, type Storage } from 'node-appwrite';
import { InputFile } from 'node-appwrite/file';
import type { TestServer } from '../support/plinth.js';
import { rejectsWith } from '../support/sdk.js';
import { MiB, randomContent, sha256, startStorageServer, uploadRaw } from './helpers.js';

const PROJECT = 'antivirus';
/** Stands in for the EICAR test file: the fake daemon below reports any stream holding it. */
const MARKER = Buffer.from('X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*');

interface FakeClamd {
  port: number;
  /** SHA-256 of every stream scanned, in order. */
  scanned: string[];
  /** While true, connections are dropped without a verdict, as from a daemon that is down. */
  down: boolean;
  close(): Promise<void>;
}

/** Answers clamd's INSTREAM command: length-prefixed chunks, a zero length to end, then a verdict. */
async function startFakeClamd(): Promise<FakeClamd> {
  const sockets = new Set<Socket>();
  const fake: FakeClamd = { port: 0, scanned: [], down: false, close: async () => undefined };
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    if (fake.down) return void socket.destroy();
    let pending = Buffer.alloc(0);
    let commandRead = false;
    const chunks: Buffer[] = [];
    socket.on('data', (data: Buffer) => {
      pending = Buffer.concat([pending, data]);
      if (!commandRead) {
        const end = pending.indexOf(0);
        if (end < 0) return;
        commandRead = pending.subarray(0, end).toString() === 'zINSTREAM';
        if (!commandRead) return void socket.end('UNKNOWN COMMAND\0');
        pending = pending.subarray(end + 1);
      }
      while (pending.length >= 4) {
        const length = pending.readUInt32BE(0);
        if (length === 0) {
          const stream = Buffer.concat(chunks);
          fake.scanned.push(sha256(stream));
          return void socket.end(stream.includes(MARKER) ? 'stream: Eicar-Test-Signature FOUND\0' : 'stream: OK\0');
        }
        if (pending.length < 4 + length) return;
        chunks.push(pending.subarray(4, 4 + length));
        pending = pending.subarray(4 + length);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.port = (server.address() as AddressInfo).port;
  fake.close = () => {
    for (const socket of sockets) socket.destroy();
    return new Promise((resolve) => server.close(() => resolve()));
  };
  return fake;
}

describe('antivirus scanning of uploads', () => {
  let clamd: FakeClamd;
  let server: TestServer;
  let key: string;
  let storage: Storage;

  before(async () => {
    clamd = await startFakeClamd();
    ({ server, key, storage } = await startStorageServer(PROJECT, { env: { PLINTH_CLAMAV: `127.0.0.1:${clamd.port}` } }));
    // Encrypted and compressed: the daemon must still see the plaintext.
    await storage.createBucket({ bucketId: 'scanned', name: 'Scanned', maximumFileSize: 32 * MiB, compression: Compression.Gzip });
    await storage.createBucket({ bucketId: 'unscanned', name: 'Unscanned', antivirus: false });
  });
  after(async () => {
    await server?.stop();
    await clamd?.close();
  });

  test('a clean file is scanned once, as plaintext in order, and kept', async () => {
    const small = Buffer.from('nothing to see here\n');
    await storage.createFile({ bucketId: 'scanned', fileId: 'small', file: InputFile.fromBuffer(small, 'small.txt') });
    assert.deepEqual(clamd.scanned, [sha256(small)]);

    const large = randomContent(11 * MiB);
    const file = await storage.createFile({ bucketId: 'scanned', fileId: 'large', file: InputFile.fromBuffer(large, 'large.bin') });
    assert.equal(file.chunksUploaded, 3);
    assert.deepEqual(clamd.scanned, [sha256(small), sha256(large)]);
    assert.equal(sha256(await storage.getFileDownload({ bucketId: 'scanned', fileId: 'large' })), sha256(large));
  });

  test('an infected file is refused with 403 and nothing of it is stored', async () => {
    const infected = Buffer.concat([randomContent(5 * MiB), MARKER, randomContent(100)]);
    await rejectsWith(storage.createFile({ bucketId: 'scanned', fileId: 'infected', file: InputFile.fromBuffer(infected, 'setup.exe') }), 403, 'storage_invalid_file');
    await rejectsWith(storage.getFile({ bucketId: 'scanned', fileId: 'infected' }), 404, 'storage_file_not_found');
    const store = await server.fileStore();
    assert.deepEqual((await store.list(`${PROJECT}/scanned/`)).filter((path) => path.includes('infected')), []);
    assert.deepEqual((await storage.listFiles({ bucketId: 'scanned' })).files.map((f) => f.$id).sort(), ['large', 'small']);
    // The id is free again, and the server keeps serving.
    await storage.createFile({ bucketId: 'scanned', fileId: 'infected', file: InputFile.fromBuffer(Buffer.from('clean now'), 'setup.txt') });
  });

  test('a bucket with antivirus off is not scanned', async () => {
    const before = clamd.scanned.length;
    const bytes = Buffer.concat([MARKER, Buffer.from(' but nobody looks')]);
    const file = await storage.createFile({ bucketId: 'unscanned', fileId: 'unchecked', file: InputFile.fromBuffer(bytes, 'unchecked.txt') });
    assert.equal(file.sizeOriginal, bytes.length);
    assert.equal(clamd.scanned.length, before);
  });

  test('with the daemon down the last chunk fails and the upload stays open: retrying it scans and finishes', async () => {
    const bytes = randomContent(6 * MiB);
    const range = (start: number, end: number) => `bytes ${start}-${end - 1}/${bytes.length}`;
    const send = (start: number, end: number, uploadId?: string) =>
      uploadRaw(server, { project: PROJECT, key, bucketId: 'scanned', fileId: 'retried', bytes: bytes.subarray(start, end), range: range(start, end), ...(uploadId ? { uploadId } : {}) });
    assert.equal((await send(0, 5 * MiB)).status, 201);
    clamd.down = true;
    const failed = await send(5 * MiB, bytes.length, 'retried');
    assert.equal(failed.status, 500);
    assert.equal((await storage.getFile({ bucketId: 'scanned', fileId: 'retried' })).chunksUploaded, 2);
    clamd.down = false;
    const scansBefore = clamd.scanned.length;
    const retried = await send(5 * MiB, bytes.length, 'retried');
    assert.equal(retried.status, 201);
    assert.equal(clamd.scanned.length, scansBefore + 1);
    assert.equal(sha256(await storage.getFileDownload({ bucketId: 'scanned', fileId: 'retried' })), sha256(bytes));
  });
});
