import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer as collect } from 'node:stream/consumers';
import { after, before, describe, it } from 'node:test';
import { FileNotStoredError, type FileStore } from './file-store.js';

export interface ContractSubject {
  store: FileStore;
  close(): Promise<void>;
}

/** Generates `size` bytes in small pieces, so a store has to stream them; the hash is of the whole. */
function generated(size: number, piece = 256 * 1024): { body: Readable; sha256: string } {
  const hash = createHash('sha256');
  const pieces: Buffer[] = [];
  for (let at = 0; at < size; at += piece) {
    const bytes = randomBytes(Math.min(piece, size - at));
    hash.update(bytes);
    pieces.push(bytes);
  }
  return { body: Readable.from(pieces), sha256: hash.digest('hex') };
}

async function sha256Of(stream: Readable): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** What every FileStore must do, whatever keeps the bytes: run it against each implementation. */
export function fileStoreContract(name: string, open: () => Promise<ContractSubject>): void {
  describe(`${name} file store`, () => {
    let subject: ContractSubject;
    let store: FileStore;
    before(async () => {
      subject = await open();
      store = subject.store;
    });
    after(() => subject.close());

    const text = (path: string, value: string) => store.write(path, Readable.from([Buffer.from(value)]));
    const read = async (path: string) => (await collect(await store.read(path))).toString();

    it('writes, reads back, and reports the size', async () => {
      assert.equal(await text('p1/b1/hello', 'hello world'), 11);
      assert.equal(await read('p1/b1/hello'), 'hello world');
      assert.equal(await store.size('p1/b1/hello'), 11);
    });

    it('replaces what was stored at a path', async () => {
      await text('p2/file', 'first version');
      await text('p2/file', 'second');
      assert.equal(await read('p2/file'), 'second');
      assert.equal(await store.size('p2/file'), 6);
    });

    it('stores an empty body', async () => {
      assert.equal(await store.write('p3/empty', Readable.from([])), 0);
      assert.equal(await store.size('p3/empty'), 0);
      assert.equal(await read('p3/empty'), '');
    });

    it('streams a body larger than any buffer it keeps', async () => {
      const size = 20 * 1024 * 1024 + 3;
      const { body, sha256 } = generated(size);
      assert.equal(await store.write('p4/large', body), size);
      assert.equal(await store.size('p4/large'), size);
      assert.equal(await sha256Of(await store.read('p4/large')), sha256);
    });

    it('reads inclusive byte ranges', async () => {
      await text('p5/digits', '0123456789');
      const range = async (start: number, end: number) => (await collect(await store.read('p5/digits', { start, end }))).toString();
      assert.equal(await range(0, 0), '0');
      assert.equal(await range(2, 5), '2345');
      assert.equal(await range(7, 9), '789');
      assert.equal(await range(8, 100), '89');
    });

    it('rejects reading a missing path with FileNotStoredError, and sizes it as undefined', async () => {
      await assert.rejects(store.read('p6/missing'), (error: unknown) => error instanceof FileNotStoredError && error.path === 'p6/missing');
      await assert.rejects(store.read('p6/missing', { start: 0, end: 1 }), FileNotStoredError);
      assert.equal(await store.size('p6/missing'), undefined);
    });

    it('deletes a path, and deleting a missing one is not an error', async () => {
      await text('p7/gone', 'x');
      await store.delete('p7/gone');
      assert.equal(await store.size('p7/gone'), undefined);
      await assert.rejects(store.read('p7/gone'), FileNotStoredError);
      await store.delete('p7/gone');
      await store.delete('p7/never');
    });

    it('lists and deletes everything under a prefix, and nothing else', async () => {
      for (const path of ['p8/b/one', 'p8/b/two', 'p8/b/.chunks/f/1', 'p8/b/.chunks/f/2', 'p8/bc/other', 'p8/keep']) await text(path, path);
      assert.deepEqual((await store.list('p8/b/')).sort(), ['p8/b/.chunks/f/1', 'p8/b/.chunks/f/2', 'p8/b/one', 'p8/b/two']);
      assert.deepEqual((await store.list('p8/b/.chunks/f/')).sort(), ['p8/b/.chunks/f/1', 'p8/b/.chunks/f/2']);
      await store.deletePrefix('p8/b/.chunks/f/');
      assert.deepEqual((await store.list('p8/b/')).sort(), ['p8/b/one', 'p8/b/two']);
      await store.deletePrefix('p8/b/');
      assert.deepEqual(await store.list('p8/b/'), []);
      assert.deepEqual((await store.list('p8/')).sort(), ['p8/bc/other', 'p8/keep']);
      assert.deepEqual(await store.list('p8/nothing/'), []);
      await store.deletePrefix('p8/nothing/');
    });

    it('keeps nothing when the body fails part way', async () => {
      const failing = Readable.from(
        (async function* () {
          yield randomBytes(9 * 1024 * 1024);
          throw new Error('client went away');
        })(),
      );
      await assert.rejects(store.write('p9/broken', failing), /client went away/);
      assert.equal(await store.size('p9/broken'), undefined);
      assert.deepEqual(await store.list('p9/'), []);
    });
  });
}
