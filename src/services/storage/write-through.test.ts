import assert from 'node:assert/strict';
import { PassThrough, Readable, Transform } from 'node:stream';
import { describe, it } from 'node:test';
import type { FileStore } from '../../infra/files/file-store.js';
import type { ServiceDeps } from '../deps.js';
import { writeThrough } from './write-through.js';

function withStore(write: FileStore['write']): ServiceDeps {
  return { files: { write } } as unknown as ServiceDeps;
}

function abortError(): Error {
  return Object.assign(new Error('The operation was aborted'), { name: 'AbortError', code: 'ABORT_ERR' });
}

async function drain(body: Readable): Promise<number> {
  let bytes = 0;
  for await (const chunk of body) bytes += (chunk as Buffer).length;
  return bytes;
}

const body = () => Readable.from([Buffer.alloc(1000, 1), Buffer.alloc(24, 2)]);

describe('writeThrough', () => {
  it('streams through the stages and answers the stored byte count', async () => {
    assert.equal(await writeThrough(withStore((_path, input) => drain(input)), 'p', body(), [new PassThrough()]), 1024);
  });

  it('names the store’s error when the store tears its input down before failing', async () => {
    // The stages see the abort first; the store's own reason must still win, every time.
    const store = withStore(
      (_path, input) =>
        new Promise((_, reject) => {
          input.destroy(abortError());
          setImmediate(() => reject(new Error('disk full')));
        }),
    );
    for (let run = 0; run < 20; run++) await assert.rejects(writeThrough(store, 'p', body(), [new PassThrough()]), /disk full/);
  });

  it('names the store’s error when the store fails without reading', async () => {
    const store = withStore(async () => Promise.reject(new Error('disk full')));
    await assert.rejects(writeThrough(store, 'p', body(), [new PassThrough(), new PassThrough()]), /disk full/);
  });

  it('names the stage’s error when a stage refuses the bytes', async () => {
    const limit = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        done(chunk.length > 100 ? new Error('too large') : null, chunk);
      },
    });
    await assert.rejects(writeThrough(withStore((_path, input) => drain(input)), 'p', body(), [limit]), /too large/);
  });
});
